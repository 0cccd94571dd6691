package dev.pooltasks.domain.index;

import java.util.Arrays;

/**
 * The positions (in API order) of the tasks that pass one filter, as an ascending list, to slice a page straight out
 * of or to walk when short, and, when the filter is dense enough to repay it, as a bitmap too, to test one position
 * at once or to intersect filters 64 positions at a time. A sparse filter (under one position in 64) keeps only its
 * list: its bitmap would outweigh its list, and walking the list costs less than intersecting the range anyway.
 */
final class Positions {
    /** A filter matching at least one position in this many has a bitmap. */
    static final int DENSITY_FOR_BITMAP = 64;

    private final int[] list;
    private final long[] bits;

    private Positions(int[] list, long[] bits) {
        this.list = list;
        this.bits = bits;
    }

    /** The ascending positions {@code list}, out of {@code size} tasks; with a bitmap when dense. */
    static Positions indexed(int[] list, int size) {
        if (!dense(list.length, size)) {
            return listed(list);
        }
        long[] bits = new long[words(size)];
        for (int position : list) {
            bits[position >>> 6] |= 1L << position;
        }
        return new Positions(list, bits);
    }

    /** Ascending positions tested by binary search, whatever their number. */
    static Positions listed(int[] list) {
        return new Positions(list, null);
    }

    /** The positions in any of the parts, out of {@code size} tasks. */
    static Positions union(Iterable<Positions> parts, int size) {
        long[] bits = new long[words(size)];
        for (Positions part : parts) {
            if (part.bits != null) {
                for (int w = 0; w < bits.length; w++) {
                    bits[w] |= part.bits[w];
                }
            } else {
                for (int position : part.list) {
                    bits[position >>> 6] |= 1L << position;
                }
            }
        }
        int[] list = new int[Arrays.stream(bits).mapToInt(Long::bitCount).sum()];
        int filled = 0;
        for (int w = 0; w < bits.length; w++) {
            for (long word = bits[w]; word != 0; word &= word - 1) {
                list[filled++] = (w << 6) + Long.numberOfTrailingZeros(word);
            }
        }
        return new Positions(list, dense(list.length, size) ? bits : null);
    }

    private static boolean dense(int count, int size) {
        return (long) count * DENSITY_FOR_BITMAP >= size;
    }

    /** How many 64-bit words a bitmap of so many positions takes. */
    static int words(int positions) {
        return (positions + 63) >>> 6;
    }

    int[] list() {
        return list;
    }

    /** Bit {@code p % 64} of word {@code p / 64} is set for each position p; null for a sparse filter. */
    long[] bits() {
        return bits;
    }

    /** Bytes held by the list and the bitmap. */
    long weight() {
        return 4L * list.length + (bits == null ? 0 : 8L * bits.length);
    }

    boolean contains(int position) {
        return bits != null ? (bits[position >>> 6] & (1L << position)) != 0 : Arrays.binarySearch(list, position) >= 0;
    }

    /** Index in the list of the first position that is at least {@code position}. */
    int indexOf(int position) {
        int low = 0;
        int high = list.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (list[mid] < position) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
