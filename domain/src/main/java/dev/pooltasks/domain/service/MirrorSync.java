package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LeaseLostException;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.MirrorStore;
import dev.pooltasks.domain.port.out.MirrorStore.SyncState;
import dev.pooltasks.domain.port.out.MirrorStore.Walk;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps one project's mirror in step with its upstream, one cycle at a time, through two ports: the upstream (a
 * {@link LoadScriptExecutionTasksPort}, the guarded client, so that its rate budget and circuit breaker apply) and the
 * {@link MirrorStore}. Only the replica holding the project's lease syncs; the others stand by.
 *
 * <p>A cycle, once the lease is held:
 * <ol>
 *   <li><b>Backfill</b>, until done: a walk over everything the upstream has, newest first, 100 tasks a call, resumable
 *       (its position is committed with each page), at most {@value #BACKFILL_PAGES_PER_CYCLE} pages a cycle.</li>
 *   <li><b>New tasks</b>: a walk from the newest task down to {@code watermark - overlap}, stopping after the first
 *       page that holds a task already stored and unchanged (what follows it was walked before; a task that appears
 *       late further down is left to the reconciliation). The watermark then moves to the newest start time met.</li>
 *   <li><b>Unfinished tasks</b> (INIT, RUNNING) not met by that walk are read again by {@code task_id}, 100 a call,
 *       until they finish (those the upstream has not returned for a whole reconciliation window are left alone).</li>
 *   <li><b>Reconciliation</b>, every {@code reconcilePeriod}: a walk over the tasks that started within the last
 *       {@code reconcileWindow}, catching any other change, resumable, at most {@value #RECONCILE_PAGES_PER_CYCLE}
 *       pages a cycle.</li>
 *   <li><b>Retention</b>, when configured: tasks that started longer ago than it are deleted, once a reconcile
 *       period.</li>
 * </ol>
 * A steady-state cycle thus costs 1 + ceil(unfinished / 100) calls. Every write is an idempotent upsert committed with
 * the walk's position or the new watermark in one transaction, so a cycle cut short at any moment loses nothing,
 * duplicates nothing, and the next one goes on from where it stood. Tasks that disappear upstream stay in the store.
 *
 * <p>Not thread-safe: one cycle at a time. Blocks on the upstream (at most {@code callTimeout} a call) and the store.
 */
public final class MirrorSync {
    /** Tasks a call asks for, and task ids a re-read names: the API's maximum for both. */
    public static final int PAGE = TaskQuery.MAX_LIMIT;
    /** Backfill pages a cycle, so that a long backfill still returns to its scheduler now and then. */
    public static final int BACKFILL_PAGES_PER_CYCLE = 50;
    /** Reconciliation pages a cycle, so that a large window is walked over several cycles rather than in a burst. */
    public static final int RECONCILE_PAGES_PER_CYCLE = 10;
    private static final Caller MIRROR = new Caller("mirror", null, Set.of(Caller.ANY_PROJECT));

    private final Settings settings;
    private final LoadScriptExecutionTasksPort upstream;
    private final MirrorStore store;
    private final String holder;
    private final Clock clock;
    private final Listener listener;

    /**
     * @param projectId       the mirrored project, as this service serves it (and asks the upstream for it)
     * @param overlap         how far below the watermark each new-task walk reaches
     * @param reconcileWindow how far back a reconciliation walk reaches
     * @param reconcilePeriod how often a reconciliation walk starts (and retention runs)
     * @param retention       tasks that started longer ago are deleted; null keeps them forever
     * @param lease           how long the sync lease lasts after each renewal
     * @param callTimeout     the longest wait for one upstream answer (the guarded client has its own deadline)
     */
    public record Settings(String projectId, Duration overlap, Duration reconcileWindow, Duration reconcilePeriod,
                           Duration retention, Duration lease, Duration callTimeout) {
        public Settings {
            Objects.requireNonNull(projectId, "projectId");
            requirePositive(reconcilePeriod, "reconcile period");
            requirePositive(reconcileWindow, "reconcile window");
            requirePositive(lease, "lease");
            requirePositive(callTimeout, "call timeout");
            if (overlap.isNegative()) {
                throw new IllegalArgumentException("the overlap must not be negative");
            }
            if (retention != null && retention.compareTo(reconcileWindow.plus(overlap)) <= 0) {
                throw new IllegalArgumentException("retention must be longer than the reconcile window plus the "
                        + "overlap, or the sync would fetch again what retention deletes");
            }
        }

        private static void requirePositive(Duration value, String what) {
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("the " + what + " must be positive");
            }
        }
    }

    /** How a cycle ended. */
    public enum Outcome {
        /** Another replica holds the lease; nothing was done. */
        STANDBY,
        /** The backfill made progress and goes on: run the next cycle at once. */
        BACKFILLING,
        /** The cycle completed: the mirror is as fresh as the upstream was a moment ago. */
        SYNCED,
        /** The rate budget (ours or the upstream's 429) said to wait: run again after {@link Cycle#retryAfter()}. */
        THROTTLED,
        /** The upstream or the store failed: back off. What was committed stays. */
        FAILED,
        /** The lease was taken over by another replica while this one wrote. */
        LEASE_LOST
    }

    /**
     * @param calls      upstream calls made (calls the rate budget refused are not made)
     * @param changed    tasks added or changed in the store
     * @param retryAfter for {@link Outcome#THROTTLED}: how long to wait; otherwise zero
     * @param problem    for {@link Outcome#FAILED}: what failed, for the log (never a secret); otherwise null
     */
    public record Cycle(Outcome outcome, int calls, int changed, Duration retryAfter, String problem) {
    }

    /** Hears what the sync does: for logs and metrics. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** A backfill page was committed; {@code walk} has the counts so far. */
        default void backfillProgressed(String projectId, Walk walk) {
        }

        default void backfillDone(String projectId, Walk walk) {
        }

        default void cycleEnded(String projectId, Cycle cycle) {
        }
    }

    public MirrorSync(Settings settings, LoadScriptExecutionTasksPort upstream, MirrorStore store, String holder,
                      Clock clock, Listener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.store = Objects.requireNonNull(store, "store");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public String projectId() {
        return settings.projectId();
    }

    /** Runs one cycle (see the class comment) and says how it ended. Never throws for the upstream or the store. */
    public Cycle runCycle() {
        Run run = new Run();
        Cycle cycle;
        try {
            if (!store.acquireLease(projectId(), holder, clock.instant(), settings.lease())) {
                cycle = run.end(Outcome.STANDBY);
            } else {
                run.state = store.state(projectId());
                cycle = run.state.backfillDone() ? run.incremental() : run.backfill();
            }
        } catch (LeaseLostException e) {
            cycle = run.end(Outcome.LEASE_LOST);
        } catch (TaskSourceThrottledException e) {
            cycle = run.throttled(e.retryAfterSeconds());
        } catch (TaskSourceRejectedException e) {
            cycle = e.isRateLimit() ? run.throttled(e.retryAfterSeconds())
                    : run.failed("upstream " + e.source() + " answered HTTP " + e.httpStatus());
        } catch (TaskSourceUnavailableException e) {
            cycle = run.failed(e.getMessage());
        } catch (RuntimeException e) {
            // the store (a database that is down, say) or an answer the sync cannot use
            cycle = run.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        listener.cycleEnded(projectId(), cycle);
        return cycle;
    }

    /** Gives the lease up (on shutdown), so that another replica takes over at once. */
    public void release() {
        store.releaseLease(projectId(), holder);
    }

    /** One cycle's work and counts. */
    private final class Run {
        SyncState state;
        int calls;
        int changed;
        /** Tasks this cycle has read already: not read again by id. */
        final Set<String> seen = new HashSet<>();

        Cycle backfill() {
            Walk walk = state.backfill() != null ? state.backfill() : Walk.from(null, clock.instant());
            for (int page = 0; page < BACKFILL_PAGES_PER_CYCLE; page++) {
                Step step = step(walk);
                walk = step.walk();
                if (step.done()) {
                    Instant now = clock.instant();
                    state = state.withBackfill(walk, true).withWatermark(walk.newest())
                            .withLastReconciledAt(walk.startedAt()).withCycle(now, calls);
                    commit(step.tasks());
                    listener.backfillDone(projectId(), walk);
                    return end(Outcome.SYNCED);
                }
                state = state.withBackfill(walk, false);
                commit(step.tasks());
                listener.backfillProgressed(projectId(), walk);
            }
            return end(Outcome.BACKFILLING);
        }

        Cycle incremental() {
            newTasks();
            unfinished();
            reconcile();
            retention();
            state = state.withCycle(clock.instant(), calls);
            commit(List.of());
            return end(Outcome.SYNCED);
        }

        private void newTasks() {
            Walk walk = state.newTasks();
            if (walk == null) {
                Instant floor = state.watermark() == null ? null
                        : state.watermark().minus(settings.overlap()).truncatedTo(ChronoUnit.SECONDS);
                walk = Walk.from(floor, clock.instant());
            }
            while (true) {
                Step step = step(walk);
                walk = step.walk();
                state = state.withNewTasks(walk);
                int changedHere = commit(step.tasks());
                // A page holding a stored, unchanged task reaches what earlier walks have seen.
                if (step.done() || changedHere < step.tasks().size()) {
                    state = state.withNewTasks(null).withWatermark(later(state.watermark(), walk.newest()));
                    return;
                }
            }
        }

        private void unfinished() {
            Instant seenSince = clock.instant().minus(settings.reconcileWindow());
            List<String> ids = new ArrayList<>(store.unfinishedTaskIds(projectId(), seenSince));
            ids.removeIf(seen::contains);
            ids.sort(null); // the same batches every cycle, whatever order the store lists them in
            for (int from = 0; from < ids.size(); from += PAGE) {
                List<String> batch = ids.subList(from, Math.min(ids.size(), from + PAGE));
                TaskPage page = fetch(TaskQuery.builder(projectId()).taskIds(batch).limit(PAGE).build());
                commit(page.tasks());
            }
        }

        private void reconcile() {
            Walk walk = state.reconciliation();
            if (walk == null) {
                Instant now = clock.instant();
                boolean due = state.lastReconciledAt() == null
                        || !now.isBefore(state.lastReconciledAt().plus(settings.reconcilePeriod()));
                if (!due) {
                    return;
                }
                walk = Walk.from(now.minus(settings.reconcileWindow()).truncatedTo(ChronoUnit.SECONDS), now);
            }
            for (int page = 0; page < RECONCILE_PAGES_PER_CYCLE; page++) {
                Step step = step(walk);
                walk = step.walk();
                if (step.done()) {
                    state = state.withReconciliation(null).withLastReconciledAt(walk.startedAt());
                    commit(step.tasks());
                    return;
                }
                state = state.withReconciliation(walk);
                commit(step.tasks());
            }
        }

        private void retention() {
            if (settings.retention() == null) {
                return;
            }
            Instant now = clock.instant();
            if (state.lastPurgedAt() != null && now.isBefore(state.lastPurgedAt().plus(settings.reconcilePeriod()))) {
                return;
            }
            state = state.withPurge(now);
            store.purge(projectId(), holder, now.minus(settings.retention()), state, now, settings.lease());
        }

        /** Reads the walk's next page; the walk's new position and whether it is done. */
        private Step step(Walk walk) {
            TaskQuery query = TaskQuery.builder(projectId()).executeTimeStart(walk.floor())
                    .executeTimeEnd(walk.upperBound()).offset(walk.skip()).limit(PAGE).build();
            TaskPage page = fetch(query);
            List<ScriptExecutionTask> tasks = page.tasks();
            int consumed = walk.skip() + tasks.size();
            long remaining = Math.max(0, (long) page.totalCount() - consumed);
            if (tasks.isEmpty()) {
                return new Step(new Walk(walk.upperBound(), walk.skip(), walk.floor(), walk.newest(), walk.tasks(),
                        walk.calls() + 1, 0, walk.startedAt()), List.of(), true);
            }
            Instant bound = ceilingSecond(tasks.get(tasks.size() - 1).startTime());
            if (walk.upperBound() != null && bound.isAfter(walk.upperBound())) {
                throw new TaskSourceUnavailableException(projectId(), "the upstream answered tasks after "
                        + "execute_time_end " + walk.upperBound() + ": it does not keep the API's order or bounds");
            }
            // Of the tasks up to the new bound, those within its last second were walked: skip them next time.
            int atBound = (int) tasks.stream().filter(t -> ceilingSecond(t.startTime()).equals(bound)).count();
            int skip = bound.equals(walk.upperBound()) ? walk.skip() + tasks.size() : atBound;
            Instant newest = later(walk.newest(), tasks.get(0).startTime());
            boolean done = tasks.size() < PAGE || consumed >= page.totalCount();
            Walk next = new Walk(bound, skip, walk.floor(), newest, walk.tasks() + tasks.size(), walk.calls() + 1,
                    done ? 0 : remaining, walk.startedAt());
            return new Step(next, tasks, done);
        }

        private TaskPage fetch(TaskQuery query) {
            TaskPage page;
            try {
                page = upstream.loadTasks(query, MIRROR).toCompletableFuture()
                        .get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r
                        : new TaskSourceUnavailableException(projectId(), String.valueOf(e.getCause()));
                if (!(cause instanceof TaskSourceThrottledException)) {
                    calls++; // it reached the upstream (or tried to)
                }
                throw cause;
            } catch (TimeoutException e) {
                calls++;
                throw new TaskSourceUnavailableException(projectId(), "no answer within " + settings.callTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskSourceUnavailableException(projectId(), "interrupted");
            }
            calls++;
            if (!page.missingSources().isEmpty()) {
                // another pooltasks fronting a partial federation: a copy made of that would lack those tasks for good
                throw new TaskSourceUnavailableException(projectId(), "the upstream's answer leaves out "
                        + String.join(", ", page.missingSources()));
            }
            page.tasks().forEach(task -> seen.add(task.id()));
            return page;
        }

        private int commit(List<ScriptExecutionTask> tasks) {
            int written = store.commit(projectId(), holder, tasks, state, clock.instant(), settings.lease());
            changed += written;
            return written;
        }

        Cycle end(Outcome outcome) {
            return new Cycle(outcome, calls, changed, Duration.ZERO, null);
        }

        Cycle throttled(long retryAfterSeconds) {
            return new Cycle(Outcome.THROTTLED, calls, changed, Duration.ofSeconds(Math.max(1, retryAfterSeconds)),
                    null);
        }

        Cycle failed(String problem) {
            return new Cycle(Outcome.FAILED, calls, changed, Duration.ZERO, problem);
        }
    }

    private record Step(Walk walk, List<ScriptExecutionTask> tasks, boolean done) {
    }

    /** The instant itself when it is a whole second, else the next whole second: the wire's bounds are whole. */
    static Instant ceilingSecond(Instant instant) {
        return instant.getNano() == 0 ? instant : Instant.ofEpochSecond(instant.getEpochSecond() + 1);
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }
}
