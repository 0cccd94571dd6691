package dev.pooltasks.adapter.out.memory;

import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.StatisticsCache.Copy;
import dev.pooltasks.domain.port.out.StatisticsCache.Key;
import dev.pooltasks.domain.port.out.StatisticsCache.Lookup;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jol.info.GraphLayout;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.IntStream;

import static dev.pooltasks.testing.Stages.await;
import static dev.pooltasks.testing.Stages.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Caffeine statistics cache with a clock the tests move: freshness from the answer's arrival, single flight,
 * failures, the weight bound under a flood of distinct queries, and the weight estimate against measured object graphs.
 */
class LocalStatisticsCacheTest {
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final double AT_MOST_TIMES = 2.5;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final LocalStatisticsCache cache = new LocalStatisticsCache(1L << 20, TTL, clock);
    private final List<Key> loads = new CopyOnWriteArrayList<>();
    private final Function<Key, CompletionStage<Copy>> loader = key -> {
        loads.add(key);
        return CompletableFuture.completedFuture(copy(statistics(loads.size(), 5, false)));
    };

    /** Statistics of {@code groups} groups, with counts that depend on {@code seed}. */
    static TaskStatistics statistics(int seed, int groups, boolean nonLatinNames) {
        List<TaskStatistics.Group> list = IntStream.range(0, groups)
                .mapToObj(i -> new TaskStatistics.Group("key-" + seed + "-" + i,
                        (nonLatinNames ? "脚本-" : "script-") + seed + "-" + i, counts(seed + i)))
                .toList();
        return new TaskStatistics(counts(seed * 1000L), list, Set.of("west"), Set.of());
    }

    private static TaskStatistics.Counts counts(long n) {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        byStatus.put("FINISH", n + 1);
        byStatus.put("FAILED", 2L);
        byStatus.put("UNKNOWN_" + n, 1L);
        return new TaskStatistics.Counts(n + 4, byStatus, n, 1, 0, Instant.ofEpochSecond(n),
                Instant.ofEpochSecond(n + 60));
    }

    /** The statistics as if fetched now. */
    private Copy copy(TaskStatistics statistics) {
        return new Copy(statistics, clock.millis());
    }

    static Key key(int i) {
        TaskQuery filters = TaskQuery.builder("project-" + i).scriptName("nightly backup " + i).build();
        return new Key("east", StatisticsQuery.of(filters, "day", "Asia/Shanghai"), i % 2 == 0 ? null : "token-" + i);
    }

    @Test
    void aCopyIsFreshForTheTtlAndThenLoadedAgain() {
        Lookup first = await(cache.get(key(1), loader));
        clock.advance(TTL.minusMillis(1));
        Lookup fresh = await(cache.get(key(1), loader));
        clock.advance(Duration.ofMillis(1));
        Lookup reloaded = await(cache.get(key(1), loader));

        assertThat(first.hit()).isFalse();
        assertThat(fresh.hit()).isTrue();
        assertThat(fresh.copy()).isSameAs(first.copy());
        assertThat(reloaded.hit()).isFalse();
        assertThat(reloaded.copy().statistics()).isNotEqualTo(first.copy().statistics());
        assertThat(loads).hasSize(2);
    }

    @Test
    void freshnessCountsFromWhenTheCopyWasFetched() {
        CompletableFuture<Copy> later = new CompletableFuture<>();
        CompletionStage<Lookup> waiting = cache.get(key(1), k -> later);
        clock.advance(Duration.ofSeconds(7));
        later.complete(copy(statistics(7, 3, false)));
        clock.advance(TTL.minusMillis(1));

        Lookup lookup = await(cache.get(key(1), loader));
        clock.advance(Duration.ofMillis(1));
        Lookup reloaded = await(cache.get(key(1), loader));

        assertThat(await(waiting).hit()).isFalse();
        assertThat(lookup.hit()).isTrue();
        assertThat(lookup.copy().statistics()).isEqualTo(statistics(7, 3, false));
        assertThat(reloaded.hit()).isFalse();
        assertThat(loads).hasSize(1);
    }

