package dev.pooltasks.domain.model;

import java.time.Duration;
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
 * @param mirrorAge      for an answer from a mirrored copy, the time since that copy's last successful sync with its
 *                       upstream (of several copies, the oldest); null for an answer that is not from a mirror
 */
public record TaskPage(int totalCount, List<ScriptExecutionTask> tasks, Set<String> missingSources,
                       Set<String> staleSources, Duration mirrorAge) {
    public TaskPage {
        if (totalCount < 0) {
            throw new IllegalArgumentException("totalCount must not be negative");
        }
        tasks = List.copyOf(tasks);
        missingSources = Collections.unmodifiableSortedSet(new TreeSet<>(missingSources));
        staleSources = Collections.unmodifiableSortedSet(new TreeSet<>(staleSources));
        if (mirrorAge != null && mirrorAge.isNegative()) {
            mirrorAge = Duration.ZERO; // a replica's clock slightly behind the syncer's
        }
    }

    public TaskPage(int totalCount, List<ScriptExecutionTask> tasks, Set<String> missingSources,
                    Set<String> staleSources) {
        this(totalCount, tasks, missingSources, staleSources, null);
    }

    public TaskPage(int totalCount, List<ScriptExecutionTask> tasks) {
        this(totalCount, tasks, Set.of(), Set.of(), null);
    }

    /** This page marked as served from an older copy of {@code source}'s answer. */
    public TaskPage markedStale(String source) {
        Set<String> stale = new TreeSet<>(staleSources);
        stale.add(source);
        return new TaskPage(totalCount, tasks, missingSources, stale, mirrorAge);
    }

    /** This page as answered from a mirrored copy last synced {@code age} ago. */
    public TaskPage withMirrorAge(Duration age) {
        return new TaskPage(totalCount, tasks, missingSources, staleSources, age);
    }
}
