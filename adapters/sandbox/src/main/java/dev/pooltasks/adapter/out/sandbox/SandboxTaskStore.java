package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.index.TaskIndex;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

/**
 * The embedded upstream: seeded tasks of one project, generated in parallel a block at a time and streamed into the
 * domain's {@link TaskIndex}, which answers every query and counts statistics. Immutable once built, so it serves
 * concurrent queries without locking.
 */
public final class SandboxTaskStore implements Sandbox.Served {
    /** Tasks generated at once: enough to keep every core busy, few enough never to hold many task objects. */
    private static final int BLOCK = 1 << 14;

    private final String projectId;
    private final TaskIndex index;
    private final SandboxSettings settings;
    private final SandboxGenerator generator;

    private SandboxTaskStore(SandboxSettings settings) {
        this.projectId = settings.projectId();
        this.settings = settings;
        this.generator = new SandboxGenerator(settings.seed(),
                new SandboxCatalogue(new SplittableRandom(settings.seed())));
        long now = settings.now().getEpochSecond();
        TaskIndex.Builder builder = TaskIndex.builder(settings.taskCount());
        ScriptExecutionTask[] block = new ScriptExecutionTask[Math.min(BLOCK, settings.taskCount())];
        for (int first = 0; first < settings.taskCount(); first += BLOCK) {
            int base = first;
            int count = Math.min(BLOCK, settings.taskCount() - first);
            IntStream.range(0, count).parallel().forEach(k -> block[k] = generator.generate(base + k, now));
            for (int k = 0; k < count; k++) {
                builder.add(block[k]);
            }
        }
        this.index = builder.build();
    }

    public static SandboxTaskStore generate(SandboxSettings settings) {
        return new SandboxTaskStore(settings);
    }

    public String projectId() {
        return projectId;
    }

    public int size() {
        return index.size();
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        try {
            return CompletableFuture.completedFuture(page(query));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Answers a query at once: the sandbox is in memory. */
    public TaskPage page(TaskQuery query) {
        if (!projectId.equals(query.projectId())) {
            throw new ProjectNotFoundException(query.projectId());
        }
        return index.page(query);
    }

    @Override
    public CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
        try {
            return CompletableFuture.completedFuture(statistics(query));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Counts at once, from the index's columns. */
    public TaskStatistics statistics(StatisticsQuery query) {
        if (!projectId.equals(query.projectId())) {
            throw new ProjectNotFoundException(query.projectId());
        }
        return index.statistics(query);
    }

    TaskIndex index() {
        return index;
    }

    SandboxSettings settings() {
        return settings;
    }

    SandboxGenerator generator() {
        return generator;
    }

    /** All tasks in API order; for tests that check answers against a plain filter over everything. */
    public List<ScriptExecutionTask> allTasks() {
        return List.copyOf(index.tasks());
    }
}
