package dev.pooltasks.domain.index;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Finds a task's slot by its id: open addressing with linear probing over one int array (slot + 1, 0 for empty) at
 * most half full, whose keys are the ids in the columns themselves, so it costs 8 to 16 bytes a task and no objects.
 * Hand-written because the JDK's maps would hold a boxed key and an entry object per task.
 */
final class IdTable {
    private final int[] table;
    private final int mask;

    /** An empty table for up to {@code count} ids. */
    IdTable(int count) {
        this(new int[Integer.highestOneBit(Math.max(2, count) * 2 - 1) << 1]);
    }

    private IdTable(int[] table) {
        this.table = table;
        this.mask = table.length - 1;
    }

    /** Whether the table takes {@code count} ids and stays at most half full. */
    boolean fits(int count) {
        return 2L * count <= table.length;
    }

    /** A table of every slot of {@code columns}, whose ids are distinct. */
    static IdTable of(TaskColumns columns) {
        IdTable ids = new IdTable(columns.size);
        for (int i = 0; i < columns.size; i++) {
            ids.put(columns, i);
        }
        return ids;
    }

    /**
     * A copy of this table whose entries moved to {@code newSlot(slot)}: one pass over the table, no hashing. The
     * caller keeps each id at the slot of a task with the same id (or puts the copy's new ids itself).
     */
    IdTable renumbered(IntUnaryOperator newSlot) {
        int[] copy = new int[table.length];
        for (int at = 0; at < table.length; at++) {
            if (table[at] != 0) {
                copy[at] = newSlot.applyAsInt(table[at] - 1) + 1;
            }
        }
        return new IdTable(copy);
    }

    /** The same ids after their slots moved: slot {@code order[k]} is now slot k; other slots are gone. */
    void renumber(int[] order) {
        int[] newSlot = new int[Arrays.stream(order).max().orElse(-1) + 1];
        for (int k = 0; k < order.length; k++) {
            newSlot[order[k]] = k;
        }
        for (int at = 0; at < table.length; at++) {
            if (table[at] != 0) {
                table[at] = newSlot[table[at] - 1] + 1;
            }
        }
    }

    /** Records slot i under its id; returns the slot that had the same id before (now replaced), or -1. */
    int put(TaskColumns columns, int i) {
        String other = columns.otherId(i);
        int at = (other != null ? hash(other) : hash(columns.idHigh[i], columns.idLow[i])) & mask;
        for (; table[at] != 0; at = (at + 1) & mask) {
            int j = table[at] - 1;
            if (columns.sameId(i, columns, j)) {
                table[at] = i + 1;
                return j;
            }
        }
        table[at] = i + 1;
        return -1;
    }

    /** The slot of the task with this id, or -1. */
    int find(TaskColumns columns, String id) {
        if (TaskColumns.isCanonicalUuid(id)) {
            long high = TaskColumns.uuidHigh(id);
            long low = TaskColumns.uuidLow(id);
            for (int at = hash(high, low) & mask; table[at] != 0; at = (at + 1) & mask) {
                int j = table[at] - 1;
                if (columns.otherId(j) == null && columns.idHigh[j] == high && columns.idLow[j] == low) {
                    return j;
                }
            }
            return -1;
        }
        for (int at = hash(id) & mask; table[at] != 0; at = (at + 1) & mask) {
            int j = table[at] - 1;
            if (id.equals(columns.otherId(j))) {
                return j;
            }
        }
        return -1;
    }

    private static int hash(long high, long low) {
        return (int) mix(high * 0x9E3779B97F4A7C15L + low);
    }

    private static int hash(String id) {
        return (int) mix(id.hashCode() ^ 0x5851F42D4C957F2DL);
    }

    /** SplitMix64's finaliser: spreads ids that differ in few bits (sequential ones, say) over the whole table. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
