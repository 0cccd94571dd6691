package dev.pooltasks.adapter.out.memory;

import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jol.info.GraphLayout;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The weight estimate against real object graphs, measured by JOL in this JVM: never below them (so the weight bound
 * bounds the heap), and not so far above them that the bound wastes most of its memory.
 */
class PageWeightTest {
    /** How far above the measured size the estimate may be: its layout is the uncompressed one, by design. */
    private static final double AT_MOST_TIMES = 2.5;

    static Stream<Arguments> pages() {
        return Stream.of(
                Arguments.of("a full page", Pages.page(1, 100)),
                Arguments.of("a small page", Pages.page(2, 7)),
                Arguments.of("an empty page", Pages.page(3, 0)),
                Arguments.of("names that are not Latin-1", Pages.page(4, 100, true)),
                Arguments.of("missing and stale sources", Pages.withSources(Pages.page(5, 20),
                        Set.of("west", "south"), Set.of("north"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void theEstimateOfACopyIsAboveItsMeasuredSize(String what, TaskPage page) {
        PageCache.Copy copy = new PageCache.Copy(page, 0);
        long estimate = PageWeight.of(Pages.key(0, 100), copy) - PageWeight.ENTRY_OVERHEAD
                - PageWeight.key(Pages.key(0, 100));
        long measured = GraphLayout.parseInstance(copy).totalSize();

        assertThat(estimate).as("estimate of %s (measured %d)", what, measured).isGreaterThanOrEqualTo(measured);
        assertThat((double) estimate).as("estimate of %s (measured %d)", what, measured)
                .isLessThanOrEqualTo(measured * AT_MOST_TIMES);
    }

    @Test
    void theEstimateOfTheLargestKeyIsAboveItsMeasuredSize() {
        PageCache.Key key = Pages.largestKey();
        long measured = GraphLayout.parseInstance(key).totalSize();

        assertThat(PageWeight.key(key)).isGreaterThanOrEqualTo(measured)
                .isLessThanOrEqualTo((long) (measured * AT_MOST_TIMES));
        assertThat(measured).as("a large key is worth counting").isGreaterThan(30_000);
    }

    @Test
    void theEstimateOfASmallKeyIsAboveItsMeasuredSize() {
        PageCache.Key key = Pages.key(300, 100);

        assertThat(PageWeight.key(key)).isGreaterThanOrEqualTo(GraphLayout.parseInstance(key).totalSize());
    }

    @Test
    void theCacheGrowsByLessThanTheWeightItCounts() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
        LocalPageCache cache = new LocalPageCache(1L << 30, Duration.ofMinutes(1), Duration.ZERO, clock);
        long empty = GraphLayout.parseInstance(cache).totalSize();

        for (int i = 0; i < 120; i++) {
            PageCache.Copy copy = new PageCache.Copy(Pages.page(i, 10 + i % 91), clock.millis());
            cache.get(Pages.key(i * 100, 100), key -> CompletableFuture.completedFuture(copy));
        }
        LocalPageCache.Stats stats = cache.stats();
        long grown = GraphLayout.parseInstance(cache).totalSize() - empty;

        assertThat(stats.entries()).isEqualTo(120);
        assertThat(stats.weightBytes()).as("weight counted, against %d bytes grown", grown)
                .isGreaterThanOrEqualTo(grown)
                .isLessThanOrEqualTo((long) (grown * AT_MOST_TIMES));
    }

    @Test
    void stringsCountOneByteACharacterInLatin1AndTwoOtherwise() {
        assertThat(PageWeight.string("é".repeat(1000)) - PageWeight.string(""))
                .isEqualTo(1000);
        assertThat(PageWeight.string("名".repeat(1000)) - PageWeight.string(""))
                .isEqualTo(2000);
        assertThat(PageWeight.string(null)).isZero();
    }
}
