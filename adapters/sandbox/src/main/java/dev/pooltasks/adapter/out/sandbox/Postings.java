package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.TaskType;

import java.util.function.IntConsumer;

/** For each pool, status, task type and script: the ascending positions of the tasks that have it. */
final class Postings {
    final int[][] byPool;
    final int[][] byStatus;
    final int[][] byType;
    final int[][] byScript;

    Postings(TaskColumns columns, int[] byPosition, SandboxCatalogue catalogue) {
        byPool = build(catalogue.pools.size(), byPosition, (i, sink) -> sink.accept(columns.pool[i]));
        byStatus = build(TaskColumns.STATUSES.size(), byPosition, (i, sink) -> sink.accept(columns.status[i]));
        byType = build(TaskType.values().length, byPosition,
                (i, sink) -> sink.accept(SandboxTaskStore.taskType(columns, i).ordinal()));
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
