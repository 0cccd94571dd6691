package dev.pooltasks.domain.aggregation;

/** The state of one execution record: one script (or the command) on one desktop of the pool. */
public enum RecordState {
    /** Not started yet. */
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    /** Not run because the first (gray) batch reached its failure threshold: the run was aborted. */
    SKIPPED_BY_THRESHOLD,
    /** Not run because the desktop was unavailable (offline, being operated on). */
    SKIPPED_UNAVAILABLE
}
