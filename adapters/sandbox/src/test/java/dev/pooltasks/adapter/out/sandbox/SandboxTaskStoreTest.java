package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.model.TaskType;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generation of the sandbox: determinism, realism, and the project it serves. */
class SandboxTaskStoreTest {
    static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final int COUNT = 3000;
    private static final Set<CommandType> COMMAND_TYPES = Set.of(CommandType.POWERSHELL, CommandType.BAT,
            CommandType.SHELL);

    private static SandboxTaskStore store;
    private static List<ScriptExecutionTask> tasks;

    @BeforeAll
    static void generate() {
        store = SandboxTaskStore.generate(new SandboxSettings(PROJECT, 42, COUNT, NOW));
        tasks = store.allTasks();
    }

    @Test
    void servesItsProjectWithTheRequestedNumberOfTasks() {
        assertThat(store.projectId()).isEqualTo(PROJECT);
        assertThat(store.size()).isEqualTo(COUNT);
        assertThat(tasks).hasSize(COUNT);
        assertThat(store.page(TaskQuery.builder(PROJECT).build()).totalCount()).isEqualTo(COUNT);
    }

    @Test
    void sameSettingsGiveIdenticalTasks() {
        SandboxTaskStore again = SandboxTaskStore.generate(new SandboxSettings(PROJECT, 42, COUNT, NOW));

        assertThat(again.allTasks()).isEqualTo(tasks);
    }

    @Test
    void anotherSeedGivesOtherTasks() {
        List<ScriptExecutionTask> other = SandboxTaskStore.generate(new SandboxSettings(PROJECT, 43, COUNT, NOW))
                .allTasks();

        assertThat(other).hasSize(COUNT).isNotEqualTo(tasks);
        Set<String> ids = tasks.stream().map(ScriptExecutionTask::id).collect(Collectors.toSet());
        assertThat(other).noneMatch(t -> ids.contains(t.id()));
        Set<String> pools = tasks.stream().map(ScriptExecutionTask::desktopPoolId).collect(Collectors.toSet());
        assertThat(other).noneMatch(t -> pools.contains(t.desktopPoolId()));
    }

    @Test
    void aSmallerSandboxSharesItsTasksWithALargerOne() {
        List<ScriptExecutionTask> small = SandboxTaskStore.generate(new SandboxSettings(PROJECT, 42, 500, NOW))
                .allTasks();

        assertThat(small).hasSize(500);
        assertThat(tasks).containsAll(small);
    }

