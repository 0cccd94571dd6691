package dev.pooltasks.domain.index;

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
    void indexedPositionsHaveTheirListAndABitmapWhenDense(int size) {
        Random random = new Random(size);
        for (double density : new double[]{0, 0.05, 0.5, 1}) {
            int[] expected = randomSubset(size, density, random);

            Positions positions = Positions.indexed(expected, size);

            assertHolds(positions, expected, size);
            if (expected.length * 64 >= size) {
                assertThat(positions.bits()).hasSize(Positions.words(size));
            } else {
                assertThat(positions.bits()).isNull();
            }
        }
    }

    @Test
    void sparsePositionsKeepOnlyTheirList() {
        int size = 64 * 100;
        int[] sparse = IntStream.range(0, 99).map(i -> i * 64 + 5).toArray();
        int[] dense = IntStream.range(0, 100).map(i -> i * 64 + 5).toArray();

        Positions few = Positions.indexed(sparse, size);
        Positions enough = Positions.indexed(dense, size);

        assertThat(few.bits()).isNull();
        assertHolds(few, sparse, size);
        assertThat(few.weight()).isEqualTo(4L * 99);
        assertThat(enough.bits()).hasSize(100);
        assertHolds(enough, dense, size);
        assertThat(enough.weight()).isEqualTo(4L * 100 + 8L * 100);
    }

    @Test
    void listedPositionsHaveNoBitmapAndAreFoundByBinarySearch() {
        int[] expected = {3, 64, 65, 190};

        Positions positions = Positions.listed(expected);

        assertThat(positions.bits()).isNull();
        assertHolds(positions, expected, 200);
    }

    @ParameterizedTest(name = "{0} positions")
    @ValueSource(ints = {0, 1, 64, 130, 5000})
    void aUnionHoldsThePositionsOfAnyPart(int size) {
        Random random = new Random(size);
        // dense parts with a bitmap, sparse ones without
        List<int[]> parts = List.of(randomSubset(size, 0.1, random), randomSubset(size, 0.3, random),
                randomSubset(size, 0, random), randomSubset(size, 0.002, random), randomSubset(size, 0.1, random));

        Positions union = Positions.union(parts.stream().map(p -> Positions.indexed(p, size)).toList(), size);

        int[] expected = parts.stream().flatMapToInt(IntStream::of).sorted().distinct().toArray();
        assertHolds(union, expected, size);
        assertThat(union.bits()).isEqualTo(Positions.indexed(expected, size).bits());
    }

    @Test
    void aUnionOfSparsePartsIsSparse() {
        int size = 10_000;
        Positions union = Positions.union(List.of(Positions.indexed(new int[]{1, 9000}, size),
                Positions.indexed(new int[]{2, 9000, 9999}, size)), size);

        assertThat(union.bits()).isNull();
        assertHolds(union, new int[]{1, 2, 9000, 9999}, size);
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
