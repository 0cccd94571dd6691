package dev.pooltasks.adapter.out.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class TaskIdsTest {
    private static final Pattern CANONICAL_UUID =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int COUNT = 100_000;

    private final TaskIds ids = new TaskIds(42);

    @Test
    void idsAreUniqueOverHundredThousandIndices() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < COUNT; i++) {
            String id = ids.id(i);
            assertThat(seen.add(id)).as("id(%d) = %s is unique", i, id).isTrue();
        }
        assertThat(seen).hasSize(COUNT);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 999, 65_535, 65_536, 1_999_999, Integer.MAX_VALUE - 1})
    void idsAreCanonicalLowerCaseUuids(int index) {
        String id = ids.id(index);

        assertThat(id).matches(CANONICAL_UUID).isEqualTo(UUID.fromString(id).toString());
    }

    @Test
    void idsAreDeterministicPerSeedAndDifferAcrossSeeds() {
        TaskIds again = new TaskIds(42);
        TaskIds other = new TaskIds(43);
        Set<String> ofOtherSeed = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ofOtherSeed.add(other.id(i));
        }

        for (int i = 0; i < 1000; i++) {
            assertThat(again.id(i)).isEqualTo(ids.id(i));
            assertThat(ofOtherSeed).as("id %d of seed 42 among seed 43's", i).doesNotContain(ids.id(i));
        }
    }
}
