package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.ScriptExecutionTask;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Tasks column by column, one slot per task: while an index is built, in the order tasks were added; in an index, in
 * API order (slot = position). Repeated values are codes of the index's {@link TaskDictionaries}. About 60 bytes a
 * task: an id that is a canonical (lower-case) UUID takes two longs, any other id is kept as its string; fractions of
 * seconds take a column only once some task has one.
 */
final class TaskColumns {
    /** {@link #endSecond} of a task that has not ended. */
    static final long NO_END = Long.MIN_VALUE;
    /** The value of each lower-case hex digit by character, -1 for any other character. */
    private static final byte[] HEX_DIGITS = new byte['f' + 1];

    static {
        Arrays.fill(HEX_DIGITS, (byte) -1);
        for (int digit = 0; digit < 16; digit++) {
            HEX_DIGITS[Character.forDigit(digit, 16)] = (byte) digit;
        }
    }

    long[] idHigh;
    long[] idLow;
    /** The ids that are not canonical UUIDs (null in the other slots); null while there is none. */
    String[] otherIds;
    long[] startSecond;
    /** Null while every start is a whole second. */
    int[] startNano;
    long[] endSecond;
    /** Null while every end is a whole second. */
    int[] endNano;
    int[] pool;
    int[] scripts;
    int[] command;
    int[] status;
    int[] successNum;
    int[] failedNum;
    int[] skipNum;
    int size;

    TaskColumns(int capacity) {
        idHigh = new long[capacity];
        idLow = new long[capacity];
        startSecond = new long[capacity];
        endSecond = new long[capacity];
        pool = new int[capacity];
        scripts = new int[capacity];
        command = new int[capacity];
        status = new int[capacity];
        successNum = new int[capacity];
        failedNum = new int[capacity];
        skipNum = new int[capacity];
    }

    /** Empty columns of {@code capacity} slots, with the optional columns that either source has. */
    static TaskColumns forMerge(TaskColumns a, TaskColumns b, int capacity) {
        TaskColumns merged = new TaskColumns(capacity);
        if (a.otherIds != null || b.otherIds != null) {
            merged.otherIds = new String[capacity];
        }
        if (a.startNano != null || b.startNano != null) {
            merged.startNano = new int[capacity];
        }
        if (a.endNano != null || b.endNano != null) {
            merged.endNano = new int[capacity];
        }
        return merged;
    }

    int capacity() {
        return idHigh.length;
    }

    /** Appends a task, growing the columns when full. */
    void add(ScriptExecutionTask task, TaskDictionaries dictionaries) {
        if (size == capacity()) {
            grow(Math.max(16, capacity() + (capacity() >> 1)));
        }
        int i = size;
        String id = task.id();
        if (isCanonicalUuid(id)) {
            idHigh[i] = uuidHigh(id);
            idLow[i] = uuidLow(id);
        } else {
            if (otherIds == null) {
                otherIds = new String[capacity()];
            }
            otherIds[i] = id;
        }
        startSecond[i] = task.startTime().getEpochSecond();
        if (task.startTime().getNano() != 0) {
            if (startNano == null) {
                startNano = new int[capacity()];
            }
            startNano[i] = task.startTime().getNano();
        }
        Instant end = task.endTime();
        endSecond[i] = end == null ? NO_END : end.getEpochSecond();
        if (end != null && end.getNano() != 0) {
            if (endNano == null) {
                endNano = new int[capacity()];
            }
            endNano[i] = end.getNano();
        }
        pool[i] = dictionaries.pool(task);
        scripts[i] = dictionaries.scriptList(task);
        command[i] = dictionaries.command(task);
        status[i] = dictionaries.status(task);
        successNum[i] = task.successNum();
        failedNum[i] = task.failedNum();
        skipNum[i] = task.skipNum();
        size++;
    }

    private void grow(int capacity) {
        idHigh = Arrays.copyOf(idHigh, capacity);
        idLow = Arrays.copyOf(idLow, capacity);
        otherIds = otherIds == null ? null : Arrays.copyOf(otherIds, capacity);
        startSecond = Arrays.copyOf(startSecond, capacity);
        startNano = startNano == null ? null : Arrays.copyOf(startNano, capacity);
        endSecond = Arrays.copyOf(endSecond, capacity);
        endNano = endNano == null ? null : Arrays.copyOf(endNano, capacity);
        pool = Arrays.copyOf(pool, capacity);
        scripts = Arrays.copyOf(scripts, capacity);
        command = Arrays.copyOf(command, capacity);
        status = Arrays.copyOf(status, capacity);
        successNum = Arrays.copyOf(successNum, capacity);
        failedNum = Arrays.copyOf(failedNum, capacity);
        skipNum = Arrays.copyOf(skipNum, capacity);
    }

    /**
     * Rearranges the columns so that slot k holds what slot {@code order[k]} held, dropping the slots not in
     * {@code order}. One column at a time, so that at most one extra column is held at once.
     */
    void permute(int[] order) {
        idHigh = permuted(idHigh, order);
        idLow = permuted(idLow, order);
        if (otherIds != null) {
            String[] ids = new String[order.length];
            boolean any = false;
            for (int k = 0; k < order.length; k++) {
                ids[k] = otherIds[order[k]];
                any |= ids[k] != null;
            }
            otherIds = any ? ids : null;
        }
        startSecond = permuted(startSecond, order);
        startNano = startNano == null ? null : permuted(startNano, order);
        endSecond = permuted(endSecond, order);
        endNano = endNano == null ? null : permuted(endNano, order);
        pool = permuted(pool, order);
        scripts = permuted(scripts, order);
        command = permuted(command, order);
        status = permuted(status, order);
        successNum = permuted(successNum, order);
        failedNum = permuted(failedNum, order);
        skipNum = permuted(skipNum, order);
        size = order.length;
    }

