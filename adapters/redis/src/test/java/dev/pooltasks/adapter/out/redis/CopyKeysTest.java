package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.domain.port.out.StatisticsCache;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Copies' names: equal keys agree on every replica (and across versions), different keys never meet, a page's and a
 * statistics copy's never meet, tokens never show.
 */
class CopyKeysTest {
    private static final String P = TestPages.PROJECT;

    @Test
    void equalKeysHaveOneNameWhateverTheOrderOfTheirTaskIds() {
        PageCache.Key a = new PageCache.Key("east", TaskQuery.builder(P).taskIds(List.of("b", "a", "c")).build(), "t");
        PageCache.Key b = new PageCache.Key("east", TaskQuery.builder(P).taskIds(List.of("c", "b", "a")).build(), "t");
        assertThat(CopyKeys.digest(a)).isEqualTo(CopyKeys.digest(b)).hasSize(64).matches("[0-9a-f]{64}");
    }

    @Test
    void everyPartOfTheKeyMakesADifferentName() {
        List<PageCache.Key> keys = List.of(
                new PageCache.Key("east", TaskQuery.builder(P).build(), null),
                new PageCache.Key("west", TaskQuery.builder(P).build(), null),
                new PageCache.Key("east", TaskQuery.builder("other").build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).desktopPoolId("pool").build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).scriptId("pool").build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).scriptName("pool").build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).status("FAILED").build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).taskType("SCRIPT").build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).executeTimeStart("2026-01-01T00:00:00Z").build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).executeTimeEnd("2026-01-01T00:00:00Z").build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).taskIds(List.of("pool")).build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).offset(100).build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).limit(100).build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).build(), "token-a"),
                new PageCache.Key("east", TaskQuery.builder(P).build(), "token-b"),
                // values that run into each other if fields were only joined
                new PageCache.Key("east", TaskQuery.builder(P).desktopPoolId("a|b").build(), null),
                new PageCache.Key("east", TaskQuery.builder(P).desktopPoolId("a").scriptId("b").build(), null));
        Set<String> names = new HashSet<>();
        keys.forEach(key -> names.add(CopyKeys.digest(key)));
        assertThat(names).hasSize(keys.size());
    }

    @Test
    void aPagesNameIsTheOneEarlierVersionsGaveItSoThatARollingUpgradeKeepsSharing() {
        PageCache.Key key = new PageCache.Key("east", TaskQuery.builder(P).desktopPoolId("pool").scriptName("x")
                .status("FAILED").taskType("SCRIPT").executeTimeStart("2026-01-01T00:00:00Z")
                .taskIds(List.of("b", "a")).offset(100).limit(7).build(), "tok");
        assertThat(CopyKeys.digest(key)).isEqualTo("0563f62cbe5ae64e94b94eeb1696a739de46fe90bc0ce000d473b3f13673f2f0");
    }

    @Test
    void everyPartOfAStatisticsKeyMakesADifferentNameAndNoneIsAPagesName() {
        TaskQuery filters = TaskQuery.builder(P).build();
        List<StatisticsCache.Key> keys = List.of(
                new StatisticsCache.Key("east", StatisticsQuery.of(filters, "day", null), null),
                new StatisticsCache.Key("west", StatisticsQuery.of(filters, "day", null), null),
                new StatisticsCache.Key("east", StatisticsQuery.of(TaskQuery.builder("other").build(), "day", null),
                        null),
                new StatisticsCache.Key("east", StatisticsQuery.of(TaskQuery.builder(P).status("FAILED").build(), "day",
                        null), null),
                new StatisticsCache.Key("east", StatisticsQuery.of(TaskQuery.builder(P).taskIds(List.of("a")).build(),
                        "day", null), null),
                new StatisticsCache.Key("east", StatisticsQuery.of(filters, "pool", null), null),
                new StatisticsCache.Key("east", StatisticsQuery.of(filters, "day", "Asia/Shanghai"), null),
                new StatisticsCache.Key("east", StatisticsQuery.of(filters, "day", null), "token-a"),
                new StatisticsCache.Key("east", StatisticsQuery.of(filters, "day", null), "token-b"));
        Set<String> names = new HashSet<>();
        keys.forEach(key -> names.add(CopyKeys.digest(key)));
        names.add(CopyKeys.digest(new PageCache.Key("east", TaskQuery.builder(P).limit(0).build(), null)));
        assertThat(names).hasSize(keys.size() + 1);
        assertThat(CopyKeys.digest(new StatisticsCache.Key("east", StatisticsQuery.of(
                TaskQuery.builder(P).taskIds(List.of("b", "a")).build(), "day", null), null)))
                .as("task ids as a set").isEqualTo(CopyKeys.digest(new StatisticsCache.Key("east", StatisticsQuery.of(
                        TaskQuery.builder(P).taskIds(List.of("a", "b")).build(), "day", null), null)));
    }

    @Test
    void theNameHoldsNothingOfTheToken() {
        String token = "secret-caller-token-0123456789";
        String name = CopyKeys.digest(new PageCache.Key("east", TaskQuery.builder(P).build(), token));
        assertThat(name).doesNotContain(token).doesNotContain("secret");
        String statistics = CopyKeys.digest(new StatisticsCache.Key("east",
                StatisticsQuery.of(TaskQuery.builder(P).build(), "day", null), token));
        assertThat(statistics).doesNotContain(token).doesNotContain("secret").matches("[0-9a-f]{64}");
    }
}
