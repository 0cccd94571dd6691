package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Instant;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.function.IntConsumer;

/**
 * The tasks of one project in memory, answering {@link TaskQuery} pages with the API's semantics in about a
 * millisecond at a million tasks. Tasks are kept column by column in API order ({@link TaskOrder#NEWEST_FIRST}), their
 * repeated values in dictionaries, with the positions of the tasks of each pool, status, task type and script as
 * lists and bitmaps (see {@link Selection}): a filtered page is a slice of a list, a walk over a short one, or an
 * intersection of bitmaps that skips the offset and counts the total 64 tasks at a time. The time window is a range
 * of positions found by binary search.
 *
 * <p>Immutable, so any number of threads query it without locking; {@link #withChanges} makes a new index and leaves
 * this one as it is. Memory: about 100 bytes a task with the sandbox's tasks (columns 60, id table 8 to 16, postings
 * and bitmaps about 30), plus the cached unions of the scripts names select (at most {@link Postings#MAX_UNION_BYTES})
 * and the pages answered (at most {@link #MAX_PAGE_MEMO_BYTES}).
 *
 * <p>{@code withChanges} copies the columns, merging the changed tasks in at their positions, renumbers the id table
 * and rebuilds the postings: it costs about as much for one change as for thousands, in proportion to the size of the
 * index (measured in the README, section "The task index").
 */
public final class TaskIndex {
    /** The pages answered, kept per index (it never changes) so that a repeated query gets the same page. */
    static final long MAX_PAGE_MEMO_BYTES = 16L << 20;

    private final TaskColumns columns;
    private final TaskDictionaries dictionaries;
    private final IdTable ids;
    private final Postings postings;
    private final String[] lowerCaseScriptNames;
    private final List<ScriptExecutionTask> tasks = new TasksInOrder();
    private final PageMemo pages = new PageMemo(MAX_PAGE_MEMO_BYTES);

    private TaskIndex(TaskColumns columns, IdTable ids, TaskDictionaries dictionaries) {
        this.columns = columns;
        this.dictionaries = dictionaries;
        this.ids = ids;
        this.postings = new Postings(columns, dictionaries);
        this.lowerCaseScriptNames = dictionaries.lowerCaseScriptNames();
    }

    public static Builder builder() {
        return new Builder(0, new TaskDictionaries());
    }

    /** A builder with room for {@code expectedTasks} before it grows (it takes any number). */
    public static Builder builder(int expectedTasks) {
        return new Builder(expectedTasks, new TaskDictionaries());
    }

    public int size() {
        return columns.size;
    }

    /**
     * The page of tasks the query selects, and their total count. The query's project id plays no part. The same
     * query again gets the same page (kept up to {@link #MAX_PAGE_MEMO_BYTES}), with its answer body once encoded.
     */
    public TaskPage page(TaskQuery query) {
        return pages.get(query, () -> select(query));
    }

    private TaskPage select(TaskQuery query) {
        int from = windowStart(query);
        int to = windowEnd(query);
        Selection selection = Selection.of(query, this);
        if (selection == null || from >= to) {
            return new TaskPage(0, List.of());
        }
        return selection.page(from, to, query.offset(), query.limit(), this::task);
    }

    /**
     * Counts over the tasks the query's filters select, in total and per group, by the rules of
     * {@link dev.pooltasks.domain.aggregation.StatisticsRules}: read from the columns, no task made. The query's
     * project id plays no part.
     */
    public TaskStatistics statistics(StatisticsQuery query) {
        return IndexStatistics.compute(this, query);
    }

    /** The task with this id (compared exactly, as the {@code task_id} filter does). */
    public Optional<ScriptExecutionTask> task(String id) {
        int position = position(id);
        return position < 0 ? Optional.empty() : Optional.of(task(position));
    }

    /** All tasks in API order: a view that makes each task when read. */
    public List<ScriptExecutionTask> tasks() {
        return tasks;
    }

    /**
     * A new index with these tasks added, or replacing the tasks of the same id (of several with one id, the last).
     * This index is unchanged.
     */
    public TaskIndex withChanges(Collection<ScriptExecutionTask> upserts) {
        if (upserts.isEmpty()) {
            return this;
        }
        TaskDictionaries extended = dictionaries.copy();
        Builder changes = new Builder(upserts.size(), extended);
        upserts.forEach(changes::add);
        Merge merge = new Merge(changes.sorted().columns());
        return new TaskIndex(merge.merged, merge.ids(), extended);
    }

    /** This index's tasks and added ones, merged in API order, leaving out the tasks the added ones replace. */
    private final class Merge {
        private final TaskColumns added;
        /** The old position of the task each added one replaces, or -1. */
        private final int[] replacing;
        /** The old positions replaced, ascending. */
        private final int[] replaced;
        /** The new position of each old one (of a replaced one: its replacement's). */
        private final int[] newPosition = new int[size()];
        /** The new position of each added one. */
        private final int[] addedAt;
        private final TaskColumns merged;
        private int nextReplaced;
        private int filled;

