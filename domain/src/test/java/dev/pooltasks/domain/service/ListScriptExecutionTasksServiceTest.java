package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListScriptExecutionTasksServiceTest {

    /** A hand-written port that records the queries it receives and answers with a function of the query. */
    private static final class FakePort implements LoadScriptExecutionTasksPort {
        final List<TaskQuery> received = new ArrayList<>();
        final Function<TaskQuery, TaskPage> answer;

        FakePort(Function<TaskQuery, TaskPage> answer) {
            this.answer = answer;
        }

        @Override
        public TaskPage loadTasks(TaskQuery query) {
            received.add(query);
            return answer.apply(query);
        }
    }

    private static List<ScriptExecutionTask> tasks(int count) {
        return IntStream.range(0, count).mapToObj(i -> aTask().withId("t" + i).build()).collect(Collectors.toList());
    }

    @Test
    void delegatesTheSameQueryAndReturnsThePortsPage() {
        TaskPage page = new TaskPage(42, tasks(3));
        FakePort port = new FakePort(q -> page);
        TaskQuery query = TaskQuery.builder("p").desktopPoolId("pool").status("FAILED").offset(6).limit(3).build();

        TaskPage result = new ListScriptExecutionTasksService(port).listTasks(query);

        assertThat(result).isSameAs(page);
        assertThat(port.received).hasSize(1);
        assertThat(port.received.get(0)).isSameAs(query);
    }

    @ParameterizedTest(name = "limit {0}, port answers {1} tasks -> accepted")
    @CsvSource({"0, 0", "1, 0", "1, 1", "10, 10", "10, 3", "100, 100"})
    void acceptsAPageUpToTheLimit(int limit, int answered) {
        TaskPage page = new TaskPage(500, tasks(answered));
        TaskQuery query = TaskQuery.builder("p").limit(limit).build();

        assertThat(new ListScriptExecutionTasksService(new FakePort(q -> page)).listTasks(query)).isSameAs(page);
    }

    @ParameterizedTest(name = "limit {0}, port answers {1} tasks -> rejected")
    @CsvSource({"0, 1", "1, 2", "10, 11", "100, 101"})
    void rejectsAPortAnswerLargerThanTheLimit(int limit, int answered) {
        TaskQuery query = TaskQuery.builder("p").limit(limit).build();
        FakePort port = new FakePort(q -> new TaskPage(answered, tasks(answered)));

        assertThatThrownBy(() -> new ListScriptExecutionTasksService(port).listTasks(query))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(String.valueOf(answered))
                .hasMessageContaining("limit " + limit);
        assertThat(port.received).containsExactly(query);
    }

    @Test
    void passesOnAProjectNotFound() {
        FakePort port = new FakePort(q -> {
            throw new ProjectNotFoundException(q.projectId());
        });
        TaskQuery query = TaskQuery.builder("nope").build();

        assertThatThrownBy(() -> new ListScriptExecutionTasksService(port).listTasks(query))
                .isInstanceOfSatisfying(ProjectNotFoundException.class,
                        e -> assertThat(e.projectId()).isEqualTo("nope"));
    }

    @Test
    void eachCallGoesToThePort() {
        FakePort port = new FakePort(q -> new TaskPage(q.offset(), List.of()));
        ListScriptExecutionTasksService service = new ListScriptExecutionTasksService(port);
        TaskQuery first = TaskQuery.builder("p").offset(1).build();
        TaskQuery second = first.withWindow(2, 10);

        assertThat(service.listTasks(first).totalCount()).isEqualTo(1);
        assertThat(service.listTasks(second).totalCount()).isEqualTo(2);
        assertThat(port.received).containsExactly(first, second);
    }

    @Test
    void requiresAPort() {
        assertThatThrownBy(() -> new ListScriptExecutionTasksService(null)).isInstanceOf(NullPointerException.class);
    }
}
