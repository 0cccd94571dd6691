package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.index.QueryOracle;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.model.TaskType;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.pooltasks.domain.index.QueryOracle.TYPES;
import static dev.pooltasks.domain.index.QueryOracle.assertAgrees;
import static dev.pooltasks.domain.index.QueryOracle.ids;
import static dev.pooltasks.domain.index.QueryOracle.matches;
import static dev.pooltasks.domain.index.QueryOracle.pools;
import static dev.pooltasks.domain.index.QueryOracle.scripts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The store's indexed answers against a brute-force oracle: {@code allTasks()} (in API order) filtered with
 * {@link TaskQuery#matches}, for total_count and for the page window.
 */
class SandboxQueryOracleTest {
    private static final String PROJECT = SandboxTaskStoreTest.PROJECT;
    private static final Instant NOW = SandboxTaskStoreTest.NOW;

    private static final SandboxTaskStore STORE = SandboxTaskStore.generate(new SandboxSettings(PROJECT, 42, 3000, NOW));
    private static final List<ScriptExecutionTask> ALL = STORE.allTasks();

    // ---------------------------------------------------------------------------------------------------------------
    // the oracle

    /** Checks windows of a query's filters against the oracle; returns the number of matches. */
    private static int assertAgreesWithOracle(SandboxTaskStore store, List<ScriptExecutionTask> all, String name,
                                              TaskQuery filters) {
        return assertAgrees(store::page, all, name, filters, total -> new int[]{0, 5, total / 2,
                Math.max(0, total - 3), 1000, 2000, all.size() / 10, total, total + 3, Integer.MAX_VALUE});
    }

    /** 2 to 4 filters at random, mostly with values that do match some tasks (see {@link QueryOracle#combinations}). */
    static List<Arguments> combinations(List<ScriptExecutionTask> all, long seed, int count) {
        return QueryOracle.combinations(all, PROJECT, seed, count, NAME_FRAGMENTS, STATUSES, List.of());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the query universe, drawn from the tasks themselves

    private static final List<String> STATUSES = List.of("SUCCESS", "FAILED", "RUNNING", "WAITING", "finish", "Init");
    private static final List<String> NAME_FRAGMENTS = List.of(
            "chrome",                // Install Chrome and Install Chrome (deb)
            "CHROME",
            "Install",               // many scripts
            "iNsTaLl cHrOmE (DEB)",  // exactly one, whole name in another case
            "install chrome",        // two, prefix of one
            "logs",                  // Collect event logs, Collect system logs, Rotate journal logs
            "LoGs",
            "e",                     // nearly every script
            " ",                     // every script with two words
            "7-zip",
            "utc+8",
            "(deb)",
            "Chrome(deb)",           // none: no such substring
            "zzz-no-such-script",    // none
            "ipconfig",              // a command, not a script: none
            "Install Chrome (deb) " // none: trailing space
    );

    private static TaskQuery.Builder q() {
        return TaskQuery.builder(PROJECT);
    }

    private static Arguments query(String name, UnaryOperator<TaskQuery.Builder> configure) {
        return arguments(name, configure.apply(q()).build());
    }

    static Stream<Arguments> singleFilters() {
        List<Arguments> queries = new ArrayList<>();
        queries.add(query("no filter", b -> b));
        for (String pool : pools(ALL)) {
            queries.add(query("pool " + pool, b -> b.desktopPoolId(pool)));
        }
        queries.add(query("unknown pool", b -> b.desktopPoolId(UUID.nameUUIDFromBytes(new byte[]{1}).toString())));
        queries.add(query("pool id in upper case", b -> b.desktopPoolId(pools(ALL).get(0).toUpperCase(Locale.ROOT))));
        for (String status : STATUSES) {
            queries.add(query("status " + status, b -> b.status(status)));
        }
        queries.add(query("unknown status", b -> b.status(new TaskStatus("PAUSED"))));
        for (String type : TYPES) {
            queries.add(query("type " + type, b -> b.taskType(type)));
        }
        for (Script script : scripts(ALL)) {
            queries.add(query("script id of " + script.name(), b -> b.scriptId(script.id())));
        }
        queries.add(query("unknown script id", b -> b.scriptId("no-such-script")));
        queries.add(query("a pool id as script id", b -> b.scriptId(pools(ALL).get(1))));
        for (String fragment : NAME_FRAGMENTS) {
            queries.add(query("script name '" + fragment + "'", b -> b.scriptName(fragment)));
        }
        for (Script script : scripts(ALL)) {
            queries.add(query("whole script name " + script.name(), b -> b.scriptName(script.name())));
        }
        queries.addAll(timeWindows(ALL));
        queries.addAll(taskIdLists(ALL, new Random(11)));
        return queries.stream();
    }

    private static List<Arguments> timeWindows(List<ScriptExecutionTask> all) {
        List<Arguments> queries = new ArrayList<>();
        int n = all.size();
        for (int position : new int[]{0, 1, 10, n / 3, n / 2, n - 2, n - 1}) {
            Instant t = all.get(position).startTime();
            String at = "task #" + position + " start " + t;
            queries.add(query("start == " + at, b -> b.executeTimeStart(t)));
            queries.add(query("end == " + at, b -> b.executeTimeEnd(t)));
            queries.add(query("start == end == " + at, b -> b.executeTimeStart(t).executeTimeEnd(t)));
            queries.add(query("start 1ns after " + at, b -> b.executeTimeStart(t.plusNanos(1))));
            queries.add(query("start 1ns before " + at, b -> b.executeTimeStart(t.minusNanos(1))));
            queries.add(query("end 1ns before " + at, b -> b.executeTimeEnd(t.minusNanos(1))));
            queries.add(query("end 1ns after " + at, b -> b.executeTimeEnd(t.plusNanos(1))));
            queries.add(query("start .5s before " + at, b -> b.executeTimeStart(t.minusMillis(500))));
            queries.add(query("end .999s after " + at, b -> b.executeTimeEnd(t.plusMillis(999))));
            queries.add(query("start .001s after, end .999s after " + at,
                    b -> b.executeTimeStart(t.plusMillis(1)).executeTimeEnd(t.plusMillis(999))));
            queries.add(query("start .5s before, end .5s after " + at,
                    b -> b.executeTimeStart(t.minusMillis(500)).executeTimeEnd(t.plusMillis(500))));
        }
        Instant newer = all.get(n / 4).startTime();
        Instant older = all.get(3 * n / 4).startTime();
        queries.add(query("window between two tasks' starts", b -> b.executeTimeStart(older).executeTimeEnd(newer)));
        queries.add(query("wire window with offsets", b -> b
                .executeTimeStart(older.atOffset(java.time.ZoneOffset.ofHours(8)).toString())
                .executeTimeEnd(newer.atOffset(java.time.ZoneOffset.ofHoursMinutes(-5, -30)).toString())));
        queries.add(query("wire window with fractions", b -> b
                .executeTimeStart(older.plusMillis(123) + "")
                .executeTimeEnd(newer.plusNanos(456_789) + "")));
        queries.add(query("last day", b -> b.executeTimeStart(NOW.minus(Duration.ofDays(1)))));
        queries.add(query("last hour", b -> b.executeTimeStart(NOW.minus(Duration.ofHours(1))).executeTimeEnd(NOW)));
        queries.add(query("before all tasks", b -> b.executeTimeEnd(all.get(n - 1).startTime().minusSeconds(1))));
        queries.add(query("long before all tasks", b -> b.executeTimeStart("2001-01-01T00:00:00Z")
                .executeTimeEnd("2001-12-31T23:59:59Z")));
        queries.add(query("after all tasks", b -> b.executeTimeStart(NOW.plusSeconds(1))));
        queries.add(query("everything", b -> b.executeTimeStart("2000-01-01T00:00:00Z")
                .executeTimeEnd("2100-01-01T00:00:00Z")));
        queries.add(query("gap of 1ns between two seconds", b -> b.executeTimeStart(newer.plusNanos(1))
                .executeTimeEnd(newer.plusMillis(999))));
        return queries;
    }

    private static List<Arguments> taskIdLists(List<ScriptExecutionTask> all, Random random) {
        List<Arguments> queries = new ArrayList<>();
        String first = all.get(0).id();
        String middle = all.get(all.size() / 2).id();
        String last = all.get(all.size() - 1).id();
        queries.add(query("one id", b -> b.taskIds(List.of(middle))));
        queries.add(query("first, middle and last ids", b -> b.taskIds(List.of(last, first, middle))));
        queries.add(query("unknown uuid", b -> b.taskIds(List.of(new UUID(random.nextLong(), random.nextLong())
                .toString()))));
        queries.add(query("upper-case id", b -> b.taskIds(List.of(middle.toUpperCase(Locale.ROOT)))));
        queries.add(query("malformed ids", b -> b.taskIds(List.of("abc", "not-a-uuid", middle.substring(1),
                middle + "0", middle.replace('-', '_')))));
        queries.add(query("known, unknown and malformed ids", b -> b.taskIds(List.of("abc", first,
                middle.toUpperCase(Locale.ROOT), UUID.nameUUIDFromBytes(new byte[]{2}).toString(), last))));
        List<String> hundred = IntStream.range(0, 100).mapToObj(i -> i % 5 == 4
                ? new UUID(random.nextLong(), random.nextLong()).toString()
                : all.get(random.nextInt(all.size())).id()).toList();
        queries.add(query("up to 100 ids", b -> b.taskIds(hundred)));
        List<String> recent = all.subList(0, 100).stream().map(ScriptExecutionTask::id).toList();
        queries.add(query("the 100 newest ids", b -> b.taskIds(recent)));
        return queries;
    }

    static Stream<Arguments> combinations() {
        return combinations(ALL, 20211001L, 250).stream();
    }

    /**
     * Combined filters of the shapes that cost most before bitmaps, and of each way to answer them: several dense
     * filters (their bitmaps intersected), a sparse one among them (its list walked), a single list (sliced), filters
     * that exclude each other (empty).
     */
    private static List<Arguments> demandingShapes(List<ScriptExecutionTask> all) {
        String pool = pools(all).get(0);
        String windowsPool = all.stream()
                .filter(t -> t.scripts().stream().anyMatch(s -> s.name().equals("Install Chrome")))
                .findFirst().orElseThrow().desktopPoolId();
        List<String> newest = ids(all.subList(0, 100));
        return List.of(
                query("script name logs, failed", b -> b.scriptName("logs").status("FAILED")),
                query("commands, success", b -> b.taskType("COMMAND").status("SUCCESS")),
                query("script name e, script tasks", b -> b.scriptName("e").taskType("SCRIPT")),
                query("pool, script tasks", b -> b.desktopPoolId(pool).taskType("SCRIPT")),
                query("pool, script name install, failed", b -> b.desktopPoolId(pool).scriptName("install")
                        .status("FAILED")),
                query("pool, commands, running", b -> b.desktopPoolId(pool).taskType("COMMAND").status("RUNNING")),
                query("pool, waiting", b -> b.desktopPoolId(pool).status("WAITING")),
                query("pool, script id, name, success", b -> b.desktopPoolId(windowsPool)
                        .scriptId(scripts(all).get(0).id()).scriptName("i").status("SUCCESS")),
                query("newest ids, pool", b -> b.taskIds(newest).desktopPoolId(pool)),
                query("a Windows pool, a Linux script name: none", b -> b.desktopPoolId(windowsPool)
                        .scriptName("(deb)")),
                query("commands, script name chrome: none", b -> b.taskType("COMMAND").scriptName("chrome")));
    }

    /** The demanding shapes within windows of positions [newest, oldest] that start and end on and off word edges. */
    static Stream<Arguments> demandingShapesInWindows() {
        int last = ALL.size() - 1;
        int[][] windows = {{0, last}, {0, 0}, {0, 63}, {0, 64}, {1, 62}, {63, 64}, {64, 127}, {65, 128}, {62, 129},
                {63, 1000}, {129, last}};
        return demandingShapes(ALL).stream().flatMap(shape -> Stream.of(windows).map(window -> {
            Instant newest = ALL.get(window[0]).startTime();
            Instant oldest = ALL.get(window[1]).startTime();
            TaskQuery filters = (TaskQuery) shape.get()[1];
            return arguments(shape.get()[0] + ", positions " + window[0] + ".." + window[1], new TaskQuery(
                    filters.projectId(), filters.desktopPoolId(), filters.scriptId(), filters.scriptName(),
                    filters.status(), filters.taskType(), oldest, newest, filters.taskIds(), 0, 10));
        }));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // tests

    @Test
    void allTasksAreInApiOrder() {
        assertThat(ALL).hasSize(3000).isSortedAccordingTo(TaskOrder.NEWEST_FIRST);
        assertThat(ids(ALL)).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleFilters")
    void singleFiltersAgreeWithTheOracle(String name, TaskQuery filters) {
        assertAgreesWithOracle(STORE, ALL, name, filters);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void combinedFiltersAgreeWithTheOracle(String name, TaskQuery filters) {
        assertAgreesWithOracle(STORE, ALL, name, filters);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("demandingShapesInWindows")
    void demandingShapesAgreeWithTheOracleInAnyWindow(String name, TaskQuery filters) {
        assertAgreesWithOracle(STORE, ALL, name, filters);
    }

    @Test
    void theQueriesCoverEmptySmallAndLargeResults() {
        List<Integer> totals = Stream.concat(singleFilters(), combinations())
                .map(a -> matches(ALL, (TaskQuery) a.get()[1]).size()).toList();

        assertThat(totals).contains(0, 1, ALL.size());
        assertThat(totals).anyMatch(t -> t > 1 && t < 7);
        assertThat(totals).anyMatch(t -> t > 100 && t < ALL.size());
        assertThat(totals.stream().filter(t -> t > 0).count()).as("queries with matches").isGreaterThan(200);
        // the combinations are not all empty
        assertThat(combinations().filter(a -> !matches(ALL, (TaskQuery) a.get()[1]).isEmpty()).count())
                .isGreaterThan(60);
    }

    @Test
    void everyStatusFilterFindsTasks() {
        for (String status : List.of("SUCCESS", "FAILED", "RUNNING", "WAITING")) {
            TaskPage page = STORE.page(q().status(status).limit(0).build());
            assertThat(page.totalCount()).as(status).isPositive();
        }
    }

    @Test
    void statusFiltersPartitionTheTasks() {
        int sum = Stream.of("SUCCESS", "FAILED", "RUNNING", "WAITING")
                .mapToInt(s -> STORE.page(q().status(s).limit(0).build()).totalCount()).sum();
        int byType = Stream.of("SCRIPT", "COMMAND")
                .mapToInt(t -> STORE.page(q().taskType(t).limit(0).build()).totalCount()).sum();

        assertThat(sum).isEqualTo(ALL.size());
        assertThat(byType).isEqualTo(ALL.size());
    }

    static Stream<Arguments> pagedFilters() {
        return Stream.of(
                query("no filter", b -> b),
                query("one pool", b -> b.desktopPoolId(pools(ALL).get(3))),
                query("failed", b -> b.status("FAILED")),
                query("scripts named install", b -> b.scriptName("install")),
                query("commands in the last week", b -> b.taskType("COMMAND")
                        .executeTimeStart(NOW.minus(Duration.ofDays(7)))),
                query("successful chrome installs in a pool", b -> b.scriptName("Chrome").status("SUCCESS")
                        .desktopPoolId(pools(ALL).get(0))),
                query("the 100 newest ids", b -> b.taskIds(ids(ALL.subList(0, 100)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pagedFilters")
    void pagingYieldsEveryMatchExactlyOnceInOrder(String name, TaskQuery filters) {
        List<String> expected = ids(matches(ALL, filters));
        assertThat(expected).isNotEmpty();
        for (int limit : new int[]{1, 7, 100}) {
            List<String> seen = new ArrayList<>();
            for (int offset = 0; ; offset += limit) {
                TaskPage page = STORE.page(filters.withWindow(offset, limit));
                assertThat(page.totalCount()).as("total_count at offset %d, limit %d", offset, limit)
                        .isEqualTo(expected.size());
                if (page.tasks().isEmpty()) {
                    assertThat(offset).as("an empty page only past the end").isGreaterThanOrEqualTo(expected.size());
                    break;
                }
                assertThat(page.tasks().size()).isLessThanOrEqualTo(limit);
                seen.addAll(ids(page.tasks()));
            }
            assertThat(seen).as("%s paged by %d", name, limit).doesNotHaveDuplicates().isEqualTo(expected);
        }
    }

    @Test
    void limitZeroReturnsNoTasksButTheTrueTotal() {
        TaskPage page = STORE.page(q().taskType("COMMAND").limit(0).build());

        assertThat(page.tasks()).isEmpty();
        assertThat(page.totalCount()).isEqualTo(matches(ALL, q().taskType("COMMAND").build()).size()).isPositive();
    }

    @Test
    void anOffsetPastTheEndReturnsNoTasksButTheTrueTotal() {
        TaskPage page = STORE.page(q().status("FAILED").offset(5000).limit(100).build());

        assertThat(page.tasks()).isEmpty();
        assertThat(page.totalCount()).isEqualTo(matches(ALL, q().status("FAILED").build()).size()).isPositive();
    }

    @Test
    void aStoreOfTwoHundredThousandTasksAgreesWithTheOracle() {
        SandboxTaskStore large = SandboxTaskStore.generate(new SandboxSettings(PROJECT, 7, 200_000, NOW));
        List<ScriptExecutionTask> all = large.allTasks();

        assertThat(all).hasSize(200_000).isSortedAccordingTo(TaskOrder.NEWEST_FIRST);
        assertThat(new HashSet<>(ids(all))).hasSize(200_000);
        // ties on start_time occur at this size, so the id tie-break is exercised
        long ties = IntStream.range(1, all.size())
                .filter(i -> all.get(i).startTime().equals(all.get(i - 1).startTime())).count();
        assertThat(ties).isGreaterThan(100);

        List<String> pools = pools(all);
        List<Script> scripts = scripts(all);
        Instant tied = IntStream.range(1, all.size())
                .filter(i -> all.get(i).startTime().equals(all.get(i - 1).startTime()))
                .mapToObj(i -> all.get(i).startTime()).skip(ties / 2).findFirst().orElseThrow();
        Instant older = all.get(150_000).startTime();
        Instant newer = all.get(20_000).startTime();
        Random random = new Random(5);
        List<String> someIds = IntStream.range(0, 100).mapToObj(i -> i == 0 ? "malformed"
                : i == 1 ? all.get(3).id().toUpperCase(Locale.ROOT)
                : all.get(random.nextInt(all.size())).id()).toList();

        List<Arguments> queries = new ArrayList<>(List.of(
                query("no filter", b -> b),
                query("one pool", b -> b.desktopPoolId(pools.get(5))),
                query("running", b -> b.status("RUNNING")),
                query("waiting", b -> b.status("WAITING")),
                query("commands", b -> b.taskType("command")),
                query("script id", b -> b.scriptId(scripts.get(2).id())),
                query("script name chrome", b -> b.scriptName("CHROME")),
                query("tied second exactly", b -> b.executeTimeStart(tied).executeTimeEnd(tied)),
                query("tied second, start with fraction", b -> b.executeTimeStart(tied.minusMillis(1))
                        .executeTimeEnd(tied.plusMillis(999))),
                query("window between tasks", b -> b.executeTimeStart(older).executeTimeEnd(newer)),
                query("ids", b -> b.taskIds(someIds)),
                query("pool, failed, window", b -> b.desktopPoolId(pools.get(1)).status("FAILED")
                        .executeTimeStart(older).executeTimeEnd(newer)),
                query("name, type, status, end", b -> b.scriptName("install").taskType("SCRIPT").status("success")
                        .executeTimeEnd(newer))));
        queries.addAll(demandingShapes(all));
        queries.addAll(combinations(all, 99, 6));
        for (Arguments query : queries) {
            assertAgreesWithOracle(large, all, "200k: " + query.get()[0], (TaskQuery) query.get()[1]);
        }
        assertThat(matches(all, q().executeTimeStart(tied).executeTimeEnd(tied).build())).hasSizeGreaterThan(1);
        // the realism rule on end_time holds at this size too
        List<String> finishedWithoutEnd = all.stream()
                .filter(t -> (t.status().equals(TaskStatus.FINISH) || t.status().equals(TaskStatus.FAILED))
                        != (t.endTime() != null))
                .map(t -> t.id() + " " + t.status() + " end=" + t.endTime()).toList();
        assertThat(finishedWithoutEnd).as("end_time present exactly for FINISH and FAILED").isEmpty();
        Set<TaskType> types = all.stream().map(ScriptExecutionTask::taskType).collect(Collectors.toSet());
        assertThat(types).containsOnly(TaskType.SCRIPT, TaskType.COMMAND);
    }
}
