package dev.pooltasks.domain.query;

import dev.pooltasks.domain.model.TaskStatus;

import java.util.Locale;
import java.util.Map;

/**
 * The {@code status} filter vocabulary. The API documents SUCCESS, FAILED, RUNNING and WAITING for the filter while
 * tasks report FINISH, FAILED, RUNNING and INIT; each filter value selects the corresponding task status, and the task
 * statuses FINISH and INIT are accepted as aliases.
 */
final class StatusFilter {
    private static final Map<String, TaskStatus> VOCABULARY = Map.of(
            "SUCCESS", TaskStatus.FINISH,
            "FINISH", TaskStatus.FINISH,
            "FAILED", TaskStatus.FAILED,
            "RUNNING", TaskStatus.RUNNING,
            "WAITING", TaskStatus.INIT,
            "INIT", TaskStatus.INIT);

    private StatusFilter() {
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
