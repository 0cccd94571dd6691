package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.pooltasks.domain.index.QueryOracle.TYPES;
import static dev.pooltasks.domain.index.QueryOracle.assertAgrees;
import static dev.pooltasks.domain.index.QueryOracle.ids;
import static dev.pooltasks.domain.index.QueryOracle.matches;
import static dev.pooltasks.domain.index.QueryOracle.pools;
import static dev.pooltasks.domain.index.QueryOracle.scripts;
import static dev.pooltasks.domain.index.QueryOracle.sorted;
import static dev.pooltasks.domain.index.QueryOracle.window;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The index's answers against a brute-force oracle: every task, sorted with {@link TaskOrder#NEWEST_FIRST} and
 * filtered with {@link TaskQuery#matches}, for total_count and for the page window, over random tasks of every shape
 * (see {@link RandomTasks}).
 */
class TaskIndexOracleTest {
    static final String PROJECT = "project-1";

    private static final List<ScriptExecutionTask> TASKS = tasks();
    private static final List<ScriptExecutionTask> SORTED = sorted(TASKS);
    private static final TaskIndex INDEX = indexOf(TASKS, 1);

    /** Random tasks, plus tasks whose ids differ only in case or mix id forms within one second. */
    private static List<ScriptExecutionTask> tasks() {
        RandomTasks random = new RandomTasks(2026);
        List<ScriptExecutionTask> tasks = new ArrayList<>(random.tasks(3000));
        String twin = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        Instant tied = RandomTasks.EPOCH.plusSeconds(100);
        for (String id : List.of(twin, twin.toUpperCase(Locale.ROOT), "3f2504e0",
                "3F2504E0-4F89-41D3-9A0C-0305E82C3302",
                "ffffffff-ffff-ffff-ffff-ffffffffffff", "00000000-0000-0000-0000-000000000000", "-", "g", "Z",
                "3f2504e0-4f89-41d3-9a0c-0305e82c330", "3f2504e0-4f89-41d3-9a0c-0305e82c33011")) {
            ScriptExecutionTask task = random.task(id);
            tasks.add(new ScriptExecutionTask(id, task.desktopPoolId(), task.desktopPoolName(), task.scripts(),
                    task.commandContent(), task.commandType(), tied, task.endTime(), task.status(), task.successNum(),
                    task.failedNum(), task.skipNum()));
        }
        return tasks;
    }

    /** An index of the tasks, added in a shuffled order. */
    static TaskIndex indexOf(List<ScriptExecutionTask> tasks, long shuffleSeed) {
        List<ScriptExecutionTask> shuffled = new ArrayList<>(tasks);
        Collections.shuffle(shuffled, new Random(shuffleSeed));
        TaskIndex.Builder builder = TaskIndex.builder();
        shuffled.forEach(builder::add);
        return builder.build();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the oracle

    /** Checks windows of a query's filters (offsets near the start, middle and end) against the oracle. */
    static void assertAgreesWithOracle(TaskIndex index, List<ScriptExecutionTask> sorted, String name,
                                       TaskQuery filters) {
        assertAgrees(index::page, sorted, name, filters, total -> new int[]{0, 3, total / 2, Math.max(0, total - 101),
                Math.max(0, total - 7), Math.max(0, total - 1), total, total + 1, 1000, Integer.MAX_VALUE});
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the query universe, drawn from the tasks themselves

    private static TaskQuery.Builder q() {
        return TaskQuery.builder(PROJECT);
    }

    private static Arguments query(String name, UnaryOperator<TaskQuery.Builder> configure) {
        return arguments(name, configure.apply(q()).build());
    }

    private static final List<String> STATUS_FILTERS = List.of("SUCCESS", "FAILED", "RUNNING", "WAITING", "finish",
            "Init");
    private static final List<String> NAME_FRAGMENTS = List.of(
            "chrome",                // three scripts, one of them named just that
            "CHROME",
            "Install",
            "iNsTaLl cHrOmE (DEB)",  // exactly one, whole name in another case
            "logs",                  // two, one in upper case
            "reset windows update",  // one id under two names: both
            "(v2)",                  // one id under two names: one of them
            "e",                     // nearly every script
            " ",                     // every script with two words
            "utc+8",
            "rotate",                // the rare script
            "Chrome(deb)",           // none: no such substring
            "ipconfig",              // a command, not a script: none
            "Install Chrome (deb) ");// none: trailing space

    static Stream<Arguments> singleFilters() {
        List<Arguments> queries = new ArrayList<>();
        queries.add(query("no filter", b -> b));
        for (String pool : pools(TASKS)) {
            queries.add(query("pool " + pool, b -> b.desktopPoolId(pool)));
        }
        queries.add(query("unknown pool", b -> b.desktopPoolId("pool-z")));
        queries.add(query("pool id in upper case", b -> b.desktopPoolId("POOL-B")));
        for (String status : STATUS_FILTERS) {
            queries.add(query("status " + status, b -> b.status(status)));
        }
        for (TaskStatus status : RandomTasks.STATUSES) {
            queries.add(query("task status " + status, b -> b.status(status)));
        }
        queries.add(query("status no task has", b -> b.status(new TaskStatus("PAUSING"))));
        for (String type : TYPES) {
            queries.add(query("type " + type, b -> b.taskType(type)));
        }
        for (Script script : scripts(TASKS)) {
            queries.add(query("script id of " + script.name(), b -> b.scriptId(script.id())));
            queries.add(query("whole script name " + script.name(), b -> b.scriptName(script.name())));
        }
        queries.add(query("unknown script id", b -> b.scriptId("no-such-script")));
        queries.add(query("a pool id as script id", b -> b.scriptId("pool-a")));
        for (String fragment : NAME_FRAGMENTS) {
            queries.add(query("script name '" + fragment + "'", b -> b.scriptName(fragment)));
        }
        queries.addAll(timeWindows(SORTED));
        queries.addAll(taskIdLists(SORTED, new Random(11)));
        return queries.stream();
    }

    private static List<Arguments> timeWindows(List<ScriptExecutionTask> sorted) {
        List<Arguments> queries = new ArrayList<>();
        int n = sorted.size();
        List<Integer> positions = new ArrayList<>(List.of(0, 1, 10, n / 3, n / 2, n - 2, n - 1));
        // tasks that started within a second, not on it
        IntStream.range(0, n).filter(p -> sorted.get(p).startTime().getNano() != 0).limit(3).forEach(positions::add);
        for (int position : positions) {
            Instant t = sorted.get(position).startTime();
            String at = "task #" + position + " start " + t;
            queries.add(query("start == " + at, b -> b.executeTimeStart(t)));
            queries.add(query("end == " + at, b -> b.executeTimeEnd(t)));
            queries.add(query("start == end == " + at, b -> b.executeTimeStart(t).executeTimeEnd(t)));
            queries.add(query("start 1ns after " + at, b -> b.executeTimeStart(t.plusNanos(1))));
            queries.add(query("start 1ns before " + at, b -> b.executeTimeStart(t.minusNanos(1))));
            queries.add(query("end 1ns before " + at, b -> b.executeTimeEnd(t.minusNanos(1))));
            queries.add(query("end 1ns after " + at, b -> b.executeTimeEnd(t.plusNanos(1))));
            queries.add(query("start .5s before, end .5s after " + at,
                    b -> b.executeTimeStart(t.minusMillis(500)).executeTimeEnd(t.plusMillis(500))));
            queries.add(query("the second of " + at, b -> b.executeTimeStart(t.minusNanos(t.getNano()))
                    .executeTimeEnd(t.minusNanos(t.getNano()).plusNanos(999_999_999))));
        }
        Instant newer = sorted.get(n / 4).startTime();
        Instant older = sorted.get(3 * n / 4).startTime();
        queries.add(query("window between two tasks' starts", b -> b.executeTimeStart(older).executeTimeEnd(newer)));
        queries.add(query("wire window with offsets", b -> b
                .executeTimeStart(older.atOffset(ZoneOffset.ofHours(8)).toString())
                .executeTimeEnd(newer.atOffset(ZoneOffset.ofHoursMinutes(-5, -30)).toString())));
        queries.add(query("before all tasks", b -> b.executeTimeEnd(sorted.get(n - 1).startTime().minusSeconds(1))));
        queries.add(query("after all tasks", b -> b.executeTimeStart(sorted.get(0).startTime().plusNanos(1))));
        queries.add(query("everything", b -> b.executeTimeStart(Instant.MIN).executeTimeEnd(Instant.MAX)));
        return queries;
    }

    private static List<Arguments> taskIdLists(List<ScriptExecutionTask> sorted, Random random) {
        List<Arguments> queries = new ArrayList<>();
        String first = sorted.get(0).id();
        String middle = sorted.get(sorted.size() / 2).id();
        String last = sorted.get(sorted.size() - 1).id();
        String twin = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
        queries.add(query("one id", b -> b.taskIds(List.of(middle))));
        queries.add(query("first, middle and last ids", b -> b.taskIds(List.of(last, first, middle))));
        queries.add(query("unknown uuid", b -> b.taskIds(List.of(new UUID(random.nextLong(), random.nextLong())
                .toString()))));
        queries.add(query("a lower-case id whose upper-case twin is another task", b -> b.taskIds(List.of(twin))));
        queries.add(query("the upper-case twin", b -> b.taskIds(List.of(twin.toUpperCase(Locale.ROOT)))));
        queries.add(query("an upper-case id asked in lower case", b -> b.taskIds(
                List.of("3f2504e0-4f89-41d3-9a0c-0305e82c3302"))));
        queries.add(query("ids of other forms", b -> b.taskIds(List.of("3f2504e0", "-", "g", "Z", "task-7", "T8"))));
        queries.add(query("malformed and near-miss ids", b -> b.taskIds(List.of("abc", twin.substring(1), twin + "0",
                twin.replace('-', '_'), "3f2504e0-4f89-41d3-9a0c-0305e82c330", " " + twin))));
        List<String> hundred = IntStream.range(0, 100).mapToObj(i -> i % 5 == 4
                ? new UUID(random.nextLong(), random.nextLong()).toString()
                : sorted.get(random.nextInt(sorted.size())).id()).toList();
        queries.add(query("up to 100 ids", b -> b.taskIds(hundred)));
        queries.add(query("the 100 newest ids", b -> b.taskIds(ids(sorted.subList(0, 100)))));
        return queries;
    }

    /** 2 to 4 filters at random, mostly with values that do match some tasks (see {@link QueryOracle#combinations}). */
    static List<Arguments> combinations(List<ScriptExecutionTask> sorted, long seed, int count) {
        return QueryOracle.combinations(sorted, PROJECT, seed, count, NAME_FRAGMENTS, STATUS_FILTERS,
                RandomTasks.STATUSES);
    }

    static Stream<Arguments> combinations() {
        return combinations(SORTED, 20261129L, 300).stream();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // tests

    @Test
    void tasksAreInApiOrder() {
        assertThat(INDEX.size()).isEqualTo(TASKS.size());
        assertThat(INDEX.tasks()).hasSize(TASKS.size()).isEqualTo(SORTED);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleFilters")
    void singleFiltersAgreeWithTheOracle(String name, TaskQuery filters) {
        assertAgreesWithOracle(INDEX, SORTED, name, filters);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void combinedFiltersAgreeWithTheOracle(String name, TaskQuery filters) {
        assertAgreesWithOracle(INDEX, SORTED, name, filters);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void everyMatchIsVisitedInOrderWithItsColumns(String name, TaskQuery filters) {
        List<ScriptExecutionTask> visited = new ArrayList<>();
        long[] successes = {0};
        INDEX.forEachMatch(filters.withWindow(5, 1), position -> {
            visited.add(INDEX.tasks().get(position));
            successes[0] += INDEX.columns().successNum[position];
        });

        List<ScriptExecutionTask> expected = matches(SORTED, filters);
        assertThat(visited).as(name).isEqualTo(expected);
        assertThat(successes[0]).isEqualTo(expected.stream().mapToLong(ScriptExecutionTask::successNum).sum());
    }

    @Test
    void concurrentReadersOfAFreshIndexAgreeWithTheOracle() throws Exception {
        TaskIndex fresh = indexOf(TASKS, 2); // its cache of script unions starts empty
        List<TaskQuery> queries = Stream.concat(singleFilters(), combinations())
                .map(a -> ((TaskQuery) a.get()[1]).withWindow(3, 100)).toList();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> answers = new ArrayList<>();
            for (int reader = 0; reader < 4; reader++) {
                List<TaskQuery> mine = new ArrayList<>(queries);
                Collections.shuffle(mine, new Random(reader));
                answers.add(readers.submit(() -> mine.stream()
                        .filter(q -> !ids(fresh.page(q).tasks()).equals(ids(window(matches(SORTED, q), 3, 100))))
                        .map(TaskQuery::toString).toList()));
            }
            for (Future<List<String>> answer : answers) {
                assertThat(answer.get(2, TimeUnit.MINUTES)).as("queries answered wrongly").isEmpty();
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void theQueriesCoverEmptySmallAndLargeResultsOfEveryShape() {
        List<Integer> totals = Stream.concat(singleFilters(), combinations())
                .map(a -> matches(SORTED, (TaskQuery) a.get()[1]).size()).toList();

        assertThat(totals).contains(0, 1, SORTED.size());
        assertThat(totals).anyMatch(t -> t > 1 && t < 7);
        assertThat(totals).anyMatch(t -> t > 100 && t < SORTED.size());
        assertThat(combinations().filter(a -> !matches(SORTED, (TaskQuery) a.get()[1]).isEmpty()).count())
                .isGreaterThan(80);
        // the data has every shape the index must tell apart
        assertThat(SORTED).anyMatch(t -> t.startTime().getNano() != 0);
        assertThat(IntStream.range(1, SORTED.size())
                .filter(p -> SORTED.get(p).startTime().equals(SORTED.get(p - 1).startTime())).count())
                .isGreaterThan(100);
        assertThat(SORTED).anyMatch(t -> t.desktopPoolName() == null);
        assertThat(SORTED).anyMatch(t -> t.endTime() == null);
        assertThat(SORTED).anyMatch(t -> t.endTime() != null && t.endTime().getNano() != 0);
        assertThat(SORTED).anyMatch(t -> !t.scripts().isEmpty() && t.commandContent() != null);
        assertThat(SORTED).anyMatch(t -> t.scripts().size() > t.scripts().stream().distinct().count());
        assertThat(SORTED).anyMatch(t -> t.status().equals(new TaskStatus("PAUSED")));
    }

    @Test
    void eachTaskIsFoundByItsExactId() {
        for (ScriptExecutionTask task : TASKS) {
            assertThat(INDEX.task(task.id())).as(task.id()).contains(task);
        }
        assertThat(INDEX.task("3f2504e0-4f89-41d3-9a0c-0305e82c3301")).get()
                .extracting(ScriptExecutionTask::id).isEqualTo("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
        assertThat(INDEX.task("3F2504E0-4F89-41D3-9A0C-0305E82C3301")).get()
                .extracting(ScriptExecutionTask::id).isEqualTo("3F2504E0-4F89-41D3-9A0C-0305E82C3301");
        assertThat(INDEX.task("3f2504e0-4f89-41d3-9a0c-0305e82c3302")).isEmpty();
        assertThat(INDEX.task(new UUID(1, 2).toString())).isEmpty();
        assertThat(INDEX.task("")).isEmpty();
        assertThat(INDEX.task("task-")).isEmpty();
    }

    @Test
    void startTimesYearsApartAreOrderedToo() {
        RandomTasks random = new RandomTasks(5);
        List<ScriptExecutionTask> tasks = new ArrayList<>(random.tasks(300));
        for (Instant start : List.of(Instant.MIN, Instant.MAX, Instant.EPOCH, Instant.parse("0001-01-01T00:00:00Z"))) {
            ScriptExecutionTask task = random.task(random.id());
            tasks.add(new ScriptExecutionTask(task.id(), task.desktopPoolId(), task.desktopPoolName(),
                    task.scripts(), task.commandContent(), task.commandType(), start, null, task.status(), 0, 0, 0));
        }
        List<ScriptExecutionTask> sorted = sorted(tasks);
        TaskIndex index = indexOf(tasks, 3);

        assertThat(index.tasks()).isEqualTo(sorted);
        assertAgreesWithOracle(index, sorted, "the oldest", q().executeTimeEnd(Instant.MIN).build());
        assertAgreesWithOracle(index, sorted, "the newest", q().executeTimeStart(Instant.MAX).build());
        assertAgreesWithOracle(index, sorted, "before 1970", q().executeTimeEnd(Instant.EPOCH.minusNanos(1)).build());
        assertAgreesWithOracle(index, sorted, "failed, from 1970", q().status("FAILED")
                .executeTimeStart(Instant.EPOCH).build());
    }

    @Test
    void aLargerIndexAgreesWithTheOracle() {
        List<ScriptExecutionTask> tasks = new RandomTasks(77).tasks(40_000);
        List<ScriptExecutionTask> sorted = sorted(tasks);
        TaskIndex index = indexOf(tasks, 77);

        assertThat(index.tasks()).isEqualTo(sorted);
        for (Arguments query : combinations(sorted, 77, 60)) {
            assertAgreesWithOracle(index, sorted, "40k: " + query.get()[0], (TaskQuery) query.get()[1]);
        }
        assertAgreesWithOracle(index, sorted, "40k: script name e, failed, script tasks",
                q().scriptName("e").status("FAILED").taskType("SCRIPT").build());
        assertAgreesWithOracle(index, sorted, "40k: the rare script, a pool",
                q().scriptName("rotate").desktopPoolId("pool-a").build());
        assertAgreesWithOracle(index, sorted, "40k: the rare pool, finished",
                q().desktopPoolId("pool-rare").status("SUCCESS").build());
    }
}
