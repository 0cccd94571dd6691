package dev.pooltasks.domain.service;

import dev.pooltasks.domain.aggregation.StatisticsTestData;
import dev.pooltasks.domain.index.TaskIndex;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.port.out.StatisticsCache;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.Grouping;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static dev.pooltasks.testing.Stages.await;
import static dev.pooltasks.testing.Stages.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caching policy of statistics (keys, hit and miss, failures) over a plain in-test cache. How copies are kept
 * (freshness, single flight, the weight bound) is tested with the real cache in adapters/memory.
 */
class CachingTaskStatisticsTest {
    private static final String PROJECT = "project-east";
    private static final Caller ALICE = new Caller("ak-1", "token-alice", Set.of(Caller.ANY_PROJECT));
    private static final Caller BOB = new Caller("ak-2", "token-bob", Set.of(Caller.ANY_PROJECT));
    private static final TaskIndex INDEX = index();

    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private final CachingTaskSource.CacheListener listener =
            (source, hit) -> lookups.add(source + ":" + (hit ? "hit" : "miss"));
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final MapStatisticsCache cache = new MapStatisticsCache();
    private final List<StatisticsQuery> asked = new CopyOnWriteArrayList<>();
    private final AtomicReference<RuntimeException> down = new AtomicReference<>();
    private final LoadTaskStatisticsPort source = (query, caller) -> {
        asked.add(query);
        RuntimeException failure = down.get();
        return failure == null ? CompletableFuture.completedFuture(INDEX.statistics(query))
                : CompletableFuture.failedFuture(failure);
    };

    /** Keeps every answer for good: freshness and single flight are the real caches'. */
    static final class MapStatisticsCache implements StatisticsCache {
        final Map<Key, Copy> copies = new ConcurrentHashMap<>();

