package dev.pooltasks.domain.query;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.model.TaskType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.pooltasks.domain.model.TaskBuilder.aCommandTask;
import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@link TaskQuery#matches}: each filter on its own, and their AND-combination. */
class TaskQueryMatchesTest {
    private static final String PROJECT = "project";
    private static final Instant T = Instant.parse("2021-10-01T12:00:00Z");

    /** Two scripts, pool-1, FINISH, started at T. */
    private static final ScriptExecutionTask SCRIPT_TASK = aTask()
            .withId("task-a")
            .inPool("pool-1")
            .withScripts("s-chrome", "Install Chrome", "s-temp", "Clear TEMP files")
            .startedAt(T)
            .withStatus(TaskStatus.FINISH)
            .build();

    /** A command in pool-2, RUNNING, started at T. */
    private static final ScriptExecutionTask COMMAND_TASK = aCommandTask("ipconfig /flushdns", CommandType.BAT)
            .withId("task-b")
            .inPool("pool-2")
            .startedAt(T)
            .endedAt(null)
            .withStatus(TaskStatus.RUNNING)
            .build();

    private static TaskQuery query(UnaryOperator<TaskQuery.Builder> configure) {
        return configure.apply(TaskQuery.builder(PROJECT)).build();
    }

    static Stream<Arguments> singleFilters() {
        return Stream.of(
                // no filter
                arguments("no filter / script task", q(b -> b), SCRIPT_TASK, true),
                arguments("no filter / command task", q(b -> b), COMMAND_TASK, true),
                // desktop_pool_id: exact
                arguments("pool equal", q(b -> b.desktopPoolId("pool-1")), SCRIPT_TASK, true),
                arguments("pool other", q(b -> b.desktopPoolId("pool-2")), SCRIPT_TASK, false),
                arguments("pool prefix", q(b -> b.desktopPoolId("pool")), SCRIPT_TASK, false),
                arguments("pool longer", q(b -> b.desktopPoolId("pool-10")), SCRIPT_TASK, false),
                arguments("pool other case", q(b -> b.desktopPoolId("POOL-1")), SCRIPT_TASK, false),
                // script_id: exact on any script
                arguments("script id first", q(b -> b.scriptId("s-chrome")), SCRIPT_TASK, true),
                arguments("script id second", q(b -> b.scriptId("s-temp")), SCRIPT_TASK, true),
                arguments("script id unknown", q(b -> b.scriptId("s-other")), SCRIPT_TASK, false),
                arguments("script id prefix", q(b -> b.scriptId("s-")), SCRIPT_TASK, false),
                arguments("script id other case", q(b -> b.scriptId("S-CHROME")), SCRIPT_TASK, false),
                arguments("script id on command", q(b -> b.scriptId("s-chrome")), COMMAND_TASK, false),
                // script_name: case-insensitive substring of any script name
                arguments("name whole", q(b -> b.scriptName("Install Chrome")), SCRIPT_TASK, true),
                arguments("name lower", q(b -> b.scriptName("chrome")), SCRIPT_TASK, true),
                arguments("name upper", q(b -> b.scriptName("INSTALL")), SCRIPT_TASK, true),
                arguments("name mixed inner", q(b -> b.scriptName("aLl cH")), SCRIPT_TASK, true),
                arguments("name second script", q(b -> b.scriptName("temp")), SCRIPT_TASK, true),
                arguments("name across scripts", q(b -> b.scriptName("ChromeClear")), SCRIPT_TASK, false),
                arguments("name absent", q(b -> b.scriptName("firefox")), SCRIPT_TASK, false),
                arguments("name longer than name", q(b -> b.scriptName("Install Chrome 2")), SCRIPT_TASK, false),
                arguments("name on command", q(b -> b.scriptName("ipconfig")), COMMAND_TASK, false),
                arguments("name single char", q(b -> b.scriptName("z")), SCRIPT_TASK, false),
                // status
                arguments("SUCCESS on FINISH", q(b -> b.status("SUCCESS")), SCRIPT_TASK, true),
                arguments("FAILED on FINISH", q(b -> b.status("FAILED")), SCRIPT_TASK, false),
                arguments("RUNNING on RUNNING", q(b -> b.status("RUNNING")), COMMAND_TASK, true),
                arguments("WAITING on RUNNING", q(b -> b.status("WAITING")), COMMAND_TASK, false),
                arguments("SUCCESS on RUNNING", q(b -> b.status("SUCCESS")), COMMAND_TASK, false),
                // task_type
                arguments("SCRIPT on script task", q(b -> b.taskType("SCRIPT")), SCRIPT_TASK, true),
                arguments("COMMAND on script task", q(b -> b.taskType("COMMAND")), SCRIPT_TASK, false),
                arguments("COMMAND on command task", q(b -> b.taskType("COMMAND")), COMMAND_TASK, true),
                arguments("SCRIPT on command task", q(b -> b.taskType("SCRIPT")), COMMAND_TASK, false),
                // time bounds: inclusive at both ends
                arguments("start == start_time", q(b -> b.executeTimeStart(T)), SCRIPT_TASK, true),
                arguments("start 1ns after", q(b -> b.executeTimeStart(T.plusNanos(1))), SCRIPT_TASK, false),
                arguments("start 1s before", q(b -> b.executeTimeStart(T.minusSeconds(1))), SCRIPT_TASK, true),
                arguments("end == start_time", q(b -> b.executeTimeEnd(T)), SCRIPT_TASK, true),
                arguments("end 1ns before", q(b -> b.executeTimeEnd(T.minusNanos(1))), SCRIPT_TASK, false),
                arguments("end 1s after", q(b -> b.executeTimeEnd(T.plusSeconds(1))), SCRIPT_TASK, true),
                arguments("start == end == start_time", q(b -> b.executeTimeStart(T).executeTimeEnd(T)),
                        SCRIPT_TASK, true),
                arguments("window around", q(b -> b.executeTimeStart(T.minusSeconds(60))
                        .executeTimeEnd(T.plusSeconds(60))), SCRIPT_TASK, true),
                arguments("window before", q(b -> b.executeTimeStart(T.minusSeconds(60))
                        .executeTimeEnd(T.minusSeconds(1))), SCRIPT_TASK, false),
                arguments("window after", q(b -> b.executeTimeStart(T.plusSeconds(1))
                        .executeTimeEnd(T.plusSeconds(60))), SCRIPT_TASK, false),
                arguments("wire offset bound equal", q(b -> b.executeTimeStart("2021-10-01T20:00:00+08:00")
                        .executeTimeEnd("2021-10-01T12:00:00.000Z")), SCRIPT_TASK, true),
                // task ids
                arguments("id listed", q(b -> b.taskIds(List.of("task-a"))), SCRIPT_TASK, true),
                arguments("id among others", q(b -> b.taskIds(List.of("x", "task-a", "y"))), SCRIPT_TASK, true),
                arguments("id not listed", q(b -> b.taskIds(List.of("task-b"))), SCRIPT_TASK, false),
                arguments("id other case", q(b -> b.taskIds(List.of("TASK-A"))), SCRIPT_TASK, false),
                arguments("id prefix", q(b -> b.taskIds(List.of("task"))), SCRIPT_TASK, false));
    }

