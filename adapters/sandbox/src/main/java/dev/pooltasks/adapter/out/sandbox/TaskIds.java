package dev.pooltasks.adapter.out.sandbox;

import java.util.UUID;

/**
 * UUID-shaped task ids that encode their generation index reversibly (a keyed Feistel permutation), so that a
 * {@code task_id} filter finds its task without an id table, even at a million tasks.
 */
final class TaskIds {
    private static final int ROUNDS = 4;
    private final long[] keys = new long[ROUNDS];
    private final long seed;

    TaskIds(long seed) {
        this.seed = seed;
        for (int round = 0; round < ROUNDS; round++) {
            keys[round] = mix(seed + 0x9E3779B97F4A7C15L * (round + 1));
        }
    }

    /** Low 64 bits of the id of the task generated {@code index}-th. */
    long low(int index) {
        long left = 0;
        long right = index & 0xFFFFFFFFL;
        for (int round = 0; round < ROUNDS; round++) {
            long next = left ^ (mix(right ^ keys[round]) & 0xFFFFFFFFL);
            left = right;
            right = next;
        }
        return (left << 32) | right;
    }

    /** High 64 bits, derived from the low ones so that the whole id can be checked on decoding. */
    long high(long low) {
        return mix(low ^ seed);
    }

    String id(int index) {
        long low = low(index);
        return new UUID(high(low), low).toString();
    }

    /** The generation index of an id produced by {@link #id(int)}, or -1 for any other string. */
    int index(String id, int count) {
        if (id.length() != 36) {
            return -1;
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        long low = uuid.getLeastSignificantBits();
        long left = low >>> 32;
        long right = low & 0xFFFFFFFFL;
        for (int round = ROUNDS - 1; round >= 0; round--) {
            long previous = right ^ (mix(left ^ keys[round]) & 0xFFFFFFFFL);
            right = left;
            left = previous;
        }
        if (left != 0 || right >= count || !id(Math.toIntExact(right)).equals(id)) {
            return -1;
        }
        return (int) right;
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
