package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskType;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * A query's filters (but the time window, which is a range of positions) as sets of positions. One filter's page is
 * sliced out of its list. Several filters walk the shortest list, testing the others, when it has fewer positions in
 * the range than the range has 64-bit words, or when some filter is sparse (has no bitmap); otherwise they intersect
 * their bitmaps word by word, and skip the offset and count the total a word at a time: a cost bounded by the range,
 * however many tasks match.
 */
final class Selection {
    private final List<Positions> filters;

    private Selection(List<Positions> filters) {
        this.filters = filters;
    }

    /** The query's filters, or null when some filter can match nothing here (an unknown pool, say). */
    static Selection of(TaskQuery query, TaskIndex index) {
        Postings postings = index.postings();
        List<Positions> filters = new ArrayList<>();
        if (query.desktopPoolId() != null) {
            int pool = index.poolIdCode(query.desktopPoolId());
            if (pool < 0) {
                return null;
            }
            filters.add(postings.byPoolId[pool]);
        }
        int status = query.status() == null ? -1 : index.statusCode(query.status());
        if (query.status() != null && status < 0) {
            return null;
        }
        int type = query.taskType() == null ? -1 : query.taskType().ordinal();
        if (status >= 0 && type >= 0) {
            filters.add(postings.byStatusAndType[status * TaskType.values().length + type]);
        } else if (status >= 0) {
            filters.add(postings.byStatus[status]);
        } else if (type >= 0) {
            filters.add(postings.byType[type]);
        }
        if (query.scriptId() != null) {
            BitSet withId = index.scriptsWithId(query.scriptId());
            if (withId.isEmpty()) {
                return null;
            }
            filters.add(postings.ranAnyOf(withId));
        }
        if (query.scriptName() != null) {
            BitSet named = index.scriptsNamed(query.scriptName());
            if (named.isEmpty()) {
                return null;
            }
            filters.add(postings.ranAnyOf(named));
        }
        if (!query.taskIds().isEmpty()) {
            int[] positions = query.taskIds().stream().mapToInt(index::position)
                    .filter(p -> p >= 0).sorted().distinct().toArray();
            if (positions.length == 0) {
                return null;
            }
            filters.add(Positions.listed(positions));
        }
        return new Selection(filters);
    }

    /** The page of matching positions within [from, to), plus their total count. */
    TaskPage page(int from, int to, int offset, int limit, IntFunction<ScriptExecutionTask> task) {
        if (filters.isEmpty()) {
            return slice(null, from, to, offset, limit, task);
        }
        Positions shortest = shortestIn(from, to);
        if (filters.size() == 1) {
            return slice(shortest.list(), shortest.indexOf(from), shortest.indexOf(to), offset, limit, task);
        }
        Window window = new Window(offset, limit, task);
        if (walks(shortest, from, to)) {
            walk(shortest, from, to, window::add);
        } else {
            intersect(from, to, window);
        }
        return new TaskPage(window.total, window.tasks);
    }

    /** Each matching position within [from, to), in order. */
    void forEach(int from, int to, IntConsumer action) {
        if (filters.isEmpty()) {
            for (int position = from; position < to; position++) {
                action.accept(position);
            }
            return;
        }
        Positions shortest = shortestIn(from, to);
        if (filters.size() == 1 || walks(shortest, from, to)) {
            walk(shortest, from, to, action);
            return;
        }
        long[][] bitmaps = bitmaps();
        for (int w = from >>> 6, lastWord = (to - 1) >>> 6; w <= lastWord; w++) {
            for (long word = matches(bitmaps, w, from, to); word != 0; word &= word - 1) {
                action.accept((w << 6) + Long.numberOfTrailingZeros(word));
            }
        }
    }

    private Positions shortestIn(int from, int to) {
        Positions shortest = filters.get(0);
        int shortestInRange = Integer.MAX_VALUE;
        for (Positions filter : filters) {
            int inRange = filter.indexOf(to) - filter.indexOf(from);
            if (inRange < shortestInRange) {
                shortest = filter;
                shortestInRange = inRange;
            }
        }
        return shortest;
    }

    /** Whether walking the shortest list costs less than intersecting, or some filter has no bitmap to intersect. */
    private boolean walks(Positions shortest, int from, int to) {
        int inRange = shortest.indexOf(to) - shortest.indexOf(from);
        return inRange <= Positions.words(to - from) || filters.stream().anyMatch(f -> f.bits() == null);
    }

    private void walk(Positions driver, int from, int to, IntConsumer action) {
        Positions[] others = filters.stream().filter(f -> f != driver).toArray(Positions[]::new);
        int[] list = driver.list();
        for (int k = driver.indexOf(from), end = driver.indexOf(to); k < end; k++) {
            if (allContain(others, list[k])) {
                action.accept(list[k]);
            }
        }
    }

    private static boolean allContain(Positions[] filters, int position) {
        for (Positions filter : filters) {
            if (!filter.contains(position)) {
                return false;
            }
        }
        return true;
    }

    private long[][] bitmaps() {
        return filters.stream().map(Positions::bits).toArray(long[][]::new);
    }

    private void intersect(int from, int to, Window window) {
        long[][] bitmaps = bitmaps();
        int w = from >>> 6;
        int lastWord = (to - 1) >>> 6;
        for (; w <= lastWord && !window.full(); w++) {
            long word = matches(bitmaps, w, from, to);
            int count = Long.bitCount(word);
            if (window.allBefore(count)) {
                window.total += count;
                continue;
            }
            for (; word != 0; word &= word - 1) {
                window.add((w << 6) + Long.numberOfTrailingZeros(word));
            }
        }
        // Past the page, matches are only counted: a tight loop, as most words are past it.
        int rest = 0;
        for (; w <= lastWord; w++) {
            rest += Long.bitCount(matches(bitmaps, w, from, to));
        }
        window.total += rest;
    }

    /** Word {@code w} of the intersection of the bitmaps, within positions [from, to). */
    private static long matches(long[][] bitmaps, int w, int from, int to) {
        long word = bitmaps[0][w];
        for (int b = 1; b < bitmaps.length; b++) {
            word &= bitmaps[b][w];
        }
        if (w == from >>> 6) {
            word &= -1L << from;
        }
        if (w == (to - 1) >>> 6) {
            word &= -1L >>> -to; // the bits below to % 64, or all of them when to is a multiple of 64
        }
        return word;
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

    /** The matches met in order: counts them all, keeps those in [offset, offset + limit). */
    private static final class Window {
        private final int offset;
        private final int limit;
        private final IntFunction<ScriptExecutionTask> task;
        private final List<ScriptExecutionTask> tasks = new ArrayList<>();
        private int total;

        Window(int offset, int limit, IntFunction<ScriptExecutionTask> task) {
            this.offset = offset;
            this.limit = limit;
            this.task = task;
        }

        boolean full() {
            return tasks.size() == limit;
        }

        /** Whether the next {@code count} matches all come before the page. */
        boolean allBefore(int count) {
            return total + count <= offset;
        }

        void add(int position) {
            if (total >= offset && tasks.size() < limit) {
                tasks.add(task.apply(position));
            }
            total++;
        }
    }
}
