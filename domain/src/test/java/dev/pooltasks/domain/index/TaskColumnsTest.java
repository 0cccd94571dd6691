package dev.pooltasks.domain.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which ids are kept as two longs (canonical UUIDs), and that they come back unchanged. */
class TaskColumnsTest {

    @Test
    void canonicalUuidsRoundTripThroughTheirHalves() {
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            String id = new UUID(random.nextLong(), random.nextLong()).toString();

            assertThat(TaskColumns.isCanonicalUuid(id)).as(id).isTrue();
            assertThat(new UUID(TaskColumns.uuidHigh(id), TaskColumns.uuidLow(id)).toString()).isEqualTo(id);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "x", "not-a-uuid", "3F2504E0-4F89-41D3-9A0C-0305E82C3301",
            "3f2504e0-4f89-41d3-9a0c-0305E82c3301", "3f2504e0-4f89-41d3-9a0c-0305e82c330",
            "3f2504e0-4f89-41d3-9a0c-0305e82c33011", "3f2504e04f8941d39a0c0305e82c3301",
            "{3f2504e0-4f89-41d3-9a0c-0305e82c330}", "3f2504e0+4f89-41d3-9a0c-0305e82c3301",
            "3f2504e0-4f89-41d3-9a0c-0305e82c330g", "0-0-0-0-0", " 3f2504e0-4f89-41d3-9a0c-0305e82c330",
            "3f2504e0-4f89-41d3-9a0c-0305e82c330 ", "3f2504e0-4f89-41d3-9a0c_0305e82c3301"})
    void anyOtherIdIsKeptAsItsString(String id) {
        assertThat(TaskColumns.isCanonicalUuid(id)).isFalse();
    }

    @Test
    void extremeUuidsAreCanonical() {
        for (String id : new String[]{"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "80000000-0000-0000-8000-000000000000"}) {
            assertThat(TaskColumns.isCanonicalUuid(id)).isTrue();
            assertThat(new UUID(TaskColumns.uuidHigh(id), TaskColumns.uuidLow(id)).toString()).isEqualTo(id);
        }
    }
}
