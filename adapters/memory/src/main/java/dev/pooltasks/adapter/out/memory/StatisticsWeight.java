package dev.pooltasks.adapter.out.memory;

import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.StatisticsCache;

import java.util.Map;

import static dev.pooltasks.adapter.out.memory.PageWeight.COPY;
import static dev.pooltasks.adapter.out.memory.PageWeight.INSTANT;
import static dev.pooltasks.adapter.out.memory.PageWeight.LINKED_ENTRY;
import static dev.pooltasks.adapter.out.memory.PageWeight.REFERENCE;
import static dev.pooltasks.adapter.out.memory.PageWeight.hashTable;
import static dev.pooltasks.adapter.out.memory.PageWeight.list;
import static dev.pooltasks.adapter.out.memory.PageWeight.object;
import static dev.pooltasks.adapter.out.memory.PageWeight.sortedSet;
import static dev.pooltasks.adapter.out.memory.PageWeight.string;

/**
 * A conservative estimate, in bytes, of the heap an entry of {@link LocalStatisticsCache} retains: the statistics
 * (groups, their names and counts), the key (the query's filters, the caller token) and the cache's bookkeeping,
 * counted as {@link PageWeight} counts pages (the largest 64-bit layout, shared objects counted in each entry).
 * {@code LocalStatisticsCacheTest} measures real object graphs to check that the estimate stays above them.
 */
final class StatisticsWeight {
    private static final int STATISTICS = object(4 * REFERENCE);
    private static final int STATISTICS_QUERY = object(3 * REFERENCE);
    private static final int GROUP = object(3 * REFERENCE);
    private static final int COUNTS = object(REFERENCE + 4 * 8 + 2 * REFERENCE);
    /** An unmodifiable map over a LinkedHashMap, without entries and table. */
    private static final int LINKED_MAP = object(4 * REFERENCE) + object(6 * REFERENCE + 16);
    private static final int LONG = object(8);
    /** The zone id a query names: a region id with its name and rules, counted generously. */
    private static final int ZONE = 256;

    private StatisticsWeight() {
    }

    /** The estimated bytes retained by an entry holding {@code copy} under {@code key}. */
    static long of(StatisticsCache.Key key, StatisticsCache.Copy copy) {
        return PageWeight.ENTRY_OVERHEAD + key(key) + COPY + statistics(copy.statistics());
    }

    static long key(StatisticsCache.Key key) {
        return object(3 * REFERENCE) + string(key.source()) + string(key.callerToken()) + STATISTICS_QUERY + ZONE
                + PageWeight.query(key.query().filters());
    }

    static long statistics(TaskStatistics statistics) {
        long bytes = STATISTICS + counts(statistics.total()) + list(statistics.groups())
                + sortedSet(statistics.missingSources()) + sortedSet(statistics.staleSources());
        for (TaskStatistics.Group group : statistics.groups()) {
            bytes += GROUP + string(group.key()) + string(group.name()) + counts(group.counts());
        }
        return bytes;
    }

    private static long counts(TaskStatistics.Counts counts) {
        Map<String, Long> byStatus = counts.byStatus();
        long bytes = COUNTS + LINKED_MAP + hashTable(byStatus.size())
                + (counts.firstStart() == null ? 0 : 2L * INSTANT);
        for (Map.Entry<String, Long> entry : byStatus.entrySet()) {
            bytes += LINKED_ENTRY + string(entry.getKey()) + LONG;
        }
        return bytes;
    }
}
