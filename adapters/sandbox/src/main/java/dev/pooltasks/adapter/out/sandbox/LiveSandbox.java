package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.index.TaskIndex;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The sandbox in live mode: its generated history, plus tasks that start as the clock moves on (at a steady rate from
 * the moment the sandbox was made) and run to completion: INIT for their first tenth, then RUNNING with their counts
 * growing, then FINISH or FAILED with an end time. A live task's state depends only on the seed, its number and the
 * time, so answers are reproducible for a given start. Every second's state is made anew from the history and the
 * live tasks born so far (a copy of the index): meant for demos and tests on small sandboxes, not for benchmarks.
 */
public final class LiveSandbox implements Sandbox.Served {
    private final SandboxTaskStore history;
    private final Instant bornFrom;
    private final long spacingMillis;
    private final long maxDurationSeconds;
    private final Clock clock;
    private volatile Snapshot snapshot;

    private record Snapshot(long second, TaskIndex index) {
    }

    /**
     * @param tasksPerMinute how many live tasks start a minute (at least 1)
     * @param maxDuration    the longest a live task runs (at least 5 seconds; each runs 5 seconds to this long)
     */
    public LiveSandbox(SandboxTaskStore history, int tasksPerMinute, Duration maxDuration, Clock clock) {
        this(history, tasksPerMinute, maxDuration, clock, clock.instant());
    }

    LiveSandbox(SandboxTaskStore history, int tasksPerMinute, Duration maxDuration, Clock clock, Instant bornFrom) {
        check(tasksPerMinute, maxDuration);
        this.history = Objects.requireNonNull(history, "history");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bornFrom = Objects.requireNonNull(bornFrom, "bornFrom");
        this.spacingMillis = 60_000L / tasksPerMinute;
        this.maxDurationSeconds = maxDuration.getSeconds();
    }

    static void check(int tasksPerMinute, Duration maxDuration) {
        if (tasksPerMinute < 1 || tasksPerMinute > 60_000) {
            throw new IllegalArgumentException("live tasks per minute must be 1 to 60000");
        }
        if (maxDuration.getSeconds() < 5) {
            throw new IllegalArgumentException("the longest live task must run at least 5 seconds");
        }
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        if (!history.projectId().equals(query.projectId())) {
            return CompletableFuture.failedFuture(new ProjectNotFoundException(query.projectId()));
        }
        try {
            return CompletableFuture.completedFuture(indexAt(clock.instant()).page(query));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Counts the sandbox as it is now, from the same index its pages come from. */
    @Override
    public CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
        if (!history.projectId().equals(query.projectId())) {
            return CompletableFuture.failedFuture(new ProjectNotFoundException(query.projectId()));
        }
        try {
            return CompletableFuture.completedFuture(indexAt(clock.instant()).statistics(query));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The sandbox as it is at {@code now}: the history and every live task born by then, in its state then. */
    TaskIndex indexAt(Instant now) {
        long second = now.getEpochSecond();
        Snapshot current = snapshot;
        if (current != null && current.second() == second) {
            return current.index();
        }
        List<ScriptExecutionTask> live = new ArrayList<>();
        long born = Math.floorDiv(now.toEpochMilli() - bornFrom.toEpochMilli(), spacingMillis) + 1;
        for (int j = 0; j < born; j++) {
            live.add(liveTask(j, second));
        }
        TaskIndex index = history.index().withChanges(live);
        snapshot = new Snapshot(second, index);
        return index;
    }

    /** Live task {@code j} as it is at {@code nowSecond}. */
    ScriptExecutionTask liveTask(int j, long nowSecond) {
        SandboxSettings settings = history.settings();
        // The shape (pool, scripts or command, final counts) of a task generated past the history, long finished.
        ScriptExecutionTask shape = history.generator().generate(settings.taskCount() + j,
                bornFrom.getEpochSecond() + 40L * 86_400);
        long start = (bornFrom.toEpochMilli() + j * spacingMillis) / 1000;
        long duration = 5 + Math.floorMod(TaskIds.mix(settings.seed() ^ (0x5DEECE66DL * (j + 1))),
                maxDurationSeconds - 4);
        double progress = (double) (nowSecond - start) / duration;
        boolean finishedShape = shape.status().equals(TaskStatus.FINISH) || shape.status().equals(TaskStatus.FAILED);
        TaskStatus status;
        int success = shape.successNum();
        int failed = shape.failedNum();
        int skip = shape.skipNum();
        Instant end = null;
        if (progress < 0.1) {
            status = TaskStatus.INIT;
            success = failed = skip = 0;
        } else if (progress < 1) {
            status = TaskStatus.RUNNING;
            success = (int) (success * progress);
            failed = (int) (failed * progress);
            skip = (int) (skip * progress);
        } else {
            status = finishedShape ? shape.status() : TaskStatus.FINISH;
            end = Instant.ofEpochSecond(start + duration);
        }
        return new ScriptExecutionTask(shape.id(), shape.desktopPoolId(), shape.desktopPoolName(), shape.scripts(),
                shape.commandContent(), shape.commandType(), Instant.ofEpochSecond(start), end, status, success,
                failed, skip);
    }
}
