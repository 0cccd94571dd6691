package dev.pooltasks.domain.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Counts over the tasks a statistics query selects: in total and per group, in the order the rules give
 * ({@link dev.pooltasks.domain.aggregation.StatisticsRules}).
 *
 * @param missingSources task sources (sorted) left out of these counts because they failed (partial federations)
 * @param staleSources   task sources whose part of these counts comes from an older cached copy
 */
public record TaskStatistics(Counts total, List<Group> groups, Set<String> missingSources, Set<String> staleSources) {

    public TaskStatistics {
        Objects.requireNonNull(total, "total");
        groups = List.copyOf(groups);
        missingSources = Collections.unmodifiableSortedSet(new TreeSet<>(missingSources));
        staleSources = Collections.unmodifiableSortedSet(new TreeSet<>(staleSources));
    }

    public TaskStatistics(Counts total, List<Group> groups) {
        this(total, groups, Set.of(), Set.of());
    }

    /**
     * These statistics with {@code missing} and {@code stale} added to their missing and stale sources: what a source's
     * answer says of the sources behind it, as {@link TaskPage#withSourcesBehind} does for a page.
     */
    public TaskStatistics withSourcesBehind(Set<String> missing, Set<String> stale) {
        if (missing.isEmpty() && stale.isEmpty()) {
            return this;
        }
        Set<String> allMissing = new TreeSet<>(missingSources);
        allMissing.addAll(missing);
        Set<String> allStale = new TreeSet<>(staleSources);
        allStale.addAll(stale);
        return new TaskStatistics(total, groups, allMissing, allStale);
    }

    /** One group: its key (a day, a pool id, a script id, ...), a name to show (null when unknown), its counts. */
    public record Group(String key, String name, Counts counts) {
        public Group {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(counts, "counts");
        }
    }

    /**
     * Counts over a set of tasks.
     *
     * @param tasks      the number of tasks
     * @param byStatus   tasks by status value: always {@link #KNOWN_STATUSES} (0 when none), in that order, then any
     *                   other status with tasks, by value
     * @param successNum the sum of the tasks' success_num
     * @param firstStart the oldest task's start; null when there is no task
     * @param lastStart  the newest task's start; null when there is no task
     */
    public record Counts(long tasks, Map<String, Long> byStatus, long successNum, long failedNum, long skipNum,
                         Instant firstStart, Instant lastStart) {
        /** The statuses every count lists, in this order. */
        public static final List<String> KNOWN_STATUSES = List.of(TaskStatus.FINISH.value(),
                TaskStatus.FAILED.value(), TaskStatus.RUNNING.value(), TaskStatus.INIT.value());
        public static final Counts NONE = new Counts(0, Map.of(), 0, 0, 0, null, null);

        public Counts {
            Objects.requireNonNull(byStatus, "byStatus");
            byStatus = canonical(byStatus);
            long sum = byStatus.values().stream().mapToLong(Long::longValue).sum();
            if (tasks < 0 || sum != tasks) {
                throw new IllegalArgumentException("tasks by status add up to " + sum + ", not " + tasks);
            }
            if ((tasks == 0) != (firstStart == null) || (tasks == 0) != (lastStart == null)) {
                throw new IllegalArgumentException("first and last start are known exactly when there are tasks");
            }
        }

        /** The tasks of this status value (0 when none). */
        public long tasks(String status) {
            return byStatus.getOrDefault(status, 0L);
        }

        private static Map<String, Long> canonical(Map<String, Long> byStatus) {
            Map<String, Long> ordered = new LinkedHashMap<>();
            KNOWN_STATUSES.forEach(status -> ordered.put(status, byStatus.getOrDefault(status, 0L)));
            new TreeMap<>(byStatus).forEach((status, count) -> {
                if (count < 0) {
                    throw new IllegalArgumentException("negative count for status " + status);
                }
                if (!ordered.containsKey(status) && count > 0) {
                    ordered.put(status, count);
                }
            });
            return Collections.unmodifiableMap(ordered);
        }
    }
}