        @Override
        public CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader) {
            Copy kept = copies.get(key);
            if (kept != null) {
                return CompletableFuture.completedFuture(new Lookup(kept, true));
            }
            return loader.apply(key).thenApply(answer -> {
                copies.put(key, answer);
                return new Lookup(answer, false);
            });
        }
    }

    private static TaskIndex index() {
        TaskIndex.Builder builder = TaskIndex.builder();
        StatisticsTestData.tasks(1, 300).forEach(builder::add);
        return builder.build();
    }

    private static StatisticsQuery query(Grouping grouping) {
        return StatisticsQuery.of(TaskQuery.builder(PROJECT).build(), grouping.name().toLowerCase(Locale.ROOT), null);
    }

    private CachingTaskStatistics cached(boolean callerTokenInKey) {
        return new CachingTaskStatistics("east", source, callerTokenInKey, List.of(cache), clock, listener);
    }

    @Test
    void aRepeatedQueryIsAnsweredByTheCacheWithoutAskingTheSource() {
        CachingTaskStatistics statistics = cached(false);

        TaskStatistics first = await(statistics.loadStatistics(query(Grouping.DAY), ALICE));
        TaskStatistics again = await(statistics.loadStatistics(query(Grouping.DAY), BOB));

        assertThat(first).isEqualTo(INDEX.statistics(query(Grouping.DAY)));
        assertThat(again).isEqualTo(first);
        assertThat(asked).hasSize(1);
        assertThat(lookups).containsExactly("east:miss", "east:hit");
        assertThat(cache.copies.keySet()).containsExactly(new StatisticsCache.Key("east", query(Grouping.DAY), null));
    }

    @Test
    void aCopyIsStampedWithWhenTheSourcesAnswerArrived() {
        CompletableFuture<TaskStatistics> slow = new CompletableFuture<>();
        LoadTaskStatisticsPort slowSource = (query, caller) -> slow;
        CompletionStage<TaskStatistics> answer = new CachingTaskStatistics("east", slowSource, false, List.of(cache),
                clock, listener).loadStatistics(query(Grouping.DAY), ALICE);
        clock.advance(Duration.ofSeconds(3));
        slow.complete(INDEX.statistics(query(Grouping.DAY)));

        assertThat(await(answer)).isEqualTo(INDEX.statistics(query(Grouping.DAY)));
        assertThat(cache.copies.values()).extracting(StatisticsCache.Copy::fetchedAtMillis)
                .containsExactly(clock.millis());
    }

    @Test
    void tiersAreAskedNearestFirstAndTheSourceOnlyByTheLast() {
        MapStatisticsCache shared = new MapStatisticsCache();
        CachingTaskStatistics replicaA = new CachingTaskStatistics("east", source, false, List.of(cache, shared), clock,
                listener);
        MapStatisticsCache otherLocal = new MapStatisticsCache();
        CachingTaskStatistics replicaB = new CachingTaskStatistics("east", source, false, List.of(otherLocal, shared),
                clock, listener);

        TaskStatistics first = await(replicaA.loadStatistics(query(Grouping.POOL), ALICE));
        TaskStatistics fromShared = await(replicaB.loadStatistics(query(Grouping.POOL), BOB));

        assertThat(fromShared).isEqualTo(first).isEqualTo(INDEX.statistics(query(Grouping.POOL)));
        assertThat(asked).as("the second replica's lookup answered by the shared tier").hasSize(1);
        assertThat(lookups).containsExactly("east:miss", "east:hit");
        assertThat(otherLocal.copies.values()).as("the nearest tier keeps the shared tier's copy, with its time")
                .containsExactlyElementsOf(shared.copies.values());
    }

    @Test
    void anotherGroupingIsAnotherEntry() {
        CachingTaskStatistics statistics = cached(false);

        TaskStatistics byDay = await(statistics.loadStatistics(query(Grouping.DAY), ALICE));
        TaskStatistics byPool = await(statistics.loadStatistics(query(Grouping.POOL), ALICE));

        assertThat(byPool).isNotEqualTo(byDay).isEqualTo(INDEX.statistics(query(Grouping.POOL)));
        assertThat(asked).hasSize(2);
    }

    @Test
    void aSourceCalledWithTheCallersOwnTokenIsCachedPerToken() {
        CachingTaskStatistics statistics = cached(true);

        await(statistics.loadStatistics(query(Grouping.STATUS), ALICE));
        await(statistics.loadStatistics(query(Grouping.STATUS), BOB));
        await(statistics.loadStatistics(query(Grouping.STATUS), ALICE));

        assertThat(asked).hasSize(2);
        assertThat(lookups).containsExactly("east:miss", "east:miss", "east:hit");
        assertThat(cache.copies.keySet()).extracting(StatisticsCache.Key::callerToken)
                .containsExactlyInAnyOrder("token-alice", "token-bob");
        assertThat(cache.copies.keySet().iterator().next().toString()).doesNotContain("token-");
    }

    @Test
    void aFailureIsTheSourcesAndCountsAsAMiss() {
        TaskSourceUnavailableException failure = new TaskSourceUnavailableException("east", "down");
        down.set(failure);

        Throwable thrown = failureOf(cached(false).loadStatistics(query(Grouping.DAY), ALICE));

        assertThat(thrown).isSameAs(failure);
        assertThat(lookups).containsExactly("east:miss");
        assertThat(cache.copies).isEmpty();
    }

    @Test
    void aCacheThatThrowsGivesAFailedAnswerRatherThanThrowing() {
        IllegalStateException broken = new IllegalStateException("cache broken");
        StatisticsCache throwing = (key, loader) -> {
            throw broken;
        };
        CachingTaskStatistics statistics = new CachingTaskStatistics("east", source, false, List.of(throwing), clock,
                listener);

        assertThat(failureOf(statistics.loadStatistics(query(Grouping.DAY), ALICE))).isSameAs(broken);
        assertThat(lookups).containsExactly("east:miss");
    }
}