    /** Lets the table hold builder lambdas without a cast on each row. */
    private static TaskQuery q(UnaryOperator<TaskQuery.Builder> configure) {
        return query(configure);
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("singleFilters")
    void eachFilterOnItsOwn(String name, TaskQuery query, ScriptExecutionTask task, boolean expected) {
        assertThat(query.matches(task)).isEqualTo(expected);
    }

    static Stream<Arguments> combinations() {
        return Stream.of(
                arguments("all match", q(b -> b.desktopPoolId("pool-1").scriptId("s-temp").scriptName("CHROME")
                        .status("success").taskType("script").executeTimeStart(T).executeTimeEnd(T)
                        .taskIds(List.of("task-a"))), true),
                arguments("all but pool", q(b -> b.desktopPoolId("pool-2").scriptId("s-temp").scriptName("CHROME")
                        .status("success").taskType("script").executeTimeStart(T).executeTimeEnd(T)
                        .taskIds(List.of("task-a"))), false),
                arguments("all but script id", q(b -> b.desktopPoolId("pool-1").scriptId("s-x").scriptName("CHROME")
                        .status("success").taskType("script").executeTimeStart(T).executeTimeEnd(T)
                        .taskIds(List.of("task-a"))), false),
                arguments("all but name", q(b -> b.desktopPoolId("pool-1").scriptId("s-temp").scriptName("Edge")
                        .status("success").taskType("script").executeTimeStart(T).executeTimeEnd(T)
                        .taskIds(List.of("task-a"))), false),
                arguments("all but status", q(b -> b.desktopPoolId("pool-1").scriptId("s-temp").scriptName("CHROME")
                        .status("failed").taskType("script").executeTimeStart(T).executeTimeEnd(T)
                        .taskIds(List.of("task-a"))), false),
                arguments("all but type", q(b -> b.desktopPoolId("pool-1").scriptId("s-temp").scriptName("CHROME")
                        .status("success").taskType("command").executeTimeStart(T).executeTimeEnd(T)
                        .taskIds(List.of("task-a"))), false),
                arguments("all but start", q(b -> b.desktopPoolId("pool-1").scriptId("s-temp").scriptName("CHROME")
                        .status("success").taskType("script").executeTimeStart(T.plusMillis(1))
                        .taskIds(List.of("task-a"))), false),
                arguments("all but end", q(b -> b.desktopPoolId("pool-1").scriptId("s-temp").scriptName("CHROME")
                        .status("success").taskType("script").executeTimeEnd(T.minusMillis(1))
                        .taskIds(List.of("task-a"))), false),
                arguments("all but id", q(b -> b.desktopPoolId("pool-1").scriptId("s-temp").scriptName("CHROME")
                        .status("success").taskType("script").executeTimeStart(T).executeTimeEnd(T)
                        .taskIds(List.of("task-b"))), false),
                // script_id and script_name may be satisfied by different scripts of the same task
                arguments("id and name on different scripts", q(b -> b.scriptId("s-chrome").scriptName("temp")),
                        true));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("combinations")
    void filtersCombineWithAnd(String name, TaskQuery query, boolean expected) {
        assertThat(query.matches(SCRIPT_TASK)).isEqualTo(expected);
    }

    @Test
    void theWindowPlaysNoPartInMatching() {
        TaskQuery query = q(b -> b.desktopPoolId("pool-1").offset(50).limit(0));

        assertThat(query.matches(SCRIPT_TASK)).isTrue();
        assertThat(query.matches(COMMAND_TASK)).isFalse();
    }

    @Test
    void anUnknownTaskStatusMatchesOnlyItself() {
        ScriptExecutionTask paused = aTask().withStatus(new TaskStatus("PAUSED")).build();

        assertThat(q(b -> b.status(new TaskStatus("PAUSED"))).matches(paused)).isTrue();
        assertThat(q(b -> b.status(TaskStatus.FINISH)).matches(paused)).isFalse();
        assertThat(q(b -> b.status("FAILED")).matches(paused)).isFalse();
        assertThat(q(b -> b).matches(paused)).isTrue();
    }

    static Stream<Arguments> taskTypes() {
        return Stream.of(
                arguments("scripts, no command", aTask().withScripts("s", "n").build(), TaskType.SCRIPT),
                arguments("command, no scripts", aCommandTask("ls", CommandType.SHELL).build(), TaskType.COMMAND),
                arguments("command of unknown type", aCommandTask("ls", new CommandType("ZSH")).build(),
                        TaskType.COMMAND),
                arguments("command without type", aCommandTask("ls", null).build(), TaskType.COMMAND),
                arguments("scripts and a command", aTask().withScripts("s", "n").withCommand("ls", CommandType.SHELL)
                        .build(), TaskType.SCRIPT),
                arguments("neither", aTask().withNoScripts().build(), TaskType.SCRIPT));
    }

    @ParameterizedTest(name = "{0} is {2}")
    @MethodSource("taskTypes")
    void taskTypeOfATask(String name, ScriptExecutionTask task, TaskType expected) {
        assertThat(task.taskType()).isEqualTo(expected);
        assertThat(q(b -> b.taskType(expected)).matches(task)).isTrue();
        TaskType other = expected == TaskType.SCRIPT ? TaskType.COMMAND : TaskType.SCRIPT;
        assertThat(q(b -> b.taskType(other)).matches(task)).isFalse();
    }

    @Test
    void nameMatchesIsFalseWithoutANameFilter() {
        assertThat(q(b -> b).nameMatches(new Script("s", "anything"))).isFalse();
    }

    @Test
    void nameMatchesIgnoresCaseBeyondAscii() {
        Script script = new Script("s", "Überprüfung der ÄNDERUNGEN");

        assertThat(q(b -> b.scriptName("überprüfung")).nameMatches(script)).isTrue();
        assertThat(q(b -> b.scriptName("änderungen")).nameMatches(script)).isTrue();
        assertThat(q(b -> b.scriptName("aenderungen")).nameMatches(script)).isFalse();
    }

    @Test
    void aScriptTaskWithoutScriptsMatchesNoScriptFilter() {
        ScriptExecutionTask bare = aTask().withNoScripts().build();

        assertThat(q(b -> b.scriptName("a")).matches(bare)).isFalse();
        assertThat(q(b -> b.scriptId("script-1")).matches(bare)).isFalse();
    }
}
