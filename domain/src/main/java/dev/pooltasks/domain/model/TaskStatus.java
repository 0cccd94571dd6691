package dev.pooltasks.domain.model;

import java.util.Objects;

/**
 * A task's status as the API reports it. Not a Java enum on purpose: an upstream may report a value added after this
 * code was written, and such values are passed on rather than rejected.
 */
public record TaskStatus(String value) {
    public static final TaskStatus FINISH = new TaskStatus("FINISH");
    public static final TaskStatus FAILED = new TaskStatus("FAILED");
    public static final TaskStatus RUNNING = new TaskStatus("RUNNING");
    public static final TaskStatus INIT = new TaskStatus("INIT");

    public TaskStatus {
        Objects.requireNonNull(value, "value");
    }

    // Written out, not generated, here and in the other records that the start and the first answer use (Script,
    // CommandType, TaskQuery, the index's dictionaries): a record's generated equals and hashCode link through
    // java.lang.runtime.ObjectMethods on their first call, which spins method handles for milliseconds in a cold JVM
    // (README, Performance: startup).
    @Override
    public boolean equals(Object o) {
        return o instanceof TaskStatus other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
