package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.params.provider.Arguments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The brute-force oracle that indexed answers are held to (every task in API order, filtered with
 * {@link TaskQuery#matches}), and the random filter combinations drawn from the tasks themselves. Shared by the
 * index's tests and, through the domain's test jar, the sandbox's.
 */
public final class QueryOracle {
    /** The page sizes every checked window is asked with. */
    public static final List<Integer> LIMITS = List.of(0, 1, 7, 100);
    /** Task type filters: one of each, in the API's and in another case. */
    public static final List<String> TYPES = List.of("SCRIPT", "command");

    private QueryOracle() {
    }

    /** The tasks in API order. */
    public static List<ScriptExecutionTask> sorted(List<ScriptExecutionTask> tasks) {
        return tasks.stream().sorted(TaskOrder.NEWEST_FIRST).toList();
    }

    /** The tasks (in API order) that the query's filters match. */
    public static List<ScriptExecutionTask> matches(List<ScriptExecutionTask> sorted, TaskQuery query) {
        return sorted.stream().filter(query::matches).toList();
    }

    public static List<String> ids(List<ScriptExecutionTask> tasks) {
        return tasks.stream().map(ScriptExecutionTask::id).toList();
    }

    public static List<String> pools(List<ScriptExecutionTask> tasks) {
        return tasks.stream().map(ScriptExecutionTask::desktopPoolId).distinct().sorted().toList();
    }

    public static List<Script> scripts(List<ScriptExecutionTask> tasks) {
        return tasks.stream().flatMap(t -> t.scripts().stream()).distinct()
                .sorted(Comparator.comparing(Script::id).thenComparing(Script::name)).toList();
    }

    /**
     * Checks the pages of a query's filters that {@code pager} answers, at the offsets {@code offsets} names for the
     * number of matches and at every limit of {@link #LIMITS}, against the oracle; returns the number of matches.
     */
    public static int assertAgrees(Function<TaskQuery, TaskPage> pager, List<ScriptExecutionTask> sorted, String name,
                                   TaskQuery filters, IntFunction<int[]> offsets) {
        List<ScriptExecutionTask> expected = matches(sorted, filters);
        int total = expected.size();
        for (int offset : offsets.apply(total)) {
            for (int limit : LIMITS) {
                TaskPage page = pager.apply(filters.withWindow(offset, limit));
                String description = name + " offset=" + offset + " limit=" + limit + " (" + filters + ")";
                assertThat(page.totalCount()).as("total_count of %s", description).isEqualTo(total);
                List<ScriptExecutionTask> expectedPage = window(expected, offset, limit);
                assertThat(ids(page.tasks())).as("ids of %s", description).isEqualTo(ids(expectedPage));
                assertThat(page.tasks()).as("tasks of %s", description).isEqualTo(expectedPage);
            }
        }
        return total;
    }

    /** The window {@code offset}, {@code limit} of the matches, as a page holds it. */
    public static List<ScriptExecutionTask> window(List<ScriptExecutionTask> matches, int offset, int limit) {
        int from = Math.min(offset, matches.size());
        int to = (int) Math.min((long) from + limit, matches.size());
        return matches.subList(from, to);
    }

    /**
     * {@code count} queries of project {@code project} with 2 to 4 filters at random, mostly with values that match
     * some of the tasks: a script name is a fragment of one of theirs, or else one of {@code nameFragments}; a status
     * is one of {@code statusFilters}, or (half the time, when there are any) one of {@code statuses}.
     */
    public static List<Arguments> combinations(List<ScriptExecutionTask> sorted, String project, long seed, int count,
                                               List<String> nameFragments, List<String> statusFilters,
                                               List<TaskStatus> statuses) {
        Random random = new Random(seed);
        List<String> pools = pools(sorted);
        List<Script> scripts = scripts(sorted);
        List<Arguments> queries = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            List<Integer> kinds = new ArrayList<>(IntStream.range(0, 7).boxed().toList());
            Collections.shuffle(kinds, random);
            TaskQuery.Builder b = TaskQuery.builder(project);
            StringBuilder name = new StringBuilder("combination #" + c + ":");
            for (int kind : kinds.subList(0, 2 + random.nextInt(3))) {
                switch (kind) {
                    case 0 -> {
                        b.desktopPoolId(pools.get(random.nextInt(pools.size())));
                        name.append(" pool");
                    }
                    case 1 -> {
                        b.scriptId(scripts.get(random.nextInt(scripts.size())).id());
                        name.append(" script_id");
                    }
                    case 2 -> {
                        Script script = scripts.get(random.nextInt(scripts.size()));
                        b.scriptName(random.nextInt(4) == 0
                                ? nameFragments.get(random.nextInt(nameFragments.size()))
                                : fragmentOf(script.name(), random));
                        name.append(" script_name");
                    }
                    case 3 -> {
                        if (statuses.isEmpty() || random.nextBoolean()) {
                            b.status(statusFilters.get(random.nextInt(statusFilters.size())));
                        } else {
                            b.status(statuses.get(random.nextInt(statuses.size())));
                        }
                        name.append(" status");
                    }
                    case 4 -> {
                        b.taskType(TYPES.get(random.nextInt(TYPES.size())));
                        name.append(" task_type");
                    }
                    case 5 -> {
                        Instant x = jitter(sorted.get(random.nextInt(sorted.size())).startTime(), random);
                        Instant y = jitter(sorted.get(random.nextInt(sorted.size())).startTime(), random);
                        int bounds = random.nextInt(3);
                        if (bounds != 1) {
                            b.executeTimeStart(x.isBefore(y) ? x : y);
                        }
                        if (bounds != 0) {
                            b.executeTimeEnd(x.isBefore(y) ? y : x);
                        }
                        name.append(" time");
                    }
                    default -> {
                        List<String> ids = new ArrayList<>();
                        int idCount = 1 + random.nextInt(random.nextBoolean() ? 5 : 100);
                        for (int i = 0; i < idCount; i++) {
                            int pick = random.nextInt(10);
                            ids.add(pick == 0 ? new UUID(random.nextLong(), random.nextLong()).toString()
                                    : pick == 1 ? "malformed-" + i
                                    : sorted.get(random.nextInt(sorted.size())).id());
                        }
                        b.taskIds(ids);
                        name.append(" task_id");
                    }
                }
            }
            queries.add(arguments(name.toString(), b.build()));
        }
        return queries;
    }

    /** Exact, or nudged by a fraction of a second either way, or by up to an hour. */
    public static Instant jitter(Instant instant, Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> instant;
            case 1 -> instant.plusNanos(1 + random.nextInt(999_999_999));
            case 2 -> instant.minusNanos(1 + random.nextInt(999_999_999));
            default -> instant.plusSeconds(random.nextInt(7200) - 3600);
        };
    }

    /** A substring of a name, in a random case. */
    public static String fragmentOf(String name, Random random) {
        int from = random.nextInt(name.length());
        String fragment = name.substring(from, from + 1 + random.nextInt(name.length() - from));
        return switch (random.nextInt(3)) {
            case 0 -> fragment.toUpperCase(Locale.ROOT);
            case 1 -> fragment.toLowerCase(Locale.ROOT);
            default -> fragment;
        };
    }
}