    @Test
    void anEmptySandboxAnswersEmptyPages() {
        SandboxTaskStore empty = SandboxTaskStore.generate(new SandboxSettings(PROJECT, 42, 0, NOW));

        assertThat(empty.allTasks()).isEmpty();
        TaskPage page = empty.page(TaskQuery.builder(PROJECT).status("SUCCESS").build());
        assertThat(page.totalCount()).isZero();
        assertThat(page.tasks()).isEmpty();
        assertThat(empty.page(TaskQuery.builder(PROJECT).build()).totalCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"other-project", "0A1B2C3D4E5F46A7B8C9D0E1F2A3B4C5", "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c",
            " 0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5"})
    void anUnknownProjectIsNotFound(String projectId) {
        TaskQuery query = TaskQuery.builder(projectId).build();

        assertThatThrownBy(() -> store.page(query))
                .isInstanceOfSatisfying(ProjectNotFoundException.class,
                        e -> assertThat(e.projectId()).isEqualTo(projectId));
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new SandboxSettings(PROJECT, 1, -1, NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SandboxSettings(PROJECT, 1, SandboxSettings.MAX_TASK_COUNT + 1, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SandboxSettings(null, 1, 1, NOW)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new SandboxSettings(PROJECT, 1, 1, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void tasksAreInApiOrderWithUniqueCanonicalIds() {
        assertThat(tasks).isSortedAccordingTo(TaskOrder.NEWEST_FIRST);
        assertThat(tasks).extracting(ScriptExecutionTask::id).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    }

    @Test
    void tasksStartWithinTheThirtyDaysBeforeNow() {
        Instant earliest = NOW.minus(Duration.ofDays(30));

        assertThat(violations(t -> !t.startTime().isAfter(earliest) || t.startTime().isAfter(NOW)
                || t.startTime().getNano() != 0)).as("start_time outside (now - 30 days, now]").isEmpty();
        // spread over the whole period, not bunched up
        assertThat(tasks).anyMatch(t -> t.startTime().isBefore(earliest.plus(Duration.ofDays(1))));
        assertThat(tasks).anyMatch(t -> t.startTime().isAfter(NOW.minus(Duration.ofDays(1))));
    }

    @Test
    void scriptTasksRunOneToThreeDistinctScriptsAndNoCommand() {
        List<ScriptExecutionTask> scriptTasks = tasks.stream().filter(t -> t.taskType() == TaskType.SCRIPT).toList();

        assertThat(scriptTasks).isNotEmpty();
        assertThat(violations(t -> t.taskType() == TaskType.SCRIPT && (t.scripts().size() < 1
                || t.scripts().size() > 3
                || t.scripts().stream().map(Script::id).distinct().count() != t.scripts().size()
                || t.commandContent() != null || t.commandType() != null)))
                .as("SCRIPT tasks without 1-3 distinct scripts, or with a command").isEmpty();
        Map<Integer, Long> bySize = scriptTasks.stream()
                .collect(Collectors.groupingBy(t -> t.scripts().size(), Collectors.counting()));
        assertThat(bySize).containsOnlyKeys(1, 2, 3);
    }

    @Test
    void commandTasksRunACommandOfAKnownShellAndNoScripts() {
        List<ScriptExecutionTask> commandTasks = tasks.stream().filter(t -> t.taskType() == TaskType.COMMAND)
                .toList();

        assertThat(commandTasks).isNotEmpty();
        assertThat(violations(t -> t.taskType() == TaskType.COMMAND && (!t.scripts().isEmpty()
                || t.commandContent() == null || t.commandContent().isBlank()
                || !COMMAND_TYPES.contains(t.commandType()))))
                .as("COMMAND tasks without command, of an unknown shell, or with scripts").isEmpty();
        assertThat(violations(t -> t.scripts().isEmpty() && t.taskType() != TaskType.COMMAND))
                .as("tasks with neither scripts nor command").isEmpty();
        assertThat(commandTasks).extracting(ScriptExecutionTask::commandType).containsAll(COMMAND_TYPES);
    }

    @Test
    void bothTaskTypesAreWellRepresented() {
        long scripts = tasks.stream().filter(t -> t.taskType() == TaskType.SCRIPT).count();

        assertThat(scripts).isBetween(COUNT * 50L / 100, COUNT * 90L / 100);
    }

    @Test
    void poolsRunScriptsAndCommandsOfTheirOwnOperatingSystem() {
        Map<String, List<ScriptExecutionTask>> byPool = tasks.stream()
                .collect(Collectors.groupingBy(ScriptExecutionTask::desktopPoolId));
        assertThat(byPool).hasSizeGreaterThan(1);

        byPool.forEach((pool, poolTasks) -> {
            assertThat(poolTasks).extracting(ScriptExecutionTask::desktopPoolName).isNotEmpty()
                    .doesNotContainNull().containsOnly(poolTasks.get(0).desktopPoolName());
            boolean windows = poolTasks.get(0).desktopPoolName().contains("-win");
            Set<CommandType> shells = poolTasks.stream().map(ScriptExecutionTask::commandType)
                    .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
            if (windows) {
                assertThat(shells).as(pool).doesNotContain(CommandType.SHELL);
            } else {
                assertThat(shells).as(pool).containsOnly(CommandType.SHELL);
            }
        });
        Map<String, Set<String>> poolsOfScript = tasks.stream()
                .flatMap(t -> t.scripts().stream().map(s -> Map.entry(s.id(), t.desktopPoolName().contains("-win"))))
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(e -> String.valueOf(e.getValue()), Collectors.toSet())));
        assertThat(poolsOfScript.values()).as("a script runs on one OS only").allMatch(s -> s.size() == 1);
    }

    @Test
    void scriptIdsAndNamesAreConsistentAcrossTasks() {
        Map<String, Set<String>> namesById = tasks.stream().flatMap(t -> t.scripts().stream())
                .collect(Collectors.groupingBy(Script::id, Collectors.mapping(Script::name, Collectors.toSet())));

        assertThat(namesById).isNotEmpty().allSatisfy((id, names) -> assertThat(names).hasSize(1));
        assertThat(new HashSet<>(namesById.values())).hasSize(namesById.size());
    }

    @Test
    void mostTasksFinishAndSomeFail() {
        Map<TaskStatus, Long> byStatus = tasks.stream()
                .collect(Collectors.groupingBy(ScriptExecutionTask::status, Collectors.counting()));

        assertThat(byStatus.keySet()).isSubsetOf(TaskStatus.FINISH, TaskStatus.FAILED, TaskStatus.RUNNING,
                TaskStatus.INIT);
        assertThat(byStatus.get(TaskStatus.FINISH)).isGreaterThan(COUNT * 70L / 100);
        assertThat(byStatus.get(TaskStatus.FAILED)).isPositive().isLessThan(COUNT * 30L / 100);
    }

    @Test
    void onlyRecentTasksAreStillRunningOrWaiting() {
        Instant recent = NOW.minus(Duration.ofMinutes(50));
        List<ScriptExecutionTask> unfinished = tasks.stream()
                .filter(t -> t.status().equals(TaskStatus.RUNNING) || t.status().equals(TaskStatus.INIT)).toList();

        assertThat(unfinished).isNotEmpty();
        assertThat(violations(t -> !finished(t) && !t.startTime().isAfter(recent))).as("old unfinished tasks")
                .isEmpty();
    }

    /** The tasks that break a rule, summarised, so that a failure names only the offenders. */
    private static List<String> violations(java.util.function.Predicate<ScriptExecutionTask> broken) {
        return tasks.stream().filter(broken).map(SandboxTaskStoreTest::summary).toList();
    }

    private static String summary(ScriptExecutionTask t) {
        return t.id() + " " + t.status() + " start=" + t.startTime() + " end=" + t.endTime() + " success="
                + t.successNum() + " failed=" + t.failedNum() + " skip=" + t.skipNum();
    }

    private static boolean finished(ScriptExecutionTask t) {
        return t.status().equals(TaskStatus.FINISH) || t.status().equals(TaskStatus.FAILED);
    }

    @Test
    void endTimeIsPresentExactlyForFinishedTasks() {
        assertThat(violations(t -> finished(t) && t.endTime() == null)).as("finished without end_time").isEmpty();
        assertThat(violations(t -> !finished(t) && t.endTime() != null)).as("unfinished with end_time").isEmpty();
    }

    @Test
    void endTimeIsAfterTheStartAndNotAfterNow() {
        assertThat(violations(t -> t.endTime() != null && !t.endTime().isAfter(t.startTime())))
                .as("end_time not after start_time").isEmpty();
        assertThat(violations(t -> t.endTime() != null && t.endTime().isAfter(NOW))).as("end_time after now")
                .isEmpty();
    }

    @Test
    void countsAreNonNegativeAndConsistentWithTheStatus() {
        assertThat(violations(t -> t.successNum() < 0 || t.failedNum() < 0 || t.skipNum() < 0))
                .as("negative counts").isEmpty();
        assertThat(violations(t -> t.status().equals(TaskStatus.FINISH) && t.successNum() == 0))
                .as("FINISH without success").isEmpty();
        assertThat(violations(t -> t.status().equals(TaskStatus.FAILED) && t.failedNum() + t.skipNum() == 0))
                .as("FAILED without failures or skips").isEmpty();
        assertThat(violations(t -> t.status().equals(TaskStatus.INIT) && t.successNum() + t.failedNum() > 0))
                .as("INIT with executed records").isEmpty();
        // a realistic mix: some finished tasks report failures or skips
        assertThat(tasks).anyMatch(t -> t.status().equals(TaskStatus.FINISH) && t.failedNum() > 0);
        assertThat(tasks).anyMatch(t -> t.status().equals(TaskStatus.FINISH) && t.skipNum() > 0);
    }

    @Test
    void everyPoolStatusAndTypeIsRepresented() {
        Function<Function<ScriptExecutionTask, Object>, Set<Object>> distinct =
                f -> tasks.stream().map(f).collect(Collectors.toSet());

        assertThat(distinct.apply(ScriptExecutionTask::desktopPoolId)).hasSize(8);
        assertThat(distinct.apply(ScriptExecutionTask::taskType)).containsOnly(TaskType.SCRIPT, TaskType.COMMAND);
        assertThat(distinct.apply(ScriptExecutionTask::status)).contains(TaskStatus.FINISH, TaskStatus.FAILED);
    }
}
