package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The sandbox as served, generated on another thread once started: a cold JVM takes a good part of its start to
 * generate and index the default 3,000 tasks (and to compile the loops that do it), so the application starts it once
 * its server listens rather than while the server starts, when it would share the cores with that. Whatever asks for
 * it first (a query, the readiness check) starts it too if nothing did, and waits for it; afterwards queries are
 * answered at once, on the caller's thread.
 */
public final class Sandbox implements LoadScriptExecutionTasksPort, LoadTaskStatisticsPort {
    private final SandboxSettings settings;
    private final Supplier<? extends Served> generator;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<Served> served = new CompletableFuture<>();

    /** What answers once generated: the history alone, or the live sandbox over it. */
    interface Served extends LoadScriptExecutionTasksPort, LoadTaskStatisticsPort {
    }

    Sandbox(SandboxSettings settings, Supplier<? extends Served> generator) {
        this.settings = settings;
        this.generator = generator;
    }

    /** The history {@code settings} describe, generated once started. */
    public static Sandbox generate(SandboxSettings settings) {
        return new Sandbox(settings, () -> SandboxTaskStore.generate(settings));
    }

    /**
     * The history, served live (see {@link LiveSandbox}, whose arguments are checked here, at once) with its live tasks
     * born from now, not from when it is generated.
     */
    public static Sandbox live(SandboxSettings settings, int tasksPerMinute, Duration maxDuration, Clock clock) {
        LiveSandbox.check(tasksPerMinute, maxDuration);
        Instant bornFrom = clock.instant();
        return new Sandbox(settings, () -> new LiveSandbox(SandboxTaskStore.generate(settings), tasksPerMinute,
                maxDuration, clock, bornFrom));
    }

    /** Starts generating it on another thread; only the first call does. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            served.completeAsync(generator);
        }
    }

    public String projectId() {
        return settings.projectId();
    }

    /** The number of generated tasks (live tasks not counted). */
    public int size() {
        return settings.taskCount();
    }

    /** Completes when the sandbox is generated, or with the failure of its generation; does not start it. */
    public CompletableFuture<Void> generation() {
        return served.thenApply(s -> null);
    }

    /** Starts it if need be; completes when the sandbox answers, or with the failure of its generation. */
    public CompletableFuture<Void> ready() {
        start();
        return generation();
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        Served ready = generated(); // once generated, straight to it: no stage per query
        if (ready != null) {
            return ready.loadTasks(query, caller);
        }
        start();
        return served.thenCompose(s -> s.loadTasks(query, caller));
    }

    @Override
    public CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
        Served ready = generated();
        if (ready != null) {
            return ready.loadStatistics(query, caller);
        }
        start();
        return served.thenCompose(s -> s.loadStatistics(query, caller));
    }

    /** The generated sandbox, or null while it is generated or when that failed (then the stage says why). */
    private Served generated() {
        return served.isDone() && !served.isCompletedExceptionally() ? served.join() : null;
    }
}
