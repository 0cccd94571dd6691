package dev.pooltasks.domain.port.out;

import dev.pooltasks.domain.model.ScriptExecutionTask;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a mirror keeps its copy of a project's tasks and its sync state, durably: what a syncer reads and writes. One
 * syncer per project at a time, by a lease; every write is conditional on holding it, so a syncer that lost its lease
 * (paused, partitioned) can never overwrite its successor's progress. Calls block; they are made off the request path.
 * Any method may fail with an unchecked exception when the store is unreachable.
 */
public interface MirrorStore {

    /** The project's sync state; {@link SyncState#INITIAL} for a project never synced. */
    SyncState state(String projectId);

    /**
     * Takes the project's lease for {@code holder}, or renews it: true when {@code holder} now holds it until
     * {@code now + duration}; false while another holder's lease has not expired.
     */
    boolean acquireLease(String projectId, String holder, Instant now, Duration duration);

    /** Gives the lease up if {@code holder} holds it, so that another replica may take over at once. */
    void releaseLease(String projectId, String holder);

    /**
     * In one transaction, and only while {@code holder} holds the lease: upserts {@code tasks} (idempotent: a task
     * equal to its stored copy is left as it is, but is marked seen at {@code now}; a new or changed one is written
     * with a new change sequence number), stores {@code next} as the project's sync state unless it is null, and
     * extends the lease to {@code now + lease}.
     *
     * @return how many of {@code tasks} were new or changed
     * @throws LeaseLostException when {@code holder} does not hold the lease (nothing is written)
     */
    int commit(String projectId, String holder, List<ScriptExecutionTask> tasks, SyncState next, Instant now,
               Duration lease);

    /**
     * The ids of the project's tasks not yet finished (status INIT or RUNNING) that were seen at or after
     * {@code seenSince}, in no particular order.
     */
    List<String> unfinishedTaskIds(String projectId, Instant seenSince);

    /**
     * Retention: in one transaction, while {@code holder} holds the lease, deletes the project's tasks that started
     * before {@code startedBefore} and stores {@code next}.
     *
     * @return how many tasks were deleted
     * @throws LeaseLostException when {@code holder} does not hold the lease (nothing is deleted)
     */
    int purge(String projectId, String holder, Instant startedBefore, SyncState next, Instant now, Duration lease);

    /**
     * Where a mirror's sync stands.
     *
     * @param backfillDone     whether the first walk over everything the upstream has is complete
     * @param backfill         the backfill walk: in progress, or its final counts once done; null before it starts
     * @param watermark        the newest {@code start_time} the new-task walks have reached; null before the backfill
     *                         is done
     * @param newTasks         the walk for new tasks in progress, or null
     * @param reconciliation   the reconciliation walk in progress, or null
     * @param lastReconciledAt when the last complete reconciliation walk (or the backfill) started; null if none
     * @param lastCycleAt      when the last successful sync cycle ended (the backfill's end counts as one); null if
     *                         none
     * @param lastCycleCalls   upstream calls the last successful cycle made
     * @param lastPurgedAt     when retention last deleted old tasks; null if never
     * @param purgeGeneration  counts retention runs: readers that see it move load the copy anew
     */
    record SyncState(boolean backfillDone, Walk backfill, Instant watermark, Walk newTasks, Walk reconciliation,
                     Instant lastReconciledAt, Instant lastCycleAt, int lastCycleCalls, Instant lastPurgedAt,
                     long purgeGeneration) {
        public static final SyncState INITIAL = new SyncState(false, null, null, null, null, null, null, 0, null, 0);

        public SyncState withBackfill(Walk walk, boolean done) {
            return new SyncState(done, walk, watermark, newTasks, reconciliation, lastReconciledAt, lastCycleAt,
                    lastCycleCalls, lastPurgedAt, purgeGeneration);
        }

        public SyncState withWatermark(Instant value) {
            return new SyncState(backfillDone, backfill, value, newTasks, reconciliation, lastReconciledAt,
                    lastCycleAt, lastCycleCalls, lastPurgedAt, purgeGeneration);
        }

        public SyncState withNewTasks(Walk walk) {
            return new SyncState(backfillDone, backfill, watermark, walk, reconciliation, lastReconciledAt,
                    lastCycleAt, lastCycleCalls, lastPurgedAt, purgeGeneration);
        }

        public SyncState withReconciliation(Walk walk) {
            return new SyncState(backfillDone, backfill, watermark, newTasks, walk, lastReconciledAt, lastCycleAt,
                    lastCycleCalls, lastPurgedAt, purgeGeneration);
        }

        public SyncState withLastReconciledAt(Instant value) {
            return new SyncState(backfillDone, backfill, watermark, newTasks, reconciliation, value, lastCycleAt,
                    lastCycleCalls, lastPurgedAt, purgeGeneration);
        }

        public SyncState withCycle(Instant at, int calls) {
            return new SyncState(backfillDone, backfill, watermark, newTasks, reconciliation, lastReconciledAt, at,
                    calls, lastPurgedAt, purgeGeneration);
        }

        public SyncState withPurge(Instant at) {
            return new SyncState(backfillDone, backfill, watermark, newTasks, reconciliation, lastReconciledAt,
                    lastCycleAt, lastCycleCalls, at, purgeGeneration + 1);
        }
    }

    /**
     * A resumable walk down the upstream's tasks in API order (newest first), page after page: the next page is the
     * tasks that started at or before {@code upperBound} (whole seconds; null: no bound) and at or after
     * {@code floor} (null: no bound), past the first {@code skip} of them (those at the bound already walked).
     *
     * @param newest    the newest {@code start_time} the walk has met
     * @param tasks     tasks walked so far
     * @param calls     upstream calls so far
     * @param remaining tasks the last page said were left below the walk's position
     * @param startedAt when the walk began
     */
    record Walk(Instant upperBound, int skip, Instant floor, Instant newest, long tasks, long calls, long remaining,
                Instant startedAt) {
        public Walk {
            Objects.requireNonNull(startedAt, "startedAt");
            if (skip < 0 || tasks < 0 || calls < 0 || remaining < 0) {
                throw new IllegalArgumentException("a walk's counts are never negative");
            }
        }

        /** A walk from the newest task down to {@code floor} (null: to the oldest). */
        public static Walk from(Instant floor, Instant startedAt) {
            return new Walk(null, 0, floor, null, 0, 0, 0, startedAt);
        }
    }
}