    private static long[] permuted(long[] column, int[] order) {
        long[] result = new long[order.length];
        for (int k = 0; k < order.length; k++) {
            result[k] = column[order[k]];
        }
        return result;
    }

    private static int[] permuted(int[] column, int[] order) {
        int[] result = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            result[k] = column[order[k]];
        }
        return result;
    }

    /** Copies {@code length} slots of {@code from} from {@code fromSlot} on into these columns at {@code toSlot}. */
    void copy(TaskColumns from, int fromSlot, int toSlot, int length) {
        System.arraycopy(from.idHigh, fromSlot, idHigh, toSlot, length);
        System.arraycopy(from.idLow, fromSlot, idLow, toSlot, length);
        if (from.otherIds != null) {
            System.arraycopy(from.otherIds, fromSlot, otherIds, toSlot, length);
        }
        System.arraycopy(from.startSecond, fromSlot, startSecond, toSlot, length);
        if (from.startNano != null) {
            System.arraycopy(from.startNano, fromSlot, startNano, toSlot, length);
        }
        System.arraycopy(from.endSecond, fromSlot, endSecond, toSlot, length);
        if (from.endNano != null) {
            System.arraycopy(from.endNano, fromSlot, endNano, toSlot, length);
        }
        System.arraycopy(from.pool, fromSlot, pool, toSlot, length);
        System.arraycopy(from.scripts, fromSlot, scripts, toSlot, length);
        System.arraycopy(from.command, fromSlot, command, toSlot, length);
        System.arraycopy(from.status, fromSlot, status, toSlot, length);
        System.arraycopy(from.successNum, fromSlot, successNum, toSlot, length);
        System.arraycopy(from.failedNum, fromSlot, failedNum, toSlot, length);
        System.arraycopy(from.skipNum, fromSlot, skipNum, toSlot, length);
    }

    String id(int i) {
        String other = otherId(i);
        return other != null ? other : new UUID(idHigh[i], idLow[i]).toString();
    }

    /** The id of slot i when it is not a canonical UUID, else null. */
    String otherId(int i) {
        return otherIds == null ? null : otherIds[i];
    }

    Instant start(int i) {
        return Instant.ofEpochSecond(startSecond[i], startNano(i));
    }

    int startNano(int i) {
        return startNano == null ? 0 : startNano[i];
    }

    Instant end(int i) {
        return endSecond[i] == NO_END ? null : Instant.ofEpochSecond(endSecond[i], endNano == null ? 0 : endNano[i]);
    }

    /** Negative when slot i comes before slot j of {@code other} in API order (newest first, then by id). */
    int compare(int i, TaskColumns other, int j) {
        int byStart = Long.compare(other.startSecond[j], startSecond[i]);
        if (byStart == 0) {
            byStart = Integer.compare(other.startNano(j), startNano(i));
        }
        return byStart != 0 ? byStart : compareIds(i, other, j);
    }

    /** As {@link String#compareTo} of the ids: for canonical UUIDs, that is their two halves compared unsigned. */
    private int compareIds(int i, TaskColumns other, int j) {
        if (otherId(i) == null && other.otherId(j) == null) {
            int byHigh = Long.compareUnsigned(idHigh[i], other.idHigh[j]);
            return byHigh != 0 ? byHigh : Long.compareUnsigned(idLow[i], other.idLow[j]);
        }
        return id(i).compareTo(other.id(j));
    }

    /** Whether slot i holds the same id as slot j of {@code other}. */
    boolean sameId(int i, TaskColumns other, int j) {
        String mine = otherId(i);
        String theirs = other.otherId(j);
        if (mine == null && theirs == null) {
            return idHigh[i] == other.idHigh[j] && idLow[i] == other.idLow[j];
        }
        return mine != null && mine.equals(theirs);
    }

    /** Negative, zero or positive as slot i started before, at or after {@code second} and {@code nano}. */
    int compareStart(int i, long second, int nano) {
        int bySecond = Long.compare(startSecond[i], second);
        return bySecond != 0 ? bySecond : Integer.compare(startNano(i), nano);
    }

    /** The lower-case 8-4-4-4-12 form that {@link UUID#toString()} gives, and nothing else. */
    static boolean isCanonicalUuid(String id) {
        return id.length() == 36 && id.charAt(8) == '-' && id.charAt(13) == '-' && id.charAt(18) == '-'
                && id.charAt(23) == '-'
                && (hex(id, 0, 8) | hex(id, 9, 13) | hex(id, 14, 18) | hex(id, 19, 23) | hex(id, 24, 36)) >= 0;
    }

    static long uuidHigh(String canonical) {
        return hex(canonical, 0, 8) << 32 | hex(canonical, 9, 13) << 16 | hex(canonical, 14, 18);
    }

    static long uuidLow(String canonical) {
        return hex(canonical, 19, 23) << 48 | hex(canonical, 24, 36);
    }

    /** The value of up to 15 lower-case hex digits, or -1 when any character is not one. */
    private static long hex(String s, int from, int to) {
        long value = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            int digit = c < HEX_DIGITS.length ? HEX_DIGITS[c] : -1;
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }
}
