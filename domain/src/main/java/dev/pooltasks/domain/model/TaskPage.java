package dev.pooltasks.domain.model;

import java.util.List;

/**
 * One page of matching tasks, in {@link TaskOrder#NEWEST_FIRST} order.
 *
 * @param totalCount the number of tasks matching the query, regardless of offset and limit
 */
public record TaskPage(int totalCount, List<ScriptExecutionTask> tasks) {
    public TaskPage {
        if (totalCount < 0) {
            throw new IllegalArgumentException("totalCount must not be negative");
        }
        tasks = List.copyOf(tasks);
    }
}
