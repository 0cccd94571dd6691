package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A short-lived cache in front of a task source, with single flight: identical queries arriving while one is in
 * flight share its answer, and answers are reused for {@code ttl}. Optionally, when the source fails, the last good
 * answer (up to {@code staleFor} old) is served instead, marked stale. Failures are never cached.
 * Answers fetched with the caller's own token are cached per token.
 */
public final class CachingTaskSource implements LoadScriptExecutionTasksPort {
    private static final int MAX_ENTRIES = 10_000;

    private final String name;
    private final LoadScriptExecutionTasksPort source;
    private final long ttlNanos;
    private final long staleNanos;
    private final LongSupplier nanoClock;
    private final CacheListener listener;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    private record Key(TaskQuery query, String token) {
    }

    /** An answer in flight or done; {@code lastGood} survives failed refreshes for serving stale. */
    private record Entry(CompletableFuture<TaskPage> answer, long[] doneAt, TaskPage lastGood, long lastGoodAt) {
        boolean freshAt(long now, long ttl) {
            return !answer.isDone() || (!answer.isCompletedExceptionally() && now - doneAt[0] < ttl);
        }
    }

    /** Hears cache hits and misses, for metrics. */
    public interface CacheListener {
        CacheListener NONE = (source, hit) -> { };

        void lookedUp(String source, boolean hit);
    }

    public CachingTaskSource(String name, LoadScriptExecutionTasksPort source, Duration ttl, Duration staleFor,
                             LongSupplier nanoClock, CacheListener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive; without caching, use the source itself");
        }
        this.ttlNanos = ttl.toNanos();
        this.staleNanos = staleFor.toNanos();
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        Key key = new Key(query, caller.token());
        long now = nanoClock.getAsLong();
        boolean[] hit = {true};
        Entry entry = entries.compute(key, (k, current) -> {
            if (current != null && current.freshAt(now, ttlNanos)) {
                return current;
            }
            hit[0] = false;
            return new Entry(new CompletableFuture<>(), new long[1],
                    current == null ? null : current.lastGood(), current == null ? 0 : current.lastGoodAt());
        });
        listener.lookedUp(name, hit[0]);
        if (!hit[0]) {
            fetch(key, entry, caller);
            evictIfFull(now);
        }
        return entry.answer().handle((page, failure) -> {
            if (failure == null) {
                return page;
            }
            if (staleNanos > 0 && entry.lastGood() != null && nanoClock.getAsLong() - entry.lastGoodAt() < staleNanos) {
                return entry.lastGood().markedStale(name);
            }
            throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
        });
    }

    private void fetch(Key key, Entry entry, Caller caller) {
        CompletionStage<TaskPage> answer;
        try {
            answer = source.loadTasks(key.query(), caller);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((page, failure) -> {
            long doneAt = nanoClock.getAsLong();
            entry.doneAt()[0] = doneAt;
            if (failure == null) {
                entries.replace(key, entry, new Entry(entry.answer(), entry.doneAt(), page, doneAt));
                entry.answer().complete(page);
            } else {
                entry.answer().completeExceptionally(failure);
            }
        });
    }

    private void evictIfFull(long now) {
        if (entries.size() > MAX_ENTRIES) {
            entries.entrySet().removeIf(e -> !e.getValue().freshAt(now, ttlNanos)
                    && (e.getValue().lastGood() == null || now - e.getValue().lastGoodAt() >= staleNanos));
            if (entries.size() > MAX_ENTRIES) {
                entries.clear();
            }
        }
    }
}
