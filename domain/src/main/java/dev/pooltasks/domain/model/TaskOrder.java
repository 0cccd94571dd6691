package dev.pooltasks.domain.model;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** The one order in which tasks are listed: newest {@code start_time} first, ties broken by {@code id} ascending. */
public final class TaskOrder {
    public static final Comparator<ScriptExecutionTask> NEWEST_FIRST =
            Comparator.comparing(ScriptExecutionTask::startTime, Comparator.reverseOrder())
                    .thenComparing(ScriptExecutionTask::id);

    private TaskOrder() {
    }

    /**
     * {@link #NEWEST_FIRST} for task {@code i} of {@code a} against task {@code j} of {@code b}, making neither task when
     * its list is {@link EncodedTasks} (which know a task's start time and id without making it).
     */
    public static int compare(List<ScriptExecutionTask> a, int i, List<ScriptExecutionTask> b, int j) {
        int byStart = a instanceof EncodedTasks encodedA && b instanceof EncodedTasks encodedB
                ? Long.compare(encodedB.startSecond(j), encodedA.startSecond(i))
                : startTime(b, j).compareTo(startTime(a, i));
        return byStart != 0 ? byStart : id(a, i).compareTo(id(b, j));
    }

    private static Instant startTime(List<ScriptExecutionTask> tasks, int index) {
        return tasks instanceof EncodedTasks encoded
                ? Instant.ofEpochSecond(encoded.startSecond(index))
                : tasks.get(index).startTime();
    }

    private static String id(List<ScriptExecutionTask> tasks, int index) {
        return tasks instanceof EncodedTasks encoded ? encoded.id(index) : tasks.get(index).id();
    }
}
