package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.in.ListScriptExecutionTasksUseCase;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.AccessDeniedException;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks that the caller may read the project, then routes the query to the task source that serves it (a sandbox,
 * an upstream, or a federation).
 */
public final class ListScriptExecutionTasksService implements ListScriptExecutionTasksUseCase {
    private final Map<String, LoadScriptExecutionTasksPort> sourcesByProject;

    public ListScriptExecutionTasksService(Map<String, LoadScriptExecutionTasksPort> sourcesByProject) {
        this.sourcesByProject = Map.copyOf(sourcesByProject);
    }

    /** The project ids this service answers for. */
    public Set<String> projectIds() {
        return sourcesByProject.keySet();
    }

    @Override
    public CompletionStage<TaskPage> listTasks(TaskQuery query, Caller caller) {
        if (!caller.mayRead(query.projectId())) {
            return CompletableFuture.failedFuture(new AccessDeniedException(caller.principal()));
        }
        LoadScriptExecutionTasksPort source = sourcesByProject.get(query.projectId());
        if (source == null) {
            return CompletableFuture.failedFuture(new ProjectNotFoundException(query.projectId()));
        }
        CompletionStage<TaskPage> answer;
        try {
            answer = source.loadTasks(query, caller);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.thenApply(page -> {
            if (page.tasks().size() > query.limit()) {
                throw new IllegalStateException("task source returned " + page.tasks().size()
                        + " tasks for limit " + query.limit());
            }
            return page;
        });
    }
}
