package dev.pooltasks.domain.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lenient value types and the invariants of the model records. */
class ModelValuesTest {

    @ParameterizedTest
    @ValueSource(strings = {"PAUSED", "CANCELLED", "finish", "", "Some Future Status"})
    void taskStatusKeepsUnknownValues(String value) {
        TaskStatus status = new TaskStatus(value);

        assertThat(status.value()).isEqualTo(value);
        assertThat(status).hasToString(value).isEqualTo(new TaskStatus(value));
        assertThat(List.of(TaskStatus.FINISH, TaskStatus.FAILED, TaskStatus.RUNNING, TaskStatus.INIT))
                .doesNotContain(status);
    }

    @Test
    void valueTypesAreEqualByEveryComponent() {
        ComponentWiseEquality.assertComponentWise(TaskStatus.class, new Object[]{"FAILED"}, new Object[]{"FINISH"});
        ComponentWiseEquality.assertComponentWise(CommandType.class, new Object[]{"BAT"}, new Object[]{"SHELL"});
        ComponentWiseEquality.assertComponentWise(Script.class, new Object[]{"s-1", "chrome"},
                new Object[]{"s-2", "logs"});
    }

    @Test
    void knownTaskStatusesAreValueEqual() {
        assertThat(new TaskStatus("FINISH")).isEqualTo(TaskStatus.FINISH).hasSameHashCodeAs(TaskStatus.FINISH);
        assertThat(new TaskStatus("INIT")).isEqualTo(TaskStatus.INIT);
        assertThat(TaskStatus.FAILED.value()).isEqualTo("FAILED");
        assertThat(TaskStatus.RUNNING).hasToString("RUNNING");
        assertThat(TaskStatus.FINISH).isNotEqualTo(TaskStatus.INIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PYTHON", "ZSH", "powershell", "CMD"})
    void commandTypeKeepsUnknownValues(String value) {
        CommandType type = new CommandType(value);

        assertThat(type.value()).isEqualTo(value);
        assertThat(type).hasToString(value).isEqualTo(new CommandType(value));
        assertThat(List.of(CommandType.POWERSHELL, CommandType.BAT, CommandType.SHELL)).doesNotContain(type);
    }

    @Test
    void knownCommandTypesAreValueEqual() {
        assertThat(new CommandType("POWERSHELL")).isEqualTo(CommandType.POWERSHELL);
        assertThat(new CommandType("BAT")).isEqualTo(CommandType.BAT);
        assertThat(new CommandType("SHELL")).isEqualTo(CommandType.SHELL).hasToString("SHELL");
    }

    @Test
    void valueTypesRejectNull() {
        assertThatThrownBy(() -> new TaskStatus(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new CommandType(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Script(null, "n")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Script("i", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aTaskRequiresIdPoolStartAndStatus() {
        assertThatThrownBy(() -> aTask().withId(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> aTask().inPool(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> aTask().startedAt((Instant) null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> aTask().withStatus(null).build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aTaskAllowsMissingPoolNameEndTimeAndCommand() {
        ScriptExecutionTask task = aTask().inPool("p", null).endedAt(null).withCommand(null, null).build();

        assertThat(task.desktopPoolName()).isNull();
        assertThat(task.endTime()).isNull();
        assertThat(task.commandContent()).isNull();
        assertThat(task.commandType()).isNull();
    }

    @Test
    void aTaskKeepsAnUnmodifiableCopyOfItsScripts() {
        List<Script> scripts = new ArrayList<>(List.of(new Script("s1", "one")));
        ScriptExecutionTask task = new ScriptExecutionTask("t", "p", null, scripts, null, null,
                Instant.EPOCH, null, TaskStatus.INIT, 0, 0, 0);
        scripts.add(new Script("s2", "two"));

        assertThat(task.scripts()).containsExactly(new Script("s1", "one"));
        assertThatCode(() -> task.scripts().add(new Script("s3", "three")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullScriptsMeanNoScripts() {
        ScriptExecutionTask task = new ScriptExecutionTask("t", "p", null, null, "ls", CommandType.SHELL,
                Instant.EPOCH, null, TaskStatus.INIT, 0, 0, 0);

        assertThat(task.scripts()).isEmpty();
        assertThat(task.taskType()).isEqualTo(TaskType.COMMAND);
    }

    @Test
    void taskPageRejectsANegativeTotalAndCopiesItsTasks() {
        assertThatThrownBy(() -> new TaskPage(-1, List.of())).isInstanceOf(IllegalArgumentException.class);

        List<ScriptExecutionTask> tasks = new ArrayList<>(List.of(aTask().build()));
        TaskPage page = new TaskPage(5, tasks);
        tasks.clear();

        assertThat(page.totalCount()).isEqualTo(5);
        assertThat(page.tasks()).hasSize(1);
        assertThatCode(() -> page.tasks().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThat(new TaskPage(0, List.of()).tasks()).isEmpty();
    }
}
