package dev.pooltasks.domain.query;

import dev.pooltasks.domain.model.TaskStatus;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code status} filter vocabulary. The API documents SUCCESS, FAILED, RUNNING and WAITING for the filter while
 * tasks report FINISH, FAILED, RUNNING and INIT; each filter value selects the corresponding task status, and the task
 * statuses FINISH and INIT are accepted as aliases.
 */
public final class StatusFilter {
    private static final Map<String, TaskStatus> VOCABULARY = Map.of(
            "SUCCESS", TaskStatus.FINISH,
            "FINISH", TaskStatus.FINISH,
            "FAILED", TaskStatus.FAILED,
            "RUNNING", TaskStatus.RUNNING,
            "WAITING", TaskStatus.INIT,
            "INIT", TaskStatus.INIT);

    private StatusFilter() {
    }

    /** The documented filter value that selects a task status (what an upstream of this API expects). */
    public static String documentedValue(TaskStatus status) {
        if (status.equals(TaskStatus.FINISH)) {
            return "SUCCESS";
        }
        if (status.equals(TaskStatus.INIT)) {
            return "WAITING";
        }
        return status.value();
    }

    static TaskStatus parse(String value) {
        TaskStatus status = VOCABULARY.get(value.trim().toUpperCase(Locale.ROOT));
        if (status == null) {
            throw new InvalidParameterException(QueryParameters.STATUS,
                    "status must be one of SUCCESS, FAILED, RUNNING, WAITING");
        }
        return status;
    }
}
