package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A hand-written task source that records the queries it receives and answers with a function of the query. */
final class FakeTaskSource implements LoadScriptExecutionTasksPort {
    final List<TaskQuery> received = new CopyOnWriteArrayList<>();
    private final Function<TaskQuery, CompletionStage<TaskPage>> answer;

    private FakeTaskSource(Function<TaskQuery, CompletionStage<TaskPage>> answer) {
        this.answer = answer;
    }

    static FakeTaskSource answering(Function<TaskQuery, TaskPage> pages) {
        return new FakeTaskSource(query -> CompletableFuture.completedFuture(pages.apply(query)));
    }

    static FakeTaskSource answeringLater(Function<TaskQuery, CompletionStage<TaskPage>> answers) {
        return new FakeTaskSource(answers);
    }

    static FakeTaskSource failing(RuntimeException failure) {
        return new FakeTaskSource(query -> CompletableFuture.failedFuture(failure));
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        received.add(query);
        return answer.apply(query);
    }
}