        Merge(TaskColumns added) {
            this.added = added;
            replacing = new int[added.size];
            for (int k = 0; k < added.size; k++) {
                replacing[k] = ids.find(columns, added.id(k));
            }
            replaced = Arrays.stream(replacing).filter(p -> p >= 0).sorted().toArray();
            addedAt = new int[added.size];
            merged = TaskColumns.forMerge(columns, added, size() - replaced.length + added.size);
            int from = 0;
            for (int k = 0; k < added.size; k++) {
                int at = firstAfter(added, k, from);
                copyOld(from, at);
                addedAt[k] = filled;
                if (replacing[k] >= 0) {
                    newPosition[replacing[k]] = filled;
                }
                merged.copy(added, k, filled++, 1);
                from = at;
            }
            copyOld(from, size());
            merged.size = filled;
        }

        private void copyOld(int from, int to) {
            while (from < to) {
                while (nextReplaced < replaced.length && replaced[nextReplaced] < from) {
                    nextReplaced++;
                }
                int end = nextReplaced < replaced.length ? Math.min(to, replaced[nextReplaced]) : to;
                merged.copy(columns, from, filled, end - from);
                for (int p = from; p < end; p++) {
                    newPosition[p] = filled++;
                }
                from = end + 1; // past the replaced position, if the run stopped at one
            }
        }

        /** The old id table renumbered, plus the new ids; built anew only when it would be over half full. */
        IdTable ids() {
            if (!ids.fits(merged.size)) {
                return IdTable.of(merged);
            }
            IdTable renumbered = ids.renumbered(p -> newPosition[p]);
            for (int k = 0; k < added.size; k++) {
                if (replacing[k] < 0) {
                    renumbered.put(merged, addedAt[k]);
                }
            }
            return renumbered;
        }
    }

