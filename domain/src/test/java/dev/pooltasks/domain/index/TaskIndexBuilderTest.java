package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.ComponentWiseEquality;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskIndexBuilderTest {
    private static final TaskQuery ALL = TaskQuery.builder("any-project").limit(100).build();

    @Test
    void anEmptyIndexAnswersEmptyPages() {
        TaskIndex empty = TaskIndex.builder().build();

        assertThat(empty.size()).isZero();
        assertThat(empty.tasks()).isEmpty();
        assertThat(empty.page(ALL)).isEqualTo(new TaskPage(0, List.of()));
        assertThat(empty.page(TaskQuery.builder("p").status("FAILED").scriptName("x").build()).totalCount()).isZero();
        assertThat(empty.task("anything")).isEmpty();
    }

    @Test
    void ofSeveralTasksWithOneIdTheLastAddedIsKept() {
        ScriptExecutionTask first = aTask().withId("a").withStatus(TaskStatus.RUNNING).build();
        ScriptExecutionTask other = aTask().withId("b").build();
        ScriptExecutionTask last = aTask().withId("a").withStatus(TaskStatus.FINISH).startedAt("2021-10-02T00:00:00Z")
                .build();

        TaskIndex index = TaskIndex.builder(1).add(first).add(other).add(last).build();

        assertThat(index.tasks()).containsExactly(last, other);
        assertThat(index.task("a")).contains(last);
        assertThat(index.page(TaskQuery.builder("p").status("RUNNING").build()).totalCount()).isZero();
    }

    @Test
    void theProjectIdOfTheQueryPlaysNoPart() {
        TaskIndex index = TaskIndex.builder().add(aTask().build()).build();

        assertThat(index.page(TaskQuery.builder("one").build()))
                .isEqualTo(index.page(TaskQuery.builder("other").build()));
        assertThat(index.page(TaskQuery.builder("one").build()).totalCount()).isEqualTo(1);
    }

    @Test
    void aBuilderBuildsOnce() {
        TaskIndex.Builder builder = TaskIndex.builder().add(aTask().build());
        builder.build();

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.add(aTask().build())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TaskIndex.builder(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskIndex.builder().add(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theTasksViewIsReadOnlyAndBounded() {
        TaskIndex index = TaskIndex.builder().add(aTask().build()).build();

        assertThatThrownBy(() -> index.tasks().add(aTask().build())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> index.tasks().get(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> index.tasks().get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void dictionaryEntriesAreEqualByEveryComponent() {
        ComponentWiseEquality.assertComponentWise(TaskDictionaries.Pool.class, new Object[]{"pool-1", "Pool one"},
                new Object[]{"pool-2", null});
        ComponentWiseEquality.assertComponentWise(TaskDictionaries.Pool.class, new Object[]{"pool-1", null},
                new Object[]{null, "Pool one"});
        ComponentWiseEquality.assertComponentWise(TaskDictionaries.Command.class,
                new Object[]{"ipconfig", CommandType.BAT}, new Object[]{null, CommandType.POWERSHELL});
        ComponentWiseEquality.assertComponentWise(TaskDictionaries.Command.class, new Object[]{null, null},
                new Object[]{"ls", CommandType.SHELL});
    }
}
