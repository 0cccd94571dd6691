package dev.pooltasks.domain.model;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One page of matching tasks, in {@link TaskOrder#NEWEST_FIRST} order.
 *
 * @param totalCount     the number of tasks matching the query, regardless of offset and limit
 * @param missingSources task sources (sorted) left out of this answer because they failed (partial answers only)
 * @param staleSources   task sources whose part of this answer is an older cached copy, served because they failed
 */
public record TaskPage(int totalCount, List<ScriptExecutionTask> tasks, Set<String> missingSources,
                       Set<String> staleSources) {
    public TaskPage {
        if (totalCount < 0) {
            throw new IllegalArgumentException("totalCount must not be negative");
        }
        tasks = List.copyOf(tasks);
        missingSources = Collections.unmodifiableSortedSet(new TreeSet<>(missingSources));
        staleSources = Collections.unmodifiableSortedSet(new TreeSet<>(staleSources));
    }

    public TaskPage(int totalCount, List<ScriptExecutionTask> tasks) {
        this(totalCount, tasks, Set.of(), Set.of());
    }

    /** This page marked as served from an older copy of {@code source}'s answer. */
    public TaskPage markedStale(String source) {
        Set<String> stale = new TreeSet<>(staleSources);
        stale.add(source);
        return new TaskPage(totalCount, tasks, missingSources, stale);
    }
}
