package dev.pooltasks.adapter.out.sandbox;

import java.util.UUID;

/**
 * UUID-shaped task ids drawn from their generation index by a keyed Feistel permutation of its low half, so that the
 * ids of one seed are distinct, and the high half derived from the low one.
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
    private long low(int index) {
        long left = 0;
        long right = index & 0xFFFFFFFFL;
        for (int round = 0; round < ROUNDS; round++) {
            long next = left ^ (mix(right ^ keys[round]) & 0xFFFFFFFFL);
            left = right;
            right = next;
        }
        return (left << 32) | right;
    }

    /** High 64 bits, derived from the low ones. */
    private long high(long low) {
        return mix(low ^ seed);
    }

    String id(int index) {
        long low = low(index);
        return new UUID(high(low), low).toString();
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
