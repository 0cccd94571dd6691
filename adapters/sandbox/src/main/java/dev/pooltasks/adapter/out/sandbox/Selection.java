package dev.pooltasks.adapter.out.sandbox;

import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskType;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * A query's filters (but the time window, which is a range of positions) as constraints on positions. The smallest
 * constraint's posting list drives the walk; the others are checked against the columns.
 */
final class Selection {

    private record Constraint(int estimate, Supplier<int[]> postings, IntPredicate test) {
    }

    private final List<Constraint> constraints;

    private Selection(List<Constraint> constraints) {
        this.constraints = constraints;
    }

    /** The query's constraints, or null when some filter can match nothing here (an unknown pool, say). */
    static Selection of(TaskQuery query, SandboxTaskStore store) {
        TaskColumns columns = store.columns();
        Postings postings = store.postings();
        List<Constraint> constraints = new ArrayList<>();
        if (query.desktopPoolId() != null) {
            int pool = store.poolIndex(query.desktopPoolId());
            if (pool < 0) {
                return null;
            }
            constraints.add(exact(postings.byPool[pool], p -> columns.pool[store.generationIndex(p)] == pool));
        }
        int status = query.status() == null ? -1 : TaskColumns.STATUSES.indexOf(query.status());
        if (query.status() != null && status < 0) {
            return null;
        }
        int type = query.taskType() == null ? -1 : query.taskType().ordinal();
        IntPredicate statusTest = p -> columns.status[store.generationIndex(p)] == status;
        IntPredicate typeTest = p -> SandboxTaskStore.taskType(columns, store.generationIndex(p)).ordinal() == type;
        if (status >= 0 && type >= 0) {
            constraints.add(exact(postings.byStatusAndType[status * TaskType.values().length + type],
                    statusTest.and(typeTest)));
        } else if (status >= 0) {
            constraints.add(exact(postings.byStatus[status], statusTest));
        } else if (type >= 0) {
            constraints.add(exact(postings.byType[type], typeTest));
        }
        if (query.scriptId() != null) {
            int script = store.scriptIndex(query.scriptId());
            if (script < 0) {
                return null;
            }
            BitSet only = new BitSet();
            only.set(script);
            constraints.add(exact(postings.byScript[script], p -> ranAny(columns, store.generationIndex(p), only)));
        }
        if (query.scriptName() != null) {
            BitSet named = store.scriptsNamed(query);
            if (named.isEmpty()) {
                return null;
            }
            int estimate = named.stream().map(s -> postings.byScript[s].length).sum();
            constraints.add(new Constraint(estimate, () -> postings.ranAnyOf(named),
                    p -> ranAny(columns, store.generationIndex(p), named)));
        }
        if (!query.taskIds().isEmpty()) {
            int[] positions = query.taskIds().stream().mapToInt(store::positionOfId)
                    .filter(p -> p >= 0).sorted().distinct().toArray();
            if (positions.length == 0) {
                return null;
            }
            constraints.add(exact(positions, p -> Arrays.binarySearch(positions, p) >= 0));
        }
        constraints.sort(Comparator.comparingInt(Constraint::estimate));
        return new Selection(constraints);
    }

    /** The page of matching positions within [from, to), plus their total count. */
    TaskPage page(int from, int to, int offset, int limit, IntFunction<ScriptExecutionTask> task) {
        if (constraints.isEmpty()) {
            return slice(null, from, to, offset, limit, task);
        }
        int[] driver = constraints.get(0).postings().get();
        int first = Postings.lowerBound(driver, from);
        int end = Postings.lowerBound(driver, to);
        if (constraints.size() == 1) {
            return slice(driver, first, end, offset, limit, task);
        }
        IntPredicate[] others = constraints.subList(1, constraints.size()).stream()
                .map(Constraint::test).toArray(IntPredicate[]::new);
        List<ScriptExecutionTask> tasks = new ArrayList<>(limit);
        int total = 0;
        for (int k = first; k < end; k++) {
            int position = driver[k];
            if (allMatch(others, position)) {
                if (total >= offset && tasks.size() < limit) {
                    tasks.add(task.apply(position));
                }
                total++;
            }
        }
        return new TaskPage(total, tasks);
    }

    /** Page [offset, offset + limit) of entries first..end of a list (or of the positions themselves). */
    private static TaskPage slice(int[] list, int first, int end, int offset, int limit,
                                  IntFunction<ScriptExecutionTask> task) {
        long start = (long) first + offset;
        long stop = Math.min(end, start + limit);
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        for (long k = start; k < stop; k++) {
            tasks.add(task.apply(list == null ? (int) k : list[(int) k]));
        }
        return new TaskPage(end - first, tasks);
    }

    private static boolean allMatch(IntPredicate[] tests, int position) {
        for (IntPredicate test : tests) {
            if (!test.test(position)) {
                return false;
            }
        }
        return true;
    }

    private static Constraint exact(int[] postings, IntPredicate test) {
        return new Constraint(postings.length, () -> postings, test);
    }

    private static boolean ranAny(TaskColumns columns, int i, BitSet scripts) {
        int packed = columns.scripts[i];
        for (int s = 0; s < ScriptPacking.count(packed); s++) {
            if (scripts.get(ScriptPacking.index(packed, s))) {
                return true;
            }
        }
        return false;
    }
}
