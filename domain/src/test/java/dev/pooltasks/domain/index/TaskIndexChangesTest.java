package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.pooltasks.domain.index.QueryOracle.sorted;
import static dev.pooltasks.domain.index.TaskIndexOracleTest.assertAgreesWithOracle;
import static dev.pooltasks.domain.index.TaskIndexOracleTest.combinations;
import static dev.pooltasks.domain.index.TaskIndexOracleTest.indexOf;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link TaskIndex#withChanges} against rebuilding the index from scratch with the changed tasks. */
class TaskIndexChangesTest {
    private static final String PROJECT = TaskIndexOracleTest.PROJECT;

    /** The tasks with the upserts applied by id, the last of each id winning. */
    private static List<ScriptExecutionTask> applied(List<ScriptExecutionTask> tasks,
                                                     List<ScriptExecutionTask> upserts) {
        Map<String, ScriptExecutionTask> byId = new LinkedHashMap<>();
        tasks.forEach(t -> byId.put(t.id(), t));
        upserts.forEach(t -> byId.put(t.id(), t));
        return new ArrayList<>(byId.values());
    }

    private static ScriptExecutionTask withStatus(ScriptExecutionTask t, TaskStatus status, Instant end) {
        return new ScriptExecutionTask(t.id(), t.desktopPoolId(), t.desktopPoolName(), t.scripts(), t.commandContent(),
                t.commandType(), t.startTime(), end, status, t.successNum() + 1, t.failedNum(), t.skipNum());
    }

    private static ScriptExecutionTask startedAt(ScriptExecutionTask t, Instant start) {
        return new ScriptExecutionTask(t.id(), t.desktopPoolId(), t.desktopPoolName(), t.scripts(), t.commandContent(),
                t.commandType(), start, t.endTime(), t.status(), t.successNum(), t.failedNum(), t.skipNum());
    }

