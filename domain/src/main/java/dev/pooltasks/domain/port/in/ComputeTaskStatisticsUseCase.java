package dev.pooltasks.domain.port.in;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.query.StatisticsQuery;

import java.util.concurrent.CompletionStage;

/** Count a project's script execution tasks, in total and per group (day, pool, script, status or task type). */
public interface ComputeTaskStatisticsUseCase {

    /**
     * The answer fails with {@link dev.pooltasks.domain.query.AccessDeniedException} when the caller may not read the
     * project, {@link dev.pooltasks.domain.query.ProjectNotFoundException} when nothing serves it, or one of the
     * failures of {@link dev.pooltasks.domain.port.out.LoadTaskStatisticsPort}.
     */
    CompletionStage<TaskStatistics> computeStatistics(StatisticsQuery query, Caller caller);
}
