package dev.pooltasks.adapter.out.memory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.AnswerMemo;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The answer memo of this process: a Caffeine cache bounded by the estimated bytes its answers retain (the merged page,
 * its body once encoded, its parts with their queries and the copies they name), evicting the least valuable answers
 * one at a time. The copies count here although the page cache weighs them too: an answer keeps its copies alive (its
 * page's tasks are theirs), and the page cache may drop a copy while an answer still holds it. An answer is kept at
 * most {@code keepFor} after it was put: its copies were fetched before that and are fresh no longer than the page
 * cache's ttl, so an older answer could never be used again.
 *
 * <p>An answer is put before its body is encoded (by the inbound adapter, when it is first sent); the first lookup that
 * finds the body known weighs the answer again with it.
 */
public final class LocalAnswerMemo implements AnswerMemo {
    /** The part record and its slot in the parts list; its query and its copy are counted separately. */
    private static final int PART = 16 + 8 + 8 + 8 + 8;
    /** Copies whose weight is remembered: one not among them is only weighed again. */
    private static final int COPY_WEIGHTS = 10_000;

    private final Cache<Key, Kept> cache;
    private final long maxWeightBytes;
    /**
     * Each copy's weight, worked out once however many answers name it (weighing a copy makes its tasks; the pages of a
     * walk share their blocks). Weak keys, compared by identity: an entry goes with its copy.
     */
    private final Cache<TaskPage, Long> copyWeights;

    private record Kept(Answer answer, boolean bodyWeighed) {
    }

    /**
     * @param maxWeightBytes the bound on the estimated bytes of all answers
     * @param keepFor        how long after it was put an answer may be used: the page cache's ttl
     */
    public LocalAnswerMemo(long maxWeightBytes, Duration keepFor, Clock clock) {
        if (maxWeightBytes <= 0) {
            throw new IllegalArgumentException("the answer memo's maximum weight must be positive");
        }
        this.maxWeightBytes = maxWeightBytes;
        long keepNanos = keepFor.toNanos();
        Objects.requireNonNull(clock, "clock");
        this.copyWeights = Caffeine.newBuilder().weakKeys().maximumSize(COPY_WEIGHTS)
                .executor(Runnable::run).build();
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxWeightBytes)
                .weigher((Key key, Kept kept) -> (int) Math.min(Integer.MAX_VALUE, weight(key, kept)))
                .expireAfter(new Expiry<Key, Kept>() {
                    @Override
                    public long expireAfterCreate(Key key, Kept kept, long currentTime) {
                        return keepNanos;
                    }

                    @Override
                    public long expireAfterUpdate(Key key, Kept kept, long currentTime, long currentDuration) {
                        // weighed again, or put again: the copies are as old as before
                        return kept.bodyWeighed() ? currentDuration : keepNanos;
                    }

                    @Override
                    public long expireAfterRead(Key key, Kept kept, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)   // as LocalPageCache: no thread wake-up per batch of reads
                .build();
    }

    @Override
    public Answer get(Key key) {
        Kept kept = cache.getIfPresent(key);
        if (kept == null) {
            return null;
        }
        if (!kept.bodyWeighed() && kept.answer().page().knownBody() != null) {
            cache.asMap().replace(key, kept, new Kept(kept.answer(), true));
        }
        return kept.answer();
    }

    @Override
    public void put(Key key, Answer answer) {
        cache.put(key, new Kept(answer, false));
        WithinBound.settle(cache, maxWeightBytes);
    }

    @Override
    public void remove(Key key) {
        cache.invalidate(key);
    }

    /** The estimated bytes of all answers kept (pending maintenance run first). */
    public long weightBytes() {
        cache.cleanUp();
        return WithinBound.settle(cache, maxWeightBytes);
    }

    private long weight(Key key, Kept kept) {
        long bytes = PageWeight.ENTRY_OVERHEAD + PageWeight.string(key.source()) + PageWeight.query(key.query())
                + PageWeight.page(kept.answer().page());
        Set<TaskPage> copies = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Part part : kept.answer().parts()) {
            bytes += PART + PageWeight.query(part.query());
            TaskPage copy = part.copy();
            if (copies.add(copy)) {   // once, however many parts name it
                // Remembered only once its body is known: the weight counts the body, which may come later.
                bytes += copy.knownBody() == null ? PageWeight.page(copy) : copyWeights.get(copy, PageWeight::page);
            }
        }
        return bytes;
    }
}
