package dev.pooltasks.adapter.out.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Both forms of a set of positions against the plain list, at sizes around word boundaries. */
class PositionsTest {

    private static int[] randomSubset(int size, double density, Random random) {
        return IntStream.range(0, size).filter(p -> random.nextDouble() < density).toArray();
    }

    private static void assertHolds(Positions positions, int[] expected, int size) {
        assertThat(positions.list()).containsExactly(expected);
        List<Integer> members = IntStream.of(expected).boxed().toList();
        for (int p = 0; p < size; p++) {
            assertThat(positions.contains(p)).as("contains %d", p).isEqualTo(members.contains(p));
            int at = p;
            assertThat(positions.indexOf(p)).as("indexOf %d", p).isEqualTo((int) IntStream.of(expected)
                    .filter(e -> e < at).count());
        }
        assertThat(positions.indexOf(size)).isEqualTo(expected.length);
    }

    @ParameterizedTest(name = "{0} positions")
    @ValueSource(ints = {0, 1, 63, 64, 65, 128, 200})
    void indexedPositionsHaveTheirListAndAMatchingBitmap(int size) {
        Random random = new Random(size);
        for (double density : new double[]{0, 0.05, 0.5, 1}) {
            int[] expected = randomSubset(size, density, random);

            Positions positions = Positions.indexed(expected, size);

            assertHolds(positions, expected, size);
            assertThat(positions.bits()).hasSize(Positions.words(size));
        }
    }

    @Test
    void listedPositionsHaveNoBitmapAndAreFoundByBinarySearch() {
        int[] expected = {3, 64, 65, 190};

        Positions positions = Positions.listed(expected);

        assertThat(positions.bits()).isNull();
        assertHolds(positions, expected, 200);
    }

    @ParameterizedTest(name = "{0} positions")
    @ValueSource(ints = {0, 1, 64, 130})
    void aUnionHoldsThePositionsOfAnyPart(int size) {
        Random random = new Random(size);
        List<int[]> parts = List.of(randomSubset(size, 0.1, random), randomSubset(size, 0.3, random),
                randomSubset(size, 0, random), randomSubset(size, 0.1, random));

        Positions union = Positions.union(parts.stream().map(p -> Positions.indexed(p, size)).toList(), size);

        int[] expected = parts.stream().flatMapToInt(IntStream::of).sorted().distinct().toArray();
        assertHolds(union, expected, size);
        assertThat(union.bits()).isEqualTo(Positions.indexed(expected, size).bits());
    }

    @Test
    void wordsRoundUp() {
        assertThat(Positions.words(0)).isZero();
        assertThat(Positions.words(1)).isEqualTo(1);
        assertThat(Positions.words(64)).isEqualTo(1);
        assertThat(Positions.words(65)).isEqualTo(2);
        assertThat(Positions.words(1_000_000)).isEqualTo(15_625);
    }
}