    /** The changes a sync brings: finished tasks, new newest tasks, tasks replaced whole or moved in order. */
    private static List<ScriptExecutionTask> changes(List<ScriptExecutionTask> tasks, RandomTasks random, Random pick,
                                                     int count) {
        List<ScriptExecutionTask> sorted = sorted(tasks);
        Instant newest = sorted.get(0).startTime();
        List<ScriptExecutionTask> upserts = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            ScriptExecutionTask existing = tasks.get(pick.nextInt(tasks.size()));
            upserts.add(switch (c % 6) {
                case 0 -> withStatus(existing, pick.nextBoolean() ? TaskStatus.FINISH : new TaskStatus("CANCELLED"),
                        existing.startTime().plusSeconds(60));
                case 1 -> startedAt(random.task(random.id()), newest.plusSeconds(1 + pick.nextInt(30)));
                case 2 -> random.task(existing.id()); // the same id, every other field anew
                case 3 -> startedAt(existing, random.start()); // moves in the order
                case 4 -> random.task(random.id()); // new, anywhere in the order
                default -> startedAt(existing, existing.startTime().plusNanos(1)); // moves past its tied neighbours
            });
        }
        return upserts;
    }

    private static void assertSameAsRebuilt(TaskIndex changed, List<ScriptExecutionTask> expectedTasks, long seed) {
        List<ScriptExecutionTask> expected = sorted(expectedTasks);
        assertThat(changed.size()).isEqualTo(expected.size());
        assertThat(changed.tasks()).isEqualTo(expected);
        assertThat(changed.tasks()).isEqualTo(indexOf(expectedTasks, seed).tasks());
        combinations(expected, seed, 40).forEach(query ->
                assertAgreesWithOracle(changed, expected, "changed: " + query.get()[0], (TaskQuery) query.get()[1]));
        for (ScriptExecutionTask task : expected) {
            assertThat(changed.task(task.id())).contains(task);
        }
    }

    @ParameterizedTest(name = "{0} changes")
    @ValueSource(ints = {1, 2, 6, 50, 1500})
    void changesGiveTheIndexOfTheChangedTasks(int count) {
        RandomTasks random = new RandomTasks(count);
        List<ScriptExecutionTask> tasks = random.tasks(2000);
        TaskIndex index = indexOf(tasks, count);
        List<ScriptExecutionTask> upserts = changes(tasks, random, new Random(count), count);

        TaskIndex changed = index.withChanges(upserts);

        assertSameAsRebuilt(changed, applied(tasks, upserts), count);
        // readers of the old index see it as it was
        assertThat(index.tasks()).isEqualTo(sorted(tasks));
        assertAgreesWithOracle(index, sorted(tasks), "the old index",
                TaskQuery.builder(PROJECT).status("FAILED").build());
    }

    @Test
    void successiveChangesAccumulate() {
        RandomTasks random = new RandomTasks(9);
        Random pick = new Random(9);
        List<ScriptExecutionTask> tasks = random.tasks(1000);
        TaskIndex index = indexOf(tasks, 9);
        for (int round = 0; round < 8; round++) {
            List<ScriptExecutionTask> upserts = changes(tasks, random, pick, 1 + pick.nextInt(40));
            tasks = applied(tasks, upserts);
            index = index.withChanges(upserts);
        }

        assertSameAsRebuilt(index, tasks, 9);
    }

    @Test
    void theLastUpsertOfAnIdWins() {
        RandomTasks random = new RandomTasks(3);
        List<ScriptExecutionTask> tasks = random.tasks(200);
        ScriptExecutionTask existing = tasks.get(17);
        ScriptExecutionTask first = withStatus(existing, TaskStatus.FAILED, null);
        ScriptExecutionTask last = startedAt(withStatus(existing, TaskStatus.FINISH, null), RandomTasks.EPOCH);
        ScriptExecutionTask fresh = random.task("fresh-task");
        List<ScriptExecutionTask> upserts = List.of(first, fresh, last, random.task("fresh-task"), fresh);

        TaskIndex changed = indexOf(tasks, 3).withChanges(upserts);

        assertThat(changed.size()).isEqualTo(201);
        assertThat(changed.task(existing.id())).contains(last);
        assertThat(changed.task("fresh-task")).contains(fresh);
        assertSameAsRebuilt(changed, applied(tasks, upserts), 3);
    }

    @Test
    void changesMayBringValuesTheIndexHasNotSeen() {
        RandomTasks random = new RandomTasks(4);
        List<ScriptExecutionTask> tasks = random.tasks(500);
        ScriptExecutionTask task = random.task("new-values");
        ScriptExecutionTask novel = new ScriptExecutionTask(task.id(), "pool-new", "a new pool",
                List.of(new Script("s-new", "Brand new script"), RandomTasks.SCRIPTS.get(0)), null, null,
                task.startTime().plusNanos(123), task.endTime(), new TaskStatus("SUSPENDED"), 1, 2, 3);

        TaskIndex changed = indexOf(tasks, 4).withChanges(List.of(novel));

        List<ScriptExecutionTask> expected = sorted(applied(tasks, List.of(novel)));
        for (TaskQuery query : List.of(
                TaskQuery.builder(PROJECT).desktopPoolId("pool-new").build(),
                TaskQuery.builder(PROJECT).scriptId("s-new").build(),
                TaskQuery.builder(PROJECT).scriptName("brand").build(),
                TaskQuery.builder(PROJECT).scriptName("chrome").build(),
                TaskQuery.builder(PROJECT).status(new TaskStatus("SUSPENDED")).build())) {
            TaskQuery justTheNovelTask = new TaskQuery(PROJECT, query.desktopPoolId(), query.scriptId(),
                    query.scriptName(), query.status(), query.taskType(), null, null, Set.of(novel.id()), 0, 10);
            assertThat(changed.page(justTheNovelTask).tasks()).as(query.toString()).containsExactly(novel);
            assertAgreesWithOracle(changed, expected, query.toString(), query);
        }
    }

    @Test
    void noChangesKeepTheIndex() {
        TaskIndex index = indexOf(new RandomTasks(5).tasks(100), 5);

        assertThat(index.withChanges(List.of())).isSameAs(index);
    }

    @Test
    void anEmptyIndexTakesChanges() {
        RandomTasks random = new RandomTasks(6);
        List<ScriptExecutionTask> tasks = random.tasks(300);

        TaskIndex changed = TaskIndex.builder().build().withChanges(tasks);

        assertSameAsRebuilt(changed, tasks, 6);
    }
}
