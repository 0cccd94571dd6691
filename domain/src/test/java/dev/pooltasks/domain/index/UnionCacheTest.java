package dev.pooltasks.domain.index;

import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class UnionCacheTest {
    private static BitSet scripts(int... codes) {
        BitSet set = new BitSet();
        for (int code : codes) {
            set.set(code);
        }
        return set;
    }

    /** Positions of {@code count} entries and no bitmap: 4 bytes each. */
    private static Supplier<Positions> union(int count, AtomicInteger computed) {
        return () -> {
            computed.incrementAndGet();
            return Positions.listed(new int[count]);
        };
    }

    @Test
    void aUnionIsComputedOnceWhileCached() {
        UnionCache cache = new UnionCache(1000);
        AtomicInteger computed = new AtomicInteger();
        BitSet key = scripts(1, 2);

        Positions first = cache.get(key, union(10, computed));
        key.set(3); // the caller's set may change afterwards: the cache keeps its own copy
        Positions again = cache.get(scripts(1, 2), union(10, computed));

        assertThat(again).isSameAs(first);
        assertThat(computed).hasValue(1);
        assertThat(cache.weight()).isEqualTo(40);
    }

    @Test
    void theOldestUnionsAreEvictedOneByOneToStayWithinTheWeight() {
        UnionCache cache = new UnionCache(400); // 100 entries' worth
        AtomicInteger computed = new AtomicInteger();
        cache.get(scripts(1, 2), union(30, computed));
        cache.get(scripts(1, 3), union(30, computed));
        cache.get(scripts(1, 4), union(30, computed));

        cache.get(scripts(1, 5), union(30, computed)); // 480 bytes: the oldest goes, and only it

        assertThat(cache.size()).isEqualTo(3);
        assertThat(cache.weight()).isEqualTo(360);
        cache.get(scripts(1, 3), union(30, computed));
        cache.get(scripts(1, 4), union(30, computed));
        cache.get(scripts(1, 5), union(30, computed));
        assertThat(computed).as("the three newest are still cached").hasValue(4);
        cache.get(scripts(1, 2), union(30, computed));
        assertThat(computed).as("the evicted one is computed again").hasValue(5);
        assertThat(cache.weight()).isLessThanOrEqualTo(400);
    }

    @Test
    void aUnionHeavierThanTheWholeBoundIsAnsweredButNotKept() {
        UnionCache cache = new UnionCache(100);
        AtomicInteger computed = new AtomicInteger();

        Positions heavy = cache.get(scripts(1, 2), union(1000, computed));

        assertThat(heavy.list()).hasSize(1000);
        assertThat(cache.size()).isZero();
        assertThat(cache.weight()).isZero();
    }
}
