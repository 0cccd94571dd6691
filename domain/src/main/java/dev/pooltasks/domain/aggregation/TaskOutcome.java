package dev.pooltasks.domain.aggregation;

import dev.pooltasks.domain.model.TaskStatus;

/** What a task reports of its execution records: its status and its success/failed/skip counts. */
public record TaskOutcome(TaskStatus status, int successNum, int failedNum, int skipNum) {
}
