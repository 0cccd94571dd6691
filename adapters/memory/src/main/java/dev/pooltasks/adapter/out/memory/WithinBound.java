package dev.pooltasks.adapter.out.memory;

import com.github.benmanes.caffeine.cache.Cache;

/**
 * Brings a Caffeine cache back within its weight bound. One maintenance pass may stop above the bound when its walk
 * meets entries whose change is still being recorded (Caffeine leaves it to "the pending operations"), and the excess
 * stays until the cache is next maintained: distinct loads from 16 threads left an 8 MiB page cache holding up to
 * 24 MiB that way. In that flood a second pass always finished the eviction; this allows three.
 */
final class WithinBound {
    private static final int PASSES = 3;

    private WithinBound() {
    }

    /** Runs maintenance until the cache weighs at most {@code maxWeight} (or the passes run out); returns its weight. */
    static long settle(Cache<?, ?> cache, long maxWeight) {
        var eviction = cache.policy().eviction().orElseThrow();
        long weight = eviction.weightedSize().orElseThrow();
        for (int pass = 0; pass < PASSES && weight > maxWeight; pass++) {
            cache.cleanUp();
            weight = eviction.weightedSize().orElseThrow();
        }
        return weight;
    }
}
