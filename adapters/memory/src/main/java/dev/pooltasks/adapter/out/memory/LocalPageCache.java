package dev.pooltasks.adapter.out.memory;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.pooltasks.domain.port.out.PageCache;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The page cache of this process: a Caffeine {@link AsyncCache} bounded by the estimated bytes its entries retain
 * ({@link PageWeight}), evicting the least valuable entries one at a time (Caffeine's W-TinyLFU policy: entries used
 * often outlive a flood of queries seen once), never all at once.
 *
 * <p>A copy is fresh for {@code ttl} after it was fetched and kept for {@code keepAfterTtl} more, so that
 * {@link #lastCopy} can still give it when its source fails. Loads in flight are the cache's own futures, so
 * identical lookups wait for one load; a failed load is dropped. A lookup that finds a copy no longer fresh loads again
 * (one load however many lookups ask) and until the new copy arrives, or for good when that load fails, the old copy
 * stays available to {@link #lastCopy} under a second slot of the same key, within the same weight bound, until it
 * expires.
 *
 * <p>Time comes from the given clock (Caffeine's ticker reads it), so tests move it instead of sleeping.
 */
public final class LocalPageCache implements PageCache {
    private final AsyncCache<Slot, Copy> cache;
    private final Clock clock;
    private final long ttlMillis;
    private final long maxWeightBytes;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final Map<RemovalCause, LongAdder> evictions = new EnumMap<>(RemovalCause.class);

    /**
     * Where a copy lives: the key's current slot holds its newest copy or the load in flight; its previous slot holds
     * the copy that a load in flight (or a failed one) is replacing.
     */
    private record Slot(Key key, boolean previous) {
    }

    /**
     * Counts since start, and the present size.
     *
     * @param hits        lookups answered without running their loader (a fresh copy, or a load already in flight)
     * @param misses      lookups that ran their loader
     * @param evictions   entries evicted by cause: {@code size} (to stay within the weight bound), {@code expired}
     *                    (kept for as long as configured)
     * @param weightBytes the estimated bytes of all entries, at most {@code maxWeightBytes}
     * @param entries     copies kept and loads in flight
     */
    public record Stats(long hits, long misses, Map<String, Long> evictions, long weightBytes, long maxWeightBytes,
                        long entries) {
        public static final String SIZE = "size";
        public static final String EXPIRED = "expired";

        public Stats {
            evictions = Map.copyOf(evictions);
        }
    }

    /**
     * @param maxWeightBytes the bound on the estimated bytes of all entries
     * @param ttl            how long after it was fetched a copy is fresh; at least a millisecond
     * @param keepAfterTtl   how long a copy is kept after that, for {@link #lastCopy}
     */
    public LocalPageCache(long maxWeightBytes, Duration ttl, Duration keepAfterTtl, Clock clock) {
        if (maxWeightBytes <= 0) {
            throw new IllegalArgumentException("the cache's maximum weight must be positive");
        }
        if (ttl.toMillis() < 1) {
            throw new IllegalArgumentException("ttl must be at least 1 ms (copies are timed in milliseconds)");
        }
        if (keepAfterTtl.isNegative()) {
            throw new IllegalArgumentException("keepAfterTtl must not be negative");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttlMillis = ttl.toMillis();
        this.maxWeightBytes = maxWeightBytes;
        for (RemovalCause cause : RemovalCause.values()) {
            evictions.put(cause, new LongAdder());
        }
        long keepMillis = KeptAfterFetch.saturatedAdd(ttlMillis, keepAfterTtl.toMillis());
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxWeightBytes)
                .weigher((Slot slot, Copy copy) -> (int) Math.min(Integer.MAX_VALUE, PageWeight.of(slot.key(), copy)))
                .expireAfter(new KeptAfterFetch<Slot, Copy>(Copy::fetchedAtMillis, keepMillis))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                // Maintenance on the calling thread, a few entries at a time: handing it to a pool cost a thread
                // wake-up per batch of reads, about 5 µs a cached answer (perf, bench S3c); also deterministic in tests.
                .executor(Runnable::run)
                .evictionListener((Slot slot, Copy copy, RemovalCause cause) -> evictions.get(cause).increment())
                .buildAsync();
    }

    @Override
    public CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader) {
        Slot current = new Slot(key, false);
        CompletableFuture<Copy> held = cache.getIfPresent(current);
        if (held != null && usable(held)) {
            return hit(held);
        }
        CompletableFuture<Copy> load = new CompletableFuture<>();
        Copy[] replaced = new Copy[1];
        CompletableFuture<Copy> winner = cache.asMap().compute(current, (slot, existing) -> {
            if (existing != null && usable(existing)) {
                return existing;
            }
            replaced[0] = existing == null ? null : copyOf(existing);
            return load;
        });
        if (winner != load) {
            return hit(winner);
        }
        misses.increment();
        if (replaced[0] != null) {
            cache.put(new Slot(key, true), CompletableFuture.completedFuture(replaced[0]));
        }
        start(key, loader).whenComplete((copy, failure) -> {
            if (failure != null) {
                load.completeExceptionally(failure);
                return;
            }
            load.complete(copy);
            // The previous copy is no longer needed, unless a newer load already put this very copy there.
            cache.asMap().computeIfPresent(new Slot(key, true), (slot, previous) -> {
                Copy kept = copyOf(previous);
                return kept == null || kept.fetchedAtMillis() < copy.fetchedAtMillis() ? null : previous;
            });
            WithinBound.settle(cache.synchronous(), maxWeightBytes);   // the copy now weighs what it holds
        });
        return load.thenApply(copy -> new Lookup(copy, false));
    }

    @Override
    public Copy freshCopy(Key key) {
        CompletableFuture<Copy> held = cache.getIfPresent(new Slot(key, false));
        Copy copy = held == null ? null : copyOf(held);
        if (copy == null || clock.millis() - copy.fetchedAtMillis() >= ttlMillis) {
            return null;
        }
        hits.increment();
        return copy;
    }

    @Override
    public CompletionStage<Optional<Copy>> lastCopy(Key key) {
        Copy current = quietly(new Slot(key, false));
        Copy previous = quietly(new Slot(key, true));
        Copy newest = current == null ? previous
                : previous == null || current.fetchedAtMillis() >= previous.fetchedAtMillis() ? current : previous;
        return CompletableFuture.completedFuture(Optional.ofNullable(newest));
    }

    /** Counts and sizes for metrics; runs pending maintenance first, so that the sizes are current. */
    public Stats stats() {
        cache.synchronous().cleanUp();
        long weight = WithinBound.settle(cache.synchronous(), maxWeightBytes);
        Map<String, Long> evicted = Map.of(Stats.SIZE, evictions.get(RemovalCause.SIZE).sum(),
                Stats.EXPIRED, evictions.get(RemovalCause.EXPIRED).sum());
        return new Stats(hits.sum(), misses.sum(), evicted, weight, maxWeightBytes,
                cache.synchronous().estimatedSize());
    }

    private CompletionStage<Lookup> hit(CompletableFuture<Copy> held) {
        hits.increment();
        return held.thenApply(copy -> new Lookup(copy, true));
    }

    /** A load in flight, or a copy still fresh. */
    private boolean usable(CompletableFuture<Copy> held) {
        if (!held.isDone()) {
            return true;
        }
        Copy copy = copyOf(held);
        return copy != null && clock.millis() - copy.fetchedAtMillis() < ttlMillis;
    }

    private static CompletableFuture<Copy> start(Key key, Function<Key, CompletionStage<Copy>> loader) {
        try {
            return loader.apply(key).toCompletableFuture().thenApply(copy -> {
                if (copy == null) {
                    throw new CompletionException(new NullPointerException("the loader answered no copy"));
                }
                return copy;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The copy of a completed future; null while in flight or when failed. */
    private static Copy copyOf(CompletableFuture<Copy> held) {
        return held.isDone() && !held.isCompletedExceptionally() ? held.join() : null;
    }

    /** A kept copy without counting it as a use (serving it stale should not make it outlive others). */
    private Copy quietly(Slot slot) {
        return cache.synchronous().policy().getIfPresentQuietly(slot);
    }
}
