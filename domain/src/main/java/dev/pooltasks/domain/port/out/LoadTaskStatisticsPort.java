package dev.pooltasks.domain.port.out;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.query.StatisticsQuery;

import java.util.concurrent.CompletionStage;

/**
 * Statistics of a task source: the counts, in total and per group, over the tasks its list would return for the
 * query's filters, following {@link dev.pooltasks.domain.aggregation.StatisticsRules}. An index in memory counts its
 * columns; a federation sums its members'; a source that can only list walks its list. Never blocks the calling
 * thread. Fails as {@link LoadScriptExecutionTasksPort} does, and with
 * {@link dev.pooltasks.domain.query.TooManyTasksToCountException} when counting would take listing too many tasks.
 */
public interface LoadTaskStatisticsPort {

    CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller);
}
