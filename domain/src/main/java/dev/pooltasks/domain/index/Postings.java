package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.TaskType;

import java.util.Arrays;
import java.util.BitSet;

/** For each pool id, status, task type, status and type together, and script: the positions of its tasks. */
final class Postings {
    /** A union takes up to 4.125 bytes a task (list and bitmap): at a million tasks, this holds 16 of the largest. */
    static final long MAX_UNION_BYTES = 64L << 20;
    private static final int TYPES = TaskType.values().length;

    final Positions[] byPoolId;
    final Positions[] byStatus;
    final Positions[] byType;
    /** By status and task type together ({@code status * types + type}): a common pair, both matching many tasks. */
    final Positions[] byStatusAndType;
    final Positions[] byScript;

    private final UnionCache unions = new UnionCache(MAX_UNION_BYTES);
    private final int size;

    Postings(TaskColumns columns, TaskDictionaries dictionaries) {
        size = columns.size;
        int[] poolIdOfPool = dictionaries.poolIdOfPool();
        int[] keys = new int[size];
        for (int p = 0; p < size; p++) {
            keys[p] = poolIdOfPool[columns.pool[p]];
        }
        byPoolId = build(dictionaries.poolIds.size(), keys);
        byStatus = build(dictionaries.statuses.size(), columns.status);
        int emptyScriptList = dictionaries.emptyScriptList();
        boolean[] commandsWithContent = dictionaries.commandsWithContent();
        for (int p = 0; p < size; p++) {
            keys[p] = columns.scripts[p] == emptyScriptList && commandsWithContent[columns.command[p]]
                    ? TaskType.COMMAND.ordinal() : TaskType.SCRIPT.ordinal();
        }
        byType = build(TYPES, keys);
        for (int p = 0; p < size; p++) {
            keys[p] += columns.status[p] * TYPES;
        }
        byStatusAndType = build(dictionaries.statuses.size() * TYPES, keys);
        byScript = buildByScript(dictionaries.scripts.size(), dictionaries.scriptsOfList(), columns);
    }

    /** The postings of each key, given the key of each position. */
    private Positions[] build(int keyCount, int[] keyOfPosition) {
        int[] sizes = new int[keyCount];
        for (int p = 0; p < size; p++) {
            sizes[keyOfPosition[p]]++;
        }
        int[][] lists = new int[keyCount][];
        for (int key = 0; key < keyCount; key++) {
            lists[key] = new int[sizes[key]];
        }
        int[] filled = new int[keyCount];
        for (int p = 0; p < size; p++) {
            int key = keyOfPosition[p];
            lists[key][filled[key]++] = p;
        }
        return indexed(lists);
    }

    private Positions[] buildByScript(int scriptCount, int[][] scriptsOfList, TaskColumns columns) {
        int[] sizes = new int[scriptCount];
        for (int p = 0; p < size; p++) {
            for (int script : scriptsOfList[columns.scripts[p]]) {
                sizes[script]++;
            }
        }
        int[][] lists = new int[scriptCount][];
        for (int script = 0; script < scriptCount; script++) {
            lists[script] = new int[sizes[script]];
        }
        int[] filled = new int[scriptCount];
        for (int p = 0; p < size; p++) {
            for (int script : scriptsOfList[columns.scripts[p]]) {
                // a task that lists a script twice is in its postings once
                if (filled[script] == 0 || lists[script][filled[script] - 1] != p) {
                    lists[script][filled[script]++] = p;
                }
            }
        }
        for (int script = 0; script < scriptCount; script++) {
            if (filled[script] < lists[script].length) {
                lists[script] = Arrays.copyOf(lists[script], filled[script]);
            }
        }
        return indexed(lists);
    }

    private Positions[] indexed(int[][] lists) {
        Positions[] postings = new Positions[lists.length];
        for (int key = 0; key < lists.length; key++) {
            postings[key] = Positions.indexed(lists[key], size);
        }
        return postings;
    }

    /** The positions of the tasks that ran any of the scripts, computed once per script set while cached. */
    Positions ranAnyOf(BitSet scripts) {
        if (scripts.cardinality() == 1) {
            return byScript[scripts.nextSetBit(0)];
        }
        return unions.get(scripts, () -> Positions.union(scripts.stream().mapToObj(s -> byScript[s]).toList(), size));
    }
}
