package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.TaskType;

import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/** For each pool, status, task type and script: the positions of the tasks that have it. */
final class Postings {
    final Positions[] byPool;
    final Positions[] byStatus;
    final Positions[] byType;
    final Positions[] byScript;
    /** By status and task type together ({@code status * types + type}): a common pair, both matching many tasks. */
    final Positions[] byStatusAndType;

    /** Unions of script postings by script set (few distinct sets: names select among a small library). */
    private final Map<BitSet, Positions> unions = new ConcurrentHashMap<>();
    /** A union takes up to 4.125 bytes a task (list and bitmap): at most 66 MB for all of them at a million tasks. */
    private static final int MAX_UNIONS = 16;
    private final int size;

    Postings(TaskColumns columns, int[] byPosition, SandboxCatalogue catalogue) {
        size = byPosition.length;
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

    private static Positions[] build(int keyCount, int[] byPosition, Keys keys) {
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
        Positions[] postings = new Positions[keyCount];
        for (int key = 0; key < keyCount; key++) {
            postings[key] = Positions.indexed(lists[key], byPosition.length);
        }
        return postings;
    }

    /** The positions of the tasks that ran any of the scripts, computed once per script set. */
    Positions ranAnyOf(BitSet scripts) {
        if (scripts.cardinality() == 1) {
            return byScript[scripts.nextSetBit(0)];
        }
        Positions union = unions.get(scripts);
        if (union == null) {
            union = Positions.union(scripts.stream().mapToObj(s -> byScript[s]).toList(), size);
            if (unions.size() >= MAX_UNIONS) {
                unions.clear();
            }
            unions.put((BitSet) scripts.clone(), union);
        }
        return union;
    }
}
