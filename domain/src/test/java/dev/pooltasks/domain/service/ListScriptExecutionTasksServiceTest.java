package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.pooltasks.domain.model.TaskBuilder.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListScriptExecutionTasksServiceTest {

    private static List<ScriptExecutionTask> tasks(int count) {
        return IntStream.range(0, count).mapToObj(i -> aTask().withId("t" + i).build()).collect(Collectors.toList());
    }

    private static TaskPage list(ListScriptExecutionTasksService service, TaskQuery query) {
        return service.listTasks(query, Caller.ANONYMOUS).toCompletableFuture().join();
    }

    @Test
    void routesTheSameQueryToTheSourceOfItsProject() {
        TaskPage page = new TaskPage(42, tasks(3));
        FakeTaskSource east = FakeTaskSource.answering(q -> page);
        FakeTaskSource west = FakeTaskSource.answering(q -> new TaskPage(0, List.of()));
        var service = new ListScriptExecutionTasksService(Map.of("east", east, "west", west));
        TaskQuery query = TaskQuery.builder("east").desktopPoolId("pool").status("FAILED").offset(6).limit(3).build();

        assertThat(list(service, query)).isSameAs(page);
        assertThat(east.received).containsExactly(query);
        assertThat(west.received).isEmpty();
        assertThat(service.projectIds()).containsExactlyInAnyOrder("east", "west");
    }

    @Test
    void unknownProjectFailsWithProjectNotFoundWithoutAskingAnySource() {
        FakeTaskSource source = FakeTaskSource.answering(q -> new TaskPage(0, List.of()));
        var service = new ListScriptExecutionTasksService(Map.of("p", source));

        assertThatThrownBy(() -> list(service, TaskQuery.builder("nope").build()))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(ProjectNotFoundException.class,
                        e -> assertThat(e.projectId()).isEqualTo("nope"));
        assertThat(source.received).isEmpty();
    }

    @ParameterizedTest(name = "limit {0}, source answers {1} tasks -> accepted")
    @CsvSource({"0, 0", "1, 0", "1, 1", "10, 10", "10, 3", "100, 100"})
    void acceptsAPageUpToTheLimit(int limit, int answered) {
        TaskPage page = new TaskPage(500, tasks(answered));
        var service = new ListScriptExecutionTasksService(Map.of("p", FakeTaskSource.answering(q -> page)));

        assertThat(list(service, TaskQuery.builder("p").limit(limit).build())).isSameAs(page);
    }

    @ParameterizedTest(name = "limit {0}, source answers {1} tasks -> rejected")
    @CsvSource({"0, 1", "1, 2", "10, 11", "100, 101"})
    void rejectsASourceAnswerLargerThanTheLimit(int limit, int answered) {
        var source = FakeTaskSource.answering(q -> new TaskPage(answered, tasks(answered)));
        var service = new ListScriptExecutionTasksService(Map.of("p", source));

        assertThatThrownBy(() -> list(service, TaskQuery.builder("p").limit(limit).build()))
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(String.valueOf(answered))
                .hasMessageContaining("limit " + limit);
    }

    @Test
    void passesOnASourceFailure() {
        var failure = new TaskSourceUnavailableException("east", "down");
        var service = new ListScriptExecutionTasksService(Map.of("p", FakeTaskSource.failing(failure)));

        assertThatThrownBy(() -> list(service, TaskQuery.builder("p").build())).cause().isSameAs(failure);
    }
}
