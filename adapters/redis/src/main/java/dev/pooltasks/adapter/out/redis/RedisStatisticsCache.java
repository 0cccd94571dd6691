package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.StatisticsCache;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The statistics cache tier that replicas share: copies in Redis under {@code <prefix>:statistics:<digest>}, encoded
 * by {@link StatisticsCodec}, single flight across replicas as {@link SharedCopies} gives it, each kept only while
 * fresh (statistics are never served stale). Meant behind the in-process tier, as {@link RedisPageCache} is.
 */
public final class RedisStatisticsCache implements StatisticsCache {
    private static final SharedCopies.Kind<Key, Copy> STATISTICS = new SharedCopies.Kind<>("statistics",
            CopyKeys::digest, StatisticsCodec::encode, StatisticsCodec::decode, Copy::fetchedAtMillis);

    private final SharedCopies<Key, Copy> copies;

    /**
     * @param ttl              how long after it was fetched a copy is fresh (and kept)
     * @param singleFlightWait how long a lookup waits for another replica's load of the same key
     * @param clock            the wall clock copies are stamped and aged with (replicas' clocks should agree)
     */
    public RedisStatisticsCache(RedisStore store, Duration ttl, Duration singleFlightWait, Clock clock) {
        this.copies = new SharedCopies<>(store, STATISTICS, ttl, Duration.ZERO, singleFlightWait, clock);
    }

    @Override
    public CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader) {
        return copies.get(key, loader).thenApply(found -> new Lookup(found.copy(), found.hit()));
    }
}
