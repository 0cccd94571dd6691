package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.domain.query.TaskQuery;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Copies' names: equal keys agree on every replica, different keys never meet, tokens never show. */
class PageKeysTest {
    private static final String P = TestPages.PROJECT;

    @Test
    void equalKeysHaveOneNameWhateverTheOrderOfTheirTaskIds() {
        PageCache.Key a = new PageCache.Key("east", TaskQuery.builder(P).taskIds(List.of("b", "a", "c")).build(), "t");
        PageCache.Key b = new PageCache.Key("east", TaskQuery.builder(P).taskIds(List.of("c", "b", "a")).build(), "t");
        assertThat(PageKeys.digest(a)).isEqualTo(PageKeys.digest(b)).hasSize(64).matches("[0-9a-f]{64}");
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
        keys.forEach(key -> names.add(PageKeys.digest(key)));
        assertThat(names).hasSize(keys.size());
    }

    @Test
    void theNameHoldsNothingOfTheToken() {
        String token = "secret-caller-token-0123456789";
        String name = PageKeys.digest(new PageCache.Key("east", TaskQuery.builder(P).build(), token));
        assertThat(name).doesNotContain(token).doesNotContain("secret");
    }
}
