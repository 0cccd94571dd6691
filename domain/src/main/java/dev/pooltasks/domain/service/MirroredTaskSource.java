package dev.pooltasks.domain.service;

import dev.pooltasks.domain.index.TaskIndex;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.port.out.MirrorFeed;
import dev.pooltasks.domain.port.out.MirrorStore.SyncState;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A mirrored project as a task source: answers every query from an in-memory {@link TaskIndex} of the mirror's copy,
 * with the API's exact semantics, never calling the upstream or the store on the request path. Each answer carries its
 * age: the time since the mirror's last successful sync cycle.
 *
 * <p>The index is loaded whole from the {@link MirrorFeed} ({@link #hydrate()}), then kept current by applying the
 * changes committed since ({@link #refresh()}, called every second or two): a copy-on-write swap, so readers never
 * wait. Both block and run off the request path; when they fail (the database is down) the index in memory goes on
 * serving, growing older, and the next refresh catches up.
 *
 * <p>Statistics are counted from the same index, in milliseconds and at no cost to the upstream.
 *
 * <p>Until the index is loaded and the mirror's first backfill is complete, queries go to {@code fallback} (the
 * upstream, as an unmirrored project is served; statistics to {@code fallbackStatistics}, which walks that upstream)
 * or, without one, fail as unavailable.
 */
public final class MirroredTaskSource implements LoadScriptExecutionTasksPort, LoadTaskStatisticsPort {
    /** Changes applied in place at least up to this many; beyond it (and a quarter of the index) the copy is reloaded. */
    static final int MIN_CHANGES_APPLIED = 50_000;

    private final String projectId;
    private final String name;
    private final MirrorFeed feed;
    private final LoadScriptExecutionTasksPort fallback;
    private final LoadTaskStatisticsPort fallbackStatistics;
    private final Clock clock;
    private volatile View view;

    /** The loaded copy: its index, the last change applied, and the sync state read with it. */
    private record View(TaskIndex index, long sequence, SyncState state) {
    }

    /**
     * What this replica serves of the mirror: for metrics and health.
     *
     * @param tasks the tasks in this replica's index
     * @param state the sync state as last read
     * @param age   time since the last successful sync cycle; null before the first
     */
    public record Status(int tasks, SyncState state, Duration age) {
    }

    /**
     * @param name               names the mirror's upstream in errors
     * @param fallback           answers while the mirror cannot (not loaded yet, first backfill not done); may be null
     * @param fallbackStatistics counts while the mirror cannot; may be null
     */
    public MirroredTaskSource(String projectId, String name, MirrorFeed feed, LoadScriptExecutionTasksPort fallback,
                              LoadTaskStatisticsPort fallbackStatistics, Clock clock) {
        this.projectId = Objects.requireNonNull(projectId, "projectId");
        this.name = Objects.requireNonNull(name, "name");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.fallback = fallback;
        this.fallbackStatistics = fallbackStatistics;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Without a fallback for statistics. */
    public MirroredTaskSource(String projectId, String name, MirrorFeed feed, LoadScriptExecutionTasksPort fallback,
                              Clock clock) {
        this(projectId, name, feed, fallback, null, clock);
    }

    public String projectId() {
        return projectId;
    }

    /** Loads the mirror's copy whole and serves it from then on. Blocks. */
    public void hydrate() {
        SyncState state = feed.state(projectId);
        View current = view;
        TaskIndex.Builder builder = TaskIndex.builder(current == null ? 0 : current.index().size());
        long sequence = feed.loadAll(projectId, builder::add);
        view = new View(builder.build(), sequence, state);
    }

    /**
     * Applies the changes committed since the last load or refresh (loading the copy whole instead when it is not
     * loaded yet, when retention deleted tasks, or when the changes are many). Blocks.
     *
     * @return how many changed tasks were applied (-1 when the copy was loaded whole)
     */
    public int refresh() {
        View current = view;
        if (current == null) {
            hydrate();
            return -1;
        }
        // The state first: the changes read after it include everything its last cycle committed.
        SyncState state = feed.state(projectId);
        if (state.purgeGeneration() != current.state().purgeGeneration()) {
            hydrate(); // the index keeps no deletions: load what is left
            return -1;
        }
        int max = Math.max(MIN_CHANGES_APPLIED, current.index().size() / 4);
        MirrorFeed.Changes changes = feed.changesSince(projectId, current.sequence(), max);
        if (!changes.complete()) {
            hydrate();
            return -1;
        }
        TaskIndex index = changes.tasks().isEmpty() ? current.index() : current.index().withChanges(changes.tasks());
        view = new View(index, changes.lastSequence(), state);
        return changes.tasks().size();
    }

    /** Whether queries are answered from the mirror (loaded, first backfill done) rather than the fallback. */
    public boolean serving() {
        View current = view;
        return current != null && current.state().backfillDone();
    }

    /** This replica's copy, once loaded. */
    public Optional<Status> status() {
        View current = view;
        return current == null ? Optional.empty()
                : Optional.of(new Status(current.index().size(), current.state(), age(current)));
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        if (!projectId.equals(query.projectId())) {
            return CompletableFuture.failedFuture(new ProjectNotFoundException(query.projectId()));
        }
        View current = view;
        if (current == null || !current.state().backfillDone()) {
            if (fallback != null) {
                return fallback.loadTasks(query, caller);
            }
            return CompletableFuture.failedFuture(new TaskSourceUnavailableException(name, current == null
                    ? "the mirror of project " + projectId + " is not loaded yet"
                    : "the mirror of project " + projectId + " is still backfilling"));
        }
        try {
            return CompletableFuture.completedFuture(current.index().page(query).withMirrorAge(age(current)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
        if (!projectId.equals(query.projectId())) {
            return CompletableFuture.failedFuture(new ProjectNotFoundException(query.projectId()));
        }
        View current = view;
        if (current == null || !current.state().backfillDone()) {
            if (fallbackStatistics != null) {
                return fallbackStatistics.loadStatistics(query, caller);
            }
            return CompletableFuture.failedFuture(new TaskSourceUnavailableException(name,
                    "the mirror of project " + projectId + " is not ready yet"));
        }
        try {
            return CompletableFuture.completedFuture(current.index().statistics(query));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Duration age(View current) {
        return current.state().lastCycleAt() == null ? null
                : Duration.between(current.state().lastCycleAt(), clock.instant());
    }
}
