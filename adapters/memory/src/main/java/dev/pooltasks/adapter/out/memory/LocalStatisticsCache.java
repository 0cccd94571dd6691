package dev.pooltasks.adapter.out.memory;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.pooltasks.domain.port.out.StatisticsCache;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The statistics cache of this process: a Caffeine cache bounded by the estimated bytes its entries retain
 * ({@link StatisticsWeight}), evicting the least valuable entries one at a time. A copy is fresh for {@code ttl} from
 * when it was fetched (a copy from a shared tier only for what is left of its time) and then dropped; loads in flight
 * are the cache's own futures, so identical lookups wait for one load, and a failed load is dropped.
 *
 * <p>Time comes from the given clock (Caffeine's ticker reads it), so tests move it instead of sleeping.
 */
public final class LocalStatisticsCache implements StatisticsCache {
    private final AsyncCache<Key, Copy> cache;
    private final long maxWeightBytes;

    /**
     * @param maxWeightBytes the bound on the estimated bytes of all entries
     * @param ttl            how long after it was fetched a copy is fresh; at least a millisecond
     */
    public LocalStatisticsCache(long maxWeightBytes, Duration ttl, Clock clock) {
        if (maxWeightBytes <= 0) {
            throw new IllegalArgumentException("the statistics cache's maximum weight must be positive");
        }
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 ms (copies are timed in milliseconds)");
        }
        Objects.requireNonNull(clock, "clock");
        this.maxWeightBytes = maxWeightBytes;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxWeightBytes)
                .weigher((Key key, Copy copy) -> (int) Math.min(Integer.MAX_VALUE, StatisticsWeight.of(key, copy)))
                .expireAfter(new KeptAfterFetch<Key, Copy>(Copy::fetchedAtMillis, ttl.toMillis()))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)   // as LocalPageCache: no thread wake-up per batch of reads
                .buildAsync();
    }

    @Override
    public CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader) {
        boolean[] loaded = new boolean[1];   // the mapping function runs on this thread, within get
        CompletableFuture<Copy> copy;
        try {
            copy = cache.get(key, (k, executor) -> {
                loaded[0] = true;
                try {
                    return loader.apply(k).toCompletableFuture();
                } catch (RuntimeException e) {
                    return CompletableFuture.failedFuture(e);
                }
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        boolean hit = !loaded[0];
        return copy.thenApply(answer -> {
            if (!hit) {
                WithinBound.settle(cache.synchronous(), maxWeightBytes);
            }
            return new Lookup(answer, hit);
        });
    }

    /** The estimated bytes of all entries kept (pending maintenance run first). */
    public long weightBytes() {
        cache.synchronous().cleanUp();
        return WithinBound.settle(cache.synchronous(), maxWeightBytes);
    }

    /** Copies kept and loads under way. */
    public long entries() {
        return cache.synchronous().estimatedSize();
    }
}
