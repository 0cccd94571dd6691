package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.TaskType;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/** For each pool, status, task type and script: the ascending positions of the tasks that have it. */
final class Postings {
    final int[][] byPool;
    final int[][] byStatus;
    final int[][] byType;
    final int[][] byScript;
    /** By status and task type together ({@code status * types + type}): a common pair, both matching many tasks. */
    final int[][] byStatusAndType;

    /** Unions of script posting lists by script set (few distinct sets: names select among a small library). */
    private final Map<BitSet, int[]> unions = new ConcurrentHashMap<>();
    private static final int MAX_UNIONS = 256;

    Postings(TaskColumns columns, int[] byPosition, SandboxCatalogue catalogue) {
        byPool = build(catalogue.pools.size(), byPosition, (i, sink) -> sink.accept(columns.pool[i]));
        byStatus = build(TaskColumns.STATUSES.size(), byPosition, (i, sink) -> sink.accept(columns.status[i]));
        byType = build(TaskType.values().length, byPosition,
                (i, sink) -> sink.accept(SandboxTaskStore.taskType(columns, i).ordinal()));
        byStatusAndType = build(TaskColumns.STATUSES.size() * TaskType.values().length, byPosition,
                (i, sink) -> sink.accept(columns.status[i] * TaskType.values().length
                        + SandboxTaskStore.taskType(columns, i).ordinal()));
        byScript = build(catalogue.scripts.size(), byPosition, (i, sink) -> {
            int packed = columns.scripts[i];
            for (int s = 0; s < ScriptPacking.count(packed); s++) {
                sink.accept(ScriptPacking.index(packed, s));
            }
        });
    }

    private interface Keys {
        void forEach(int generationIndex, IntConsumer sink);
    }

    private static int[][] build(int keyCount, int[] byPosition, Keys keys) {
        int[] sizes = new int[keyCount];
        for (int i : byPosition) {
            keys.forEach(i, key -> sizes[key]++);
        }
        int[][] lists = new int[keyCount][];
        for (int key = 0; key < keyCount; key++) {
            lists[key] = new int[sizes[key]];
        }
        int[] filled = new int[keyCount];
        for (int position = 0; position < byPosition.length; position++) {
            int at = position;
            keys.forEach(byPosition[position], key -> lists[key][filled[key]++] = at);
        }
        return lists;
    }

    /** Ascending positions of the tasks that ran any of the scripts, computed once per script set. */
    int[] ranAnyOf(BitSet scripts) {
        if (scripts.cardinality() == 1) {
            return byScript[scripts.nextSetBit(0)];
        }
        int[] union = unions.get(scripts);
        if (union == null) {
            BitSet positions = new BitSet();
            scripts.stream().forEach(s -> {
                for (int position : byScript[s]) {
                    positions.set(position);
                }
            });
            union = positions.stream().toArray();
            if (unions.size() >= MAX_UNIONS) {
                unions.clear();
            }
            unions.put((BitSet) scripts.clone(), union);
        }
        return union;
    }

    /** Index of the first element of an ascending list that is at least {@code value}. */
    static int lowerBound(int[] list, int value) {
        int low = 0;
        int high = list.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (list[mid] < value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
