package dev.pooltasks.domain.model;

import java.util.List;
import java.util.RandomAccess;

/**
 * Tasks held as their answer bytes: an adapter read them from an answer it checked to be byte for byte what this API
 * writes for them. Each task's bytes can then be copied into another answer as they are, its place in API order is
 * known without making the task, and a task is made only when {@link #get(int) asked for}: a federation merging
 * answers orders their tasks and copies the bytes of those it keeps, making none. Unmodifiable; {@code equals} and
 * {@code hashCode} are the {@link List}'s.
 */
public interface EncodedTasks extends List<ScriptExecutionTask>, RandomAccess {
    /**
     * The {@code start_time} of task {@code index} in seconds since the epoch: the API writes times to the second, so
     * that is all an encoded task's time holds, and a merge compares it without making an {@code Instant}.
     */
    long startSecond(int index);

    /** The {@code id} of task {@code index}. */
    String id(int index);

    /**
     * The bytes holding task {@code index}'s answer bytes, from {@link #from(int)} to {@link #to(int)}: what the API
     * writes for that task in an answer's {@code script_execution_tasks}. Callers must not change them.
     */
    byte[] bytes(int index);

    int from(int index);

    int to(int index);
}
