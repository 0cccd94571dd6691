package dev.pooltasks.adapter.out.sandbox;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptPackingTest {

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "0", "1023", "5 17", "0 1023", "1023 1022 1021", "3 0 25", "1 2 3"})
    void packedIndicesRoundTrip(String indices) {
        int[] values = Arrays.stream(indices.split(" ")).filter(s -> !s.isBlank()).mapToInt(Integer::parseInt)
                .toArray();

        int packed = ScriptPacking.pack(values, values.length);

        assertThat(ScriptPacking.count(packed)).isEqualTo(values.length);
        for (int i = 0; i < values.length; i++) {
            assertThat(ScriptPacking.index(packed, i)).isEqualTo(values[i]);
        }
    }
}
