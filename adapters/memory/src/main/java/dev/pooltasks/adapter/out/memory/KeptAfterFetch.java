package dev.pooltasks.adapter.out.memory;

import com.github.benmanes.caffeine.cache.Expiry;

import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Caffeine's expiry for copies: each kept until {@code keepMillis} after it was fetched, however often it is read or
 * replaced. An async cache asks once the load completes (until then an entry does not expire), so a copy another tier
 * fetched earlier is kept only for what is left of its time.
 *
 * @param <K> the cache's keys
 * @param <C> copies, which know when they were fetched (epoch milliseconds of the clock the cache's ticker reads)
 */
final class KeptAfterFetch<K, C> implements Expiry<K, C> {
    private final ToLongFunction<C> fetchedAtMillis;
    private final long keepMillis;

    KeptAfterFetch(ToLongFunction<C> fetchedAtMillis, long keepMillis) {
        this.fetchedAtMillis = fetchedAtMillis;
        this.keepMillis = keepMillis;
    }

    @Override
    public long expireAfterCreate(K key, C copy, long currentTime) {
        long remaining = saturatedAdd(fetchedAtMillis.applyAsLong(copy), keepMillis)
                - TimeUnit.NANOSECONDS.toMillis(currentTime);
        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, remaining));
    }

    @Override
    public long expireAfterUpdate(K key, C copy, long currentTime, long currentDuration) {
        return expireAfterCreate(key, copy, currentTime);
    }

    @Override
    public long expireAfterRead(K key, C copy, long currentTime, long currentDuration) {
        return currentDuration;
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
