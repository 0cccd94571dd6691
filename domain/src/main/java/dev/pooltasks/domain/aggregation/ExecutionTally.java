package dev.pooltasks.domain.aggregation;

import dev.pooltasks.domain.model.TaskStatus;

/**
 * Turns a task's execution records into its {@link TaskOutcome}.
 * <ul>
 *   <li>success_num counts records that succeeded; failed_num those that failed or timed out; skip_num those not run
 *       (first batch over its failure threshold, or desktop unavailable).</li>
 *   <li>Status is INIT while no record has started (records are pending, or there are none; skipped records do not
 *       count as started); RUNNING while any record is pending or running; FAILED when the run was aborted by the failure threshold, or when no executed
 *       record succeeded (which includes a run where nothing could be executed); FINISH otherwise.</li>
 * </ul>
 * A mutable accumulator so that large runs are tallied without keeping their records.
 */
public final class ExecutionTally {
    private final int[] counts = new int[RecordState.values().length];
    private int total;

    public static ExecutionTally of(RecordState... states) {
        ExecutionTally tally = new ExecutionTally();
        for (RecordState state : states) {
            tally.add(state);
        }
        return tally;
    }

    public ExecutionTally add(RecordState state) {
        counts[state.ordinal()]++;
        total++;
        return this;
    }

    public TaskOutcome outcome() {
        int succeeded = count(RecordState.SUCCEEDED);
        int failed = count(RecordState.FAILED) + count(RecordState.TIMED_OUT);
        int skipped = count(RecordState.SKIPPED_BY_THRESHOLD) + count(RecordState.SKIPPED_UNAVAILABLE);
        return new TaskOutcome(status(succeeded), succeeded, failed, skipped);
    }

    private TaskStatus status(int succeeded) {
        int pending = count(RecordState.PENDING);
        int running = count(RecordState.RUNNING);
        int started = running + succeeded + count(RecordState.FAILED) + count(RecordState.TIMED_OUT);
        if (total == 0 || (pending > 0 && started == 0)) {
            return TaskStatus.INIT;
        }
        if (pending > 0 || running > 0) {
            return TaskStatus.RUNNING;
        }
        if (count(RecordState.SKIPPED_BY_THRESHOLD) > 0 || succeeded == 0) {
            return TaskStatus.FAILED;
        }
        return TaskStatus.FINISH;
    }

    private int count(RecordState state) {
        return counts[state.ordinal()];
    }
}
