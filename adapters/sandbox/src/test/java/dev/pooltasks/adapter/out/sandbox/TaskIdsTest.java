package dev.pooltasks.adapter.out.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
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
    void idsRoundTripThroughIndexAndAreUniqueOverHundredThousandIndices() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < COUNT; i++) {
            String id = ids.id(i);
            assertThat(ids.index(id, COUNT)).as("index of id(%d)", i).isEqualTo(i);
            assertThat(seen.add(id)).as("id(%d) = %s is unique", i, id).isTrue();
        }
        assertThat(seen).hasSize(COUNT);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 999, 65_535, 65_536, 1_999_999, Integer.MAX_VALUE - 1})
    void idsAreCanonicalLowerCaseUuidsAndDecodeBack(int index) {
        String id = ids.id(index);

        assertThat(id).matches(CANONICAL_UUID).isEqualTo(UUID.fromString(id).toString());
        assertThat(ids.index(id, Integer.MAX_VALUE)).isEqualTo(index);
    }

    @Test
    void idsAreDeterministicPerSeedAndDifferAcrossSeeds() {
        TaskIds again = new TaskIds(42);
        TaskIds other = new TaskIds(43);

        for (int i = 0; i < 1000; i++) {
            assertThat(again.id(i)).isEqualTo(ids.id(i));
            assertThat(other.id(i)).isNotEqualTo(ids.id(i));
            assertThat(other.index(ids.id(i), COUNT)).as("id %d of seed 42 in seed 43", i).isEqualTo(-1);
            assertThat(ids.index(other.id(i), COUNT)).as("id %d of seed 43 in seed 42", i).isEqualTo(-1);
        }
    }

    @Test
    void anIdBeyondTheCountIsUnknown() {
        assertThat(ids.index(ids.id(10), 10)).isEqualTo(-1);
        assertThat(ids.index(ids.id(10), 11)).isEqualTo(10);
        assertThat(ids.index(ids.id(0), 0)).isEqualTo(-1);
        assertThat(ids.index(ids.id(COUNT), COUNT)).isEqualTo(-1);
    }

    @Test
    void upperCaseIdsAreUnknown() {
        for (int i = 0; i < 100; i++) {
            String upper = ids.id(i).toUpperCase(Locale.ROOT);
            assertThat(ids.index(upper, COUNT)).as(upper).isEqualTo(-1);
        }
    }

    @Test
    void foreignUuidsAreUnknown() {
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            String foreign = new UUID(random.nextLong(), random.nextLong()).toString();
            assertThat(ids.index(foreign, Integer.MAX_VALUE)).as(foreign).isEqualTo(-1);
        }
    }

    @Test
    void aValidLowHalfWithAnotherHighHalfIsUnknown() {
        String id = ids.id(5);
        UUID uuid = UUID.fromString(id);
        String tampered = new UUID(uuid.getMostSignificantBits() ^ 1, uuid.getLeastSignificantBits()).toString();

        assertThat(ids.index(tampered, COUNT)).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "not-a-uuid", "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff", "gggggggg-gggg-gggg-gggg-gggggggggggg",
            "000000000000-0000-0000-0000-00000000", "00000000+0000-0000-0000-000000000000",
            "{00000000-0000-0000-0000-00000000000}", "000000000000000000000000000000000000",
            "00000000-0000-0000-0000-0000000000000", "0-0-0-0-0"})
    void malformedIdsAreUnknown(String id) {
        assertThat(ids.index(id, Integer.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void idsWithAlteredSeparatorsOrWhitespaceAreUnknown() {
        String id = ids.id(3);

        assertThat(ids.index(" " + id.substring(1), COUNT)).isEqualTo(-1);
        assertThat(ids.index(id.substring(0, 35) + " ", COUNT)).isEqualTo(-1);
        assertThat(ids.index(id.replace('-', '_'), COUNT)).isEqualTo(-1);
        assertThat(ids.index(id.substring(0, 8) + id.substring(9) + "0", COUNT)).isEqualTo(-1);
        assertThat(ids.index(id + " ", COUNT)).isEqualTo(-1);
        assertThat(ids.index(id.substring(1), COUNT)).isEqualTo(-1);
    }
}
