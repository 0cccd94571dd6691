package dev.pooltasks.domain.model;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One page of matching tasks, in {@link TaskOrder#NEWEST_FIRST} order.
 *
 * <p>A page can also carry its answer body: the bytes the API sends for it (UTF-8 JSON of {@code total_count} and
 * {@code script_execution_tasks}), computed once by the inbound adapter, or known beforehand by a source whose
 * upstream already sent exactly those bytes. A page served again (a cached answer, an unchanged index) is then not
 * encoded again. Equality is over the data only, never the body.
 */
public final class TaskPage {
    private final int totalCount;
    private final List<ScriptExecutionTask> tasks;
    private final Set<String> missingSources;
    private final Set<String> staleSources;
    private final Duration mirrorAge;
    /** The answer body once known; never changes once set (every encoding of one page gives the same bytes). */
    private volatile byte[] body;

    /**
     * @param totalCount     the number of tasks matching the query, regardless of offset and limit
     * @param tasks          the page's tasks
     * @param missingSources task sources (sorted) left out of this answer because they failed (partial answers only)
     * @param staleSources   task sources whose part of this answer is an older cached copy, served because they failed
     * @param mirrorAge      for an answer from a mirrored copy, the time since that copy's last successful sync with
     *                       its upstream (of several copies, the oldest); null for an answer that is not from a mirror
     */
    public TaskPage(int totalCount, List<ScriptExecutionTask> tasks, Set<String> missingSources,
                    Set<String> staleSources, Duration mirrorAge) {
        this(totalCount, tasks instanceof EncodedTasks ? tasks : List.copyOf(tasks), sorted(missingSources),
                sorted(staleSources),
                mirrorAge != null && mirrorAge.isNegative() ? Duration.ZERO : mirrorAge, null);
        // (encoded tasks are unmodifiable already, and copying them would make every task; a replica's clock slightly
        // behind the syncer's gives a negative age)
    }

    public TaskPage(int totalCount, List<ScriptExecutionTask> tasks, Set<String> missingSources,
                    Set<String> staleSources) {
        this(totalCount, tasks, missingSources, staleSources, null);
    }

    public TaskPage(int totalCount, List<ScriptExecutionTask> tasks) {
        this(totalCount, tasks, Set.of(), Set.of(), null);
    }

    private TaskPage(int totalCount, List<ScriptExecutionTask> tasks, Set<String> missingSources,
                     Set<String> staleSources, Duration mirrorAge, byte[] body) {
        if (totalCount < 0) {
            throw new IllegalArgumentException("totalCount must not be negative");
        }
        this.totalCount = totalCount;
        this.tasks = tasks;
        this.missingSources = missingSources;
        this.staleSources = staleSources;
        this.mirrorAge = mirrorAge;
        this.body = body;
    }

    private static Set<String> sorted(Set<String> sources) {
        return sources.isEmpty() ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(sources));
    }

    /** The number of tasks matching the query, regardless of offset and limit. */
    public int totalCount() {
        return totalCount;
    }

    public List<ScriptExecutionTask> tasks() {
        return tasks;
    }

    /** Task sources (sorted) left out of this answer because they failed (partial answers only). */
    public Set<String> missingSources() {
        return missingSources;
    }

    /** Task sources whose part of this answer is an older cached copy, served because they failed. */
    public Set<String> staleSources() {
        return staleSources;
    }

    /** For an answer from a mirror, the time since its last successful sync; null otherwise. */
    public Duration mirrorAge() {
        return mirrorAge;
    }

    /** This page marked as served from an older copy of {@code source}'s answer (same body). */
    public TaskPage markedStale(String source) {
        TreeSet<String> stale = new TreeSet<>(staleSources);
        stale.add(source);
        return new TaskPage(totalCount, tasks, missingSources, Collections.unmodifiableSortedSet(stale), mirrorAge,
                body);
    }

    /**
     * This page with {@code missing} and {@code stale} added to its missing and stale sources (same body): what a
     * source's answer says of the sources behind it (another pooltasks in front of a partial federation, say).
     */
    public TaskPage withSourcesBehind(Set<String> missing, Set<String> stale) {
        if (missing.isEmpty() && stale.isEmpty()) {
            return this;
        }
        return new TaskPage(totalCount, tasks, union(missingSources, missing), union(staleSources, stale), mirrorAge,
                body);
    }

    private static Set<String> union(Set<String> sorted, Set<String> more) {
        if (more.isEmpty()) {
            return sorted;
        }
        TreeSet<String> union = new TreeSet<>(sorted);
        union.addAll(more);
        return Collections.unmodifiableSortedSet(union);
    }

    /** This page as answered from a mirrored copy last synced {@code age} ago (same body). */
    public TaskPage withMirrorAge(Duration age) {
        return new TaskPage(totalCount, tasks, missingSources, staleSources,
                age != null && age.isNegative() ? Duration.ZERO : age, body);
    }

    /**
     * This page with its answer body known: for a source whose upstream sent bytes checked to be exactly what the
     * inbound adapter would write for this page.
     */
    public TaskPage withBody(byte[] answerBody) {
        return new TaskPage(totalCount, tasks, missingSources, staleSources, mirrorAge,
                Objects.requireNonNull(answerBody, "answerBody"));
    }

    /**
     * The answer body: the one this page carries, or {@code encoder}'s, kept with the page for the next time. Two
     * threads may both encode a page the first time; both get equal bytes. Callers must not change the array.
     */
    public byte[] body(Function<TaskPage, byte[]> encoder) {
        byte[] known = body;
        if (known == null) {
            known = Objects.requireNonNull(encoder.apply(this), "encoded body");
            body = known;
        }
        return known;
    }

    /** The answer body if it is known already (for weighing what a cache holds). */
    public byte[] knownBody() {
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof TaskPage other
                && totalCount == other.totalCount
                && tasks.equals(other.tasks)
                && missingSources.equals(other.missingSources)
                && staleSources.equals(other.staleSources)
                && Objects.equals(mirrorAge, other.mirrorAge);
    }

    @Override
    public int hashCode() {
        return Objects.hash(totalCount, tasks, missingSources, staleSources, mirrorAge);
    }

    @Override
    public String toString() {
        return "TaskPage[totalCount=" + totalCount + ", tasks=" + tasks + ", missingSources=" + missingSources
                + ", staleSources=" + staleSources + ", mirrorAge=" + mirrorAge + "]";
    }
}
