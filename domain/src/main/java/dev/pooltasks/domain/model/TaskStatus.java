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

    @Override
    public String toString() {
        return value;
    }
}
