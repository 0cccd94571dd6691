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

/**
 * The sandbox as served, generated on another thread from the moment it is made: a cold JVM takes a good part of its
 * start to generate and index the default 3,000 tasks, and the server starts meanwhile. Queries made before it is
 * ready complete once it is; afterwards they are answered at once, on the caller's thread, as before.
 */
public final class Sandbox implements LoadScriptExecutionTasksPort, LoadTaskStatisticsPort {
    private final SandboxSettings settings;
    private final CompletableFuture<? extends Served> served;

    /** What answers once generated: the history alone, or the live sandbox over it. */
    interface Served extends LoadScriptExecutionTasksPort, LoadTaskStatisticsPort {
    }

    private Sandbox(SandboxSettings settings, CompletableFuture<? extends Served> served) {
        this.settings = settings;
        this.served = served;
    }

    /** Starts generating the history {@code settings} describe. */
    public static Sandbox generate(SandboxSettings settings) {
        return new Sandbox(settings, CompletableFuture.supplyAsync(() -> SandboxTaskStore.generate(settings)));
    }

    /**
     * Starts generating the history, served live (see {@link LiveSandbox}, whose arguments are checked here, at once)
     * with its live tasks born from now.
     */
    public static Sandbox live(SandboxSettings settings, int tasksPerMinute, Duration maxDuration, Clock clock) {
        LiveSandbox.check(tasksPerMinute, maxDuration);
        Instant bornFrom = clock.instant();
        return new Sandbox(settings, CompletableFuture.supplyAsync(() -> new LiveSandbox(
                SandboxTaskStore.generate(settings), tasksPerMinute, maxDuration, clock, bornFrom)));
    }

    public String projectId() {
        return settings.projectId();
    }

    /** The number of generated tasks (live tasks not counted). */
    public int size() {
        return settings.taskCount();
    }

    /** Completes when the sandbox answers, or with the failure of its generation. */
    public CompletableFuture<Void> ready() {
        return served.thenApply(s -> null);
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        Served ready = generated(); // once generated, straight to it: no stage per query
        return ready != null ? ready.loadTasks(query, caller) : served.thenCompose(s -> s.loadTasks(query, caller));
    }

    @Override
    public CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
        Served ready = generated();
        return ready != null ? ready.loadStatistics(query, caller)
                : served.thenCompose(s -> s.loadStatistics(query, caller));
    }

    /** The generated sandbox, or null while it is generated or when that failed (then the stage says why). */
    private Served generated() {
        return served.isDone() && !served.isCompletedExceptionally() ? served.join() : null;
    }
}
