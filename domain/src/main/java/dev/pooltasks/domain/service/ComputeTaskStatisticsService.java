package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.in.ComputeTaskStatisticsUseCase;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.query.AccessDeniedException;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.StatisticsQuery;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks that the caller may read the project, then routes the statistics query to what counts the project's tasks
 * (a task index, an upstream's list, a federation), as {@link ListScriptExecutionTasksService} routes lists.
 */
public final class ComputeTaskStatisticsService implements ComputeTaskStatisticsUseCase {
    private final Map<String, LoadTaskStatisticsPort> sourcesByProject;

    public ComputeTaskStatisticsService(Map<String, LoadTaskStatisticsPort> sourcesByProject) {
        this.sourcesByProject = Map.copyOf(sourcesByProject);
    }

    @Override
    public CompletionStage<TaskStatistics> computeStatistics(StatisticsQuery query, Caller caller) {
        if (!caller.mayRead(query.projectId())) {
            return CompletableFuture.failedFuture(new AccessDeniedException(caller.principal()));
        }
        LoadTaskStatisticsPort source = sourcesByProject.get(query.projectId());
        if (source == null) {
            return CompletableFuture.failedFuture(new ProjectNotFoundException(query.projectId()));
        }
        try {
            return source.loadStatistics(query, caller);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