    /** The first position at or after {@code from} whose task comes after task k of {@code added} in API order. */
    private int firstAfter(TaskColumns added, int k, int from) {
        int low = from;
        int high = size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (columns.compare(mid, added, k) <= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * Each position of a task the query's filters select, in API order, the window aside: the seam for computations
     * over matching tasks' columns (such as statistics), which read them by position.
     */
    void forEachMatch(TaskQuery query, IntConsumer action) {
        int from = windowStart(query);
        int to = windowEnd(query);
        Selection selection = Selection.of(query, this);
        if (selection != null && from < to) {
            selection.forEach(from, to, action);
        }
    }

    ScriptExecutionTask task(int position) {
        TaskDictionaries.Pool pool = dictionaries.pools.value(columns.pool[position]);
        TaskDictionaries.Command command = dictionaries.commands.value(columns.command[position]);
        return new ScriptExecutionTask(columns.id(position), pool.id(), pool.name(),
                dictionaries.scriptLists.value(columns.scripts[position]), command.content(), command.type(),
                columns.start(position), columns.end(position), dictionaries.statuses.value(columns.status[position]),
                columns.successNum[position], columns.failedNum[position], columns.skipNum[position]);
    }

    /** The position of the task with this id, or -1. */
    int position(String id) {
        return ids.find(columns, id);
    }

    int poolIdCode(String poolId) {
        return dictionaries.poolIds.find(poolId);
    }

    int statusCode(TaskStatus status) {
        return dictionaries.statuses.find(status);
    }

    BitSet scriptsWithId(String scriptId) {
        BitSet matching = new BitSet();
        for (int s = 0; s < dictionaries.scripts.size(); s++) {
            if (dictionaries.scripts.value(s).id().equals(scriptId)) {
                matching.set(s);
            }
        }
        return matching;
    }

    /** The scripts whose name contains {@code fragment}, ignoring case, as {@link TaskQuery#nameMatches} does. */
    BitSet scriptsNamed(String fragment) {
        String lowerCase = fragment.toLowerCase(Locale.ROOT);
        BitSet matching = new BitSet();
        for (int s = 0; s < lowerCaseScriptNames.length; s++) {
            if (lowerCaseScriptNames[s].contains(lowerCase)) {
                matching.set(s);
            }
        }
        return matching;
    }

    Postings postings() {
        return postings;
    }

    TaskColumns columns() {
        return columns;
    }

    TaskDictionaries dictionaries() {
        return dictionaries;
    }

    /** The first position of the query's time window (positions run from newest to oldest). */
    private int windowStart(TaskQuery query) {
        return query.executeTimeEnd() == null ? 0 : firstStarting(query.executeTimeEnd(), 0);
    }

    /** The position after the query's time window. */
    private int windowEnd(TaskQuery query) {
        return query.executeTimeStart() == null ? size() : firstStarting(query.executeTimeStart(), -1);
    }

    /**
     * The first position whose task started at or before {@code instant} ({@code bound} 0) or before it
     * ({@code bound} -1).
     */
    private int firstStarting(Instant instant, int bound) {
        int low = 0;
        int high = size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (columns.compareStart(mid, instant.getEpochSecond(), instant.getNano()) <= bound) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** The index's tasks in API order, each made when read. */
    private final class TasksInOrder extends AbstractList<ScriptExecutionTask> implements RandomAccess {
        @Override
        public ScriptExecutionTask get(int position) {
            Objects.checkIndex(position, size());
            return task(position);
        }

        @Override
        public int size() {
            return columns.size;
        }
    }

    /**
     * Takes tasks one at a time (so that a generator or a database cursor can stream millions of them without holding
     * them as objects), then sorts them into an index. Of several tasks with one id, the last added is kept.
     * Not thread-safe; used once.
     */
    public static final class Builder {
        private final TaskDictionaries dictionaries;
        private TaskColumns columns;

        private Builder(int expectedTasks, TaskDictionaries dictionaries) {
            if (expectedTasks < 0) {
                throw new IllegalArgumentException("expectedTasks must not be negative");
            }
            this.dictionaries = dictionaries;
            this.columns = new TaskColumns(expectedTasks);
        }

        public Builder add(ScriptExecutionTask task) {
            Objects.requireNonNull(task, "task");
            if (columns == null) {
                throw new IllegalStateException("this builder has built its index already");
            }
            columns.add(task, dictionaries);
            return this;
        }

        public TaskIndex build() {
            Sorted sorted = sorted();
            return new TaskIndex(sorted.columns(), sorted.ids(), dictionaries);
        }

        /** Columns in API order with the table of their ids. */
        record Sorted(TaskColumns columns, IdTable ids) {
        }

        /** The tasks added (the last of each id), in API order; the builder is spent. */
        Sorted sorted() {
            if (columns == null) {
                throw new IllegalStateException("this builder has built its index already");
            }
            TaskColumns sorted = columns;
            columns = null;
            IdTable ids = new IdTable(sorted.size);
            BitSet replaced = new BitSet();
            for (int i = 0; i < sorted.size; i++) {
                int previous = ids.put(sorted, i);
                if (previous >= 0) {
                    replaced.set(previous);
                }
            }
            int[] order = apiOrder(sorted, replaced);
            sorted.permute(order);
            ids.renumber(order);
            return new Sorted(sorted, ids);
        }

        /**
         * The slots (but the replaced ones) in API order. Sorts keys that pack how much older than the newest a task
         * started, in seconds, above its slot, then sorts each run of equal seconds by fraction and id.
         */
        private static int[] apiOrder(TaskColumns columns, BitSet replaced) {
            int n = columns.size;
            int[] slots = new int[n - replaced.cardinality()];
            long newest = Long.MIN_VALUE;
            long oldest = Long.MAX_VALUE;
            for (int i = 0, k = 0; i < n; i++) {
                if (!replaced.get(i)) {
                    slots[k++] = i;
                    newest = Math.max(newest, columns.startSecond[i]);
                    oldest = Math.min(oldest, columns.startSecond[i]);
                }
            }
            int slotBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(n));
            Comparator<Integer> apiOrder = (a, b) -> columns.compare(a, columns, b);
            if (slots.length == 0 || newest - oldest >= 1L << (63 - slotBits)) {
                // start times too far apart to pack (thousands of years): sort the slots themselves
                return Arrays.stream(slots).boxed().sorted(apiOrder).mapToInt(Integer::intValue).toArray();
            }
            long[] keys = new long[slots.length];
            for (int k = 0; k < slots.length; k++) {
                keys[k] = (newest - columns.startSecond[slots[k]]) << slotBits | slots[k];
            }
            Arrays.parallelSort(keys);
            long slotMask = (1L << slotBits) - 1;
            for (int k = 0; k < slots.length; k++) {
                slots[k] = (int) (keys[k] & slotMask);
            }
            int runStart = 0;
            for (int k = 1; k <= slots.length; k++) {
                if (k == slots.length || columns.startSecond[slots[k]] != columns.startSecond[slots[runStart]]) {
                    if (k - runStart > 1) {
                        sortRun(columns, slots, runStart, k);
                    }
                    runStart = k;
                }
            }
            return slots;
        }

        /** Sorts slots[from, to) into API order: by insertion, as runs of one second are mostly two or three long. */
        private static void sortRun(TaskColumns columns, int[] slots, int from, int to) {
            if (to - from > 16) {
                Integer[] run = Arrays.stream(slots, from, to).boxed().toArray(Integer[]::new);
                Arrays.sort(run, (a, b) -> columns.compare(a, columns, b));
                for (int r = 0; r < run.length; r++) {
                    slots[from + r] = run[r];
                }
                return;
            }
            for (int k = from + 1; k < to; k++) {
                int slot = slots[k];
                int j = k - 1;
                for (; j >= from && columns.compare(slots[j], columns, slot) > 0; j--) {
                    slots[j + 1] = slots[j];
                }
                slots[j + 1] = slot;
            }
        }
    }
}
