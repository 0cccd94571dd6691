package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The pages one index has answered, by query, so that a repeated query gets the very same page (and so the body it
 * was encoded to once). An index never changes, so a page never goes out of date; the memo is bounded by an estimate
 * of the bytes its pages hold (their tasks, made from the columns, and their bodies once encoded), the oldest evicted
 * first, one by one. Hand-written like {@link UnionCache}: the domain uses no library.
 */
final class PageMemo {
    /** The entry, its queue node and its query, generously. */
    static final long ENTRY_BYTES = 1024;
    /** A task made from the columns: the object, its id string, instants and script list, generously. */
    static final long TASK_BYTES = 1024;

    private final long maxWeight;
    private final Map<TaskQuery, Entry> pages = new ConcurrentHashMap<>();
    private final Queue<TaskQuery> insertionOrder = new ConcurrentLinkedQueue<>();
    /** Guarded by this memo's lock. */
    private long weight;

    private static final class Entry {
        final TaskPage page;
        /** Changed only while holding the memo's lock. */
        long weight;
        volatile boolean bodyWeighed;

        Entry(TaskPage page) {
            this.page = page;
            this.weight = ENTRY_BYTES + TASK_BYTES * page.tasks().size();
        }
    }

    PageMemo(long maxWeight) {
        this.maxWeight = maxWeight;
    }

    /** The page kept for {@code query}, else {@code page}'s, which is then kept. */
    TaskPage get(TaskQuery query, Supplier<TaskPage> page) {
        Entry kept = pages.get(query);
        if (kept != null) {
            if (kept.page.knownBody() != null && !kept.bodyWeighed) {
                weighBody(query, kept);
            }
            return kept.page;
        }
        Entry computed = new Entry(page.get());
        Entry raced = pages.putIfAbsent(query, computed);
        if (raced != null) {
            return raced.page;
        }
        synchronized (this) {
            insertionOrder.add(query);
            weight += computed.weight;
            evictOverWeight();
        }
        return computed.page;
    }

    /** A page encoded after it was kept is weighed again, once, with its body. */
    private synchronized void weighBody(TaskQuery query, Entry kept) {
        if (kept.bodyWeighed || pages.get(query) != kept) {
            return;
        }
        kept.bodyWeighed = true;
        kept.weight += kept.page.knownBody().length;
        weight += kept.page.knownBody().length;
        evictOverWeight();
    }

    private void evictOverWeight() {
        while (weight > maxWeight) {
            TaskQuery oldest = insertionOrder.poll();
            if (oldest == null) {
                return;
            }
            Entry evicted = pages.remove(oldest);
            if (evicted != null) {
                weight -= evicted.weight;
            }
        }
    }

    int size() {
        return pages.size();
    }

    synchronized long weight() {
        return weight;
    }
}
