package dev.pooltasks.adapter.out.sandbox;

/** Up to three script indices (each below 1024) and their count, packed into one int per task. */
final class ScriptPacking {
    static final int MAX_SCRIPTS = 3;
    static final int MAX_INDEX = 1023;

    private ScriptPacking() {
    }

    static int pack(int[] indices, int count) {
        int packed = count;
        for (int i = 0; i < count; i++) {
            packed |= indices[i] << (2 + 10 * i);
        }
        return packed;
    }

    static int count(int packed) {
        return packed & 3;
    }

    static int index(int packed, int i) {
        return (packed >>> (2 + 10 * i)) & MAX_INDEX;
    }
}
