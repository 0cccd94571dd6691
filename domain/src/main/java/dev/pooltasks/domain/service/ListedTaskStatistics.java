package dev.pooltasks.domain.service;

import dev.pooltasks.domain.aggregation.StatisticsTally;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.query.TooManyTasksToCountException;

import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Statistics of a task source that can only list (an upstream region): walks its filtered list in aligned blocks of
 * {@value #PAGE_SIZE} tasks ({@code offset = k * 100}, the blocks the page cache and federations share), a few at a
 * time, and counts every task once. Every block is one call to the source, so it spends the source's rate budget like
 * any other call; when the budget runs out mid-walk, the walk fails as the call does (429).
 *
 * <p>At most {@code maxTasks} are listed: the first block's {@code total_count} tells how many match, and when that
 * (or a later block's) is more, the answer is {@link TooManyTasksToCountException} before any further call.
 *
 * <p>A walk is no snapshot, but tasks that start while it runs do not shift its blocks: after the first block, the
 * walk asks only for tasks started no later than the newest task of the first block. A task met twice (moved between
 * two blocks) counts once.
 */
public final class ListedTaskStatistics implements LoadTaskStatisticsPort {
    static final int PAGE_SIZE = 100;
    /** Blocks asked for at once: a walk of 2,000 tasks takes 20 calls, in 5 rounds rather than 20 one by one. */
    static final int BLOCKS_IN_FLIGHT = 4;

    private final String name;
    private final LoadScriptExecutionTasksPort source;
    private final int maxTasks;

    /**
     * @param name     the source's name, in errors and the stale marker
     * @param maxTasks the most tasks a walk lists
     */
    public ListedTaskStatistics(String name, LoadScriptExecutionTasksPort source, int maxTasks) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        if (maxTasks < 0) {
            throw new IllegalArgumentException("maxTasks must not be negative");
        }
        this.maxTasks = maxTasks;
    }

    @Override
    public CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
        return new Walk(query, caller).run();
    }

    /** One walk: the blocks still to ask for, the tasks counted so far. */
    private final class Walk {
        private final StatisticsQuery query;
        private final Caller caller;
        private final StatisticsTally tally;
        private final Set<String> counted = new HashSet<>();
        private final CompletableFuture<TaskStatistics> result = new CompletableFuture<>();
        private final AtomicInteger nextOffset = new AtomicInteger(PAGE_SIZE);
        private final AtomicInteger lanesRunning = new AtomicInteger();
        private TaskQuery rest;
        private int total;

        Walk(StatisticsQuery query, Caller caller) {
            this.query = query;
            this.caller = caller;
            this.tally = new StatisticsTally(query.grouping(), query.timeZone());
        }

        CompletableFuture<TaskStatistics> run() {
            block(query.filters().withWindow(0, PAGE_SIZE)).whenComplete((first, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(Futures.cause(failure));
                    return;
                }
                if (!count(first)) {
                    return;
                }
                total = first.totalCount();
                if (first.tasks().isEmpty() || total <= PAGE_SIZE) {
                    finish();
                    return;
                }
                rest = pinned(query.filters(), first.tasks().get(0).startTime());
                int lanes = Math.min(BLOCKS_IN_FLIGHT, (total - 1) / PAGE_SIZE);
                lanesRunning.set(lanes);
                for (int lane = 0; lane < lanes; lane++) {
                    nextBlock();
                }
            });
            return result;
        }

        /** Asks for the next block not yet asked for, or ends this lane (and the walk, when it is the last one). */
        private void nextBlock() {
            int offset = nextOffset.getAndAdd(PAGE_SIZE);
            if (result.isDone()) {
                return;
            }
            if (offset >= total) {
                if (lanesRunning.decrementAndGet() == 0) {
                    finish();
                }
                return;
            }
            block(rest.withWindow(offset, PAGE_SIZE)).whenComplete((page, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(Futures.cause(failure));
                } else if (count(page)) {
                    nextBlock();
                }
            });
        }

        /** Counts a block's tasks not counted yet; false (and the walk failed) when too many tasks match. */
        private boolean count(TaskPage page) {
            if (page.totalCount() > maxTasks) {
                result.completeExceptionally(new TooManyTasksToCountException(name, page.totalCount(), maxTasks));
                return false;
            }
            synchronized (tally) {
                for (ScriptExecutionTask task : page.tasks()) {
                    if (counted.add(task.id())) {
                        tally.add(task);
                    }
                }
                if (!page.staleSources().isEmpty()) {
                    tally.stale(name);
                }
                // sources behind this one that its answer left out (it fronts a partial federation): so do these counts
                page.missingSources().forEach(tally::missing);
            }
            return true;
        }

        private void finish() {
            synchronized (tally) {
                result.complete(tally.result());
            }
        }

        private CompletableFuture<TaskPage> block(TaskQuery window) {
            try {
                return source.loadTasks(window, caller).toCompletableFuture();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    /** The filters, also bounded to tasks started no later than {@code newest}. */
    private static TaskQuery pinned(TaskQuery filters, Instant newest) {
        Instant end = filters.executeTimeEnd() == null || newest.isBefore(filters.executeTimeEnd()) ? newest
                : filters.executeTimeEnd();
        return new TaskQuery(filters.projectId(), filters.desktopPoolId(), filters.scriptId(), filters.scriptName(),
                filters.status(), filters.taskType(), filters.executeTimeStart(), end, filters.taskIds(), 0, 0);
    }
}