    @Test
    void aCopyAnotherTierFetchedEarlierIsFreshOnlyForWhatIsLeftOfItsTtl() {
        Copy fetchedEarlier = new Copy(statistics(8, 2, false), clock.millis() - TTL.toMillis() + 2_000);
        await(cache.get(key(1), k -> CompletableFuture.completedFuture(fetchedEarlier)));
        clock.advance(Duration.ofMillis(1_999));
        Lookup kept = await(cache.get(key(1), loader));
        clock.advance(Duration.ofMillis(1));
        Lookup reloaded = await(cache.get(key(1), loader));

        assertThat(kept).isEqualTo(new Lookup(fetchedEarlier, true));
        assertThat(reloaded.hit()).isFalse();
        assertThat(loads).hasSize(1);
    }

    @Test
    void lookupsOfAKeyBeingLoadedWaitForThatLoad() {
        CompletableFuture<Copy> later = new CompletableFuture<>();
        Function<Key, CompletionStage<Copy>> slow = k -> {
            loads.add(k);
            return later;
        };
        List<CompletionStage<Lookup>> lookups = IntStream.range(0, 5).mapToObj(i -> cache.get(key(3), slow)).toList();
        later.complete(copy(statistics(3, 2, false)));

        assertThat(loads).hasSize(1);
        assertThat(lookups).extracting(stage -> await(stage).hit()).containsExactly(false, true, true, true, true);
        assertThat(lookups).extracting(stage -> await(stage).copy().statistics()).containsOnly(statistics(3, 2, false));
    }

    @Test
    void aFailedLoadIsNotKept() {
        IllegalStateException down = new IllegalStateException("down");

        assertThat(failureOf(cache.get(key(1), k -> CompletableFuture.failedFuture(down)))).isSameAs(down);
        assertThat(failureOf(cache.get(key(2), k -> {
            throw down;
        }))).isSameAs(down);
        Lookup next = await(cache.get(key(1), loader));

        assertThat(next.hit()).isFalse();
        assertThat(loads).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(longs = {64 << 10, 256 << 10})
    void aFloodOfDistinctQueriesStaysWithinTheBoundEvictingEntryByEntry(long bound) {
        LocalStatisticsCache small = new LocalStatisticsCache(bound, TTL, clock);
        for (int i = 0; i < 2_000; i++) {
            Copy answer = copy(statistics(i, 5, false));
            await(small.get(key(i), k -> CompletableFuture.completedFuture(answer)));
        }

        assertThat(small.weightBytes()).isLessThanOrEqualTo(bound).isGreaterThan(bound / 2);
        assertThat(small.entries()).isBetween(5L, 1_999L);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 31, 400})
    void theEstimateOfAnEntryIsAboveItsMeasuredSize(int groups) {
        for (boolean nonLatin : new boolean[] {false, true}) {
            TaskStatistics statistics = statistics(groups, groups, nonLatin);
            long estimate = StatisticsWeight.statistics(statistics);
            long measured = GraphLayout.parseInstance(statistics).totalSize();

            assertThat(estimate).as("%d groups, measured %d", groups, measured).isGreaterThanOrEqualTo(measured)
                    .isLessThanOrEqualTo((long) (measured * AT_MOST_TIMES));
        }
        Key key = key(groups + 1);
        // less the zone's rules: the JDK's, one copy for every query that names the zone
        long measuredKey = GraphLayout.parseInstance(key)
                .subtract(GraphLayout.parseInstance(key.query().timeZone())).totalSize();
        assertThat(StatisticsWeight.key(key)).isGreaterThanOrEqualTo(measuredKey);
    }

    @Test
    void theCacheGrowsByLessThanTheWeightItCounts() {
        LocalStatisticsCache big = new LocalStatisticsCache(1L << 30, Duration.ofMinutes(1), clock);
        long empty = GraphLayout.parseInstance(big).totalSize();

        for (int i = 0; i < 120; i++) {
            Copy answer = copy(statistics(i, 1 + i % 40, false));
            await(big.get(key(i), k -> CompletableFuture.completedFuture(answer)));
        }
        long grown = GraphLayout.parseInstance(big).totalSize() - empty;

        assertThat(big.entries()).isEqualTo(120);
        assertThat(big.weightBytes()).as("weight counted, against %d bytes grown", grown)
                .isGreaterThanOrEqualTo(grown)
                .isLessThanOrEqualTo((long) (grown * AT_MOST_TIMES));
    }

    @Test
    void aBoundOrTtlThatCannotWorkIsRefused() {
        assertThatThrownBy(() -> new LocalStatisticsCache(0, TTL, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalStatisticsCache(1 << 20, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
