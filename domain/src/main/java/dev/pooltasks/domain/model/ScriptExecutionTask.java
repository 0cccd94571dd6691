package dev.pooltasks.domain.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One run of scripts or of a command across the desktops of a pool.
 *
 * @param desktopPoolName may be null when an upstream does not report it
 * @param scripts         the scripts run; empty for a COMMAND task
 * @param commandContent  the command line; null for a SCRIPT task
 * @param commandType     the command's shell; null for a SCRIPT task
 * @param endTime         null while the task has not finished
 */
public record ScriptExecutionTask(
        String id,
        String desktopPoolId,
        String desktopPoolName,
        List<Script> scripts,
        String commandContent,
        CommandType commandType,
        Instant startTime,
        Instant endTime,
        TaskStatus status,
        int successNum,
        int failedNum,
        int skipNum) {

    public ScriptExecutionTask {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(desktopPoolId, "desktopPoolId");
        Objects.requireNonNull(startTime, "startTime");
        Objects.requireNonNull(status, "status");
        scripts = scripts == null ? List.of() : List.copyOf(scripts);
    }

    /** A task that ran a command is a COMMAND task; any other is a SCRIPT task. */
    public TaskType taskType() {
        return commandContent != null && scripts.isEmpty() ? TaskType.COMMAND : TaskType.SCRIPT;
    }
}
