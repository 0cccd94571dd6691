package dev.pooltasks.domain.query;

import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.model.TaskType;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import static dev.pooltasks.domain.query.QueryParameters.EXECUTE_TIME_END;
import static dev.pooltasks.domain.query.QueryParameters.EXECUTE_TIME_START;
import static dev.pooltasks.domain.query.QueryParameters.LIMIT;
import static dev.pooltasks.domain.query.QueryParameters.OFFSET;
import static dev.pooltasks.domain.query.QueryParameters.TASK_ID;

/**
 * A valid query for script execution tasks: filters that combine with AND, and an offset/limit window over the
 * matches in {@link dev.pooltasks.domain.model.TaskOrder#NEWEST_FIRST} order. Null filters match everything.
 * Build one from wire values with {@link #builder(String)}; an invalid value raises {@link InvalidParameterException}.
 *
 * @param scriptName      case-insensitive substring of any of the task's script names
 * @param executeTimeStart inclusive lower bound on {@code start_time}
 * @param executeTimeEnd   inclusive upper bound on {@code start_time}
 * @param taskIds          empty means any id
 */
public record TaskQuery(
        String projectId,
        String desktopPoolId,
        String scriptId,
        String scriptName,
        TaskStatus status,
        TaskType taskType,
        Instant executeTimeStart,
        Instant executeTimeEnd,
        Set<String> taskIds,
        int offset,
        int limit) {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;
    public static final int MAX_TASK_IDS = 100;
    public static final int MAX_ID_LENGTH = 255;
    public static final int MAX_NAME_LENGTH = 1000;
    public static final int MAX_KEYWORD_LENGTH = 16;

    public TaskQuery {
        QueryValues.requireId(QueryParameters.PROJECT_ID, projectId);
        taskIds = taskIds == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(taskIds));
        if (taskIds.size() > MAX_TASK_IDS) {
            throw new InvalidParameterException(TASK_ID, "at most " + MAX_TASK_IDS + " task_id values are allowed");
        }
        if (offset < 0) {
            throw new InvalidParameterException(OFFSET, "offset must be 0 or greater");
        }
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new InvalidParameterException(LIMIT, "limit must be between 0 and " + MAX_LIMIT);
        }
        if (executeTimeStart != null && executeTimeEnd != null && executeTimeStart.isAfter(executeTimeEnd)) {
            throw new InvalidParameterException(EXECUTE_TIME_START, "execute_time_start must not be after execute_time_end");
        }
    }

    // Written out, not generated: see TaskStatus (the first answer keys a PageMemo by its query).
    @Override
    public boolean equals(Object o) {
        return o instanceof TaskQuery q && offset == q.offset && limit == q.limit && projectId.equals(q.projectId)
                && Objects.equals(desktopPoolId, q.desktopPoolId) && Objects.equals(scriptId, q.scriptId)
                && Objects.equals(scriptName, q.scriptName) && Objects.equals(status, q.status)
                && taskType == q.taskType && Objects.equals(executeTimeStart, q.executeTimeStart)
                && Objects.equals(executeTimeEnd, q.executeTimeEnd) && taskIds.equals(q.taskIds);
    }

    @Override
    public int hashCode() {
        int h = projectId.hashCode();
        h = 31 * h + Objects.hashCode(desktopPoolId);
        h = 31 * h + Objects.hashCode(scriptId);
        h = 31 * h + Objects.hashCode(scriptName);
        h = 31 * h + Objects.hashCode(status);
        h = 31 * h + Objects.hashCode(taskType);
        h = 31 * h + Objects.hashCode(executeTimeStart);
        h = 31 * h + Objects.hashCode(executeTimeEnd);
        h = 31 * h + taskIds.hashCode();
        h = 31 * h + offset;
        return 31 * h + limit;
    }

    public static Builder builder(String projectId) {
        return new Builder(projectId);
    }

    /** The same filters with another offset/limit window. */
    public TaskQuery withWindow(int newOffset, int newLimit) {
        return withProjectAndWindow(projectId, newOffset, newLimit);
    }

    /** The same filters for another project (a federation member's) and window. */
    public TaskQuery withProjectAndWindow(String newProjectId, int newOffset, int newLimit) {
        return new TaskQuery(newProjectId, desktopPoolId, scriptId, scriptName, status, taskType,
                executeTimeStart, executeTimeEnd, taskIds, newOffset, newLimit);
    }

    /** Whether the task passes every filter of this query (the window plays no part). */
    public boolean matches(ScriptExecutionTask task) {
        return (desktopPoolId == null || desktopPoolId.equals(task.desktopPoolId()))
                && (status == null || status.equals(task.status()))
                && (taskType == null || taskType == task.taskType())
                && (executeTimeStart == null || !task.startTime().isBefore(executeTimeStart))
                && (executeTimeEnd == null || !task.startTime().isAfter(executeTimeEnd))
                && (taskIds.isEmpty() || taskIds.contains(task.id()))
                && (scriptId == null || task.scripts().stream().anyMatch(s -> scriptId.equals(s.id())))
                && (scriptName == null || task.scripts().stream().anyMatch(this::nameMatches));
    }

    /** Whether a script's name contains {@link #scriptName()}, ignoring case. */
    public boolean nameMatches(Script script) {
        return scriptName != null && script.name().toLowerCase(Locale.ROOT).contains(scriptName.toLowerCase(Locale.ROOT));
    }

    /** Collects wire values (strings as received; null or empty means absent) and validates them on {@link #build()}. */
    public static final class Builder {
        private final String projectId;
        private String desktopPoolId;
        private String scriptId;
        private String scriptName;
        private TaskStatus status;
        private TaskType taskType;
        private Instant executeTimeStart;
        private Instant executeTimeEnd;
        private final Set<String> taskIds = new LinkedHashSet<>();
        private int offset;
        private int limit = DEFAULT_LIMIT;

        private Builder(String projectId) {
            this.projectId = projectId;
        }

        public Builder desktopPoolId(String value) {
            desktopPoolId = QueryValues.optionalId(QueryParameters.DESKTOP_POOL_ID, value);
            return this;
        }

        public Builder scriptId(String value) {
            scriptId = QueryValues.optionalId(QueryParameters.SCRIPT_ID, value);
            return this;
        }

        public Builder scriptName(String value) {
            scriptName = QueryValues.optionalText(QueryParameters.SCRIPT_NAME, value, MAX_NAME_LENGTH);
            return this;
        }

        public Builder status(String value) {
            String text = QueryValues.optionalText(QueryParameters.STATUS, value, MAX_KEYWORD_LENGTH);
            status = text == null ? null : StatusFilter.parse(text);
            return this;
        }

        public Builder status(TaskStatus value) {
            status = value;
            return this;
        }

        public Builder taskType(String value) {
            String text = QueryValues.optionalText(QueryParameters.TASK_TYPE, value, MAX_KEYWORD_LENGTH);
            taskType = text == null ? null : QueryValues.taskType(text);
            return this;
        }

        public Builder taskType(TaskType value) {
            taskType = value;
            return this;
        }

        public Builder executeTimeStart(String value) {
            executeTimeStart = QueryValues.optionalInstant(EXECUTE_TIME_START, value);
            return this;
        }

        public Builder executeTimeStart(Instant value) {
            executeTimeStart = value;
            return this;
        }

        public Builder executeTimeEnd(String value) {
            executeTimeEnd = QueryValues.optionalInstant(EXECUTE_TIME_END, value);
            return this;
        }

        public Builder executeTimeEnd(Instant value) {
            executeTimeEnd = value;
            return this;
        }

        /** Adds task ids; empty values are ignored. */
        public Builder taskIds(Iterable<String> values) {
            if (values != null) {
                for (String value : values) {
                    String id = QueryValues.optionalId(TASK_ID, value);
                    if (id != null) {
                        taskIds.add(id);
                    }
                }
            }
            return this;
        }

        public Builder offset(Integer value) {
            offset = value == null ? 0 : value;
            return this;
        }

        public Builder limit(Integer value) {
            limit = value == null ? DEFAULT_LIMIT : value;
            return this;
        }

        public TaskQuery build() {
            return new TaskQuery(projectId, desktopPoolId, scriptId, scriptName, status, taskType,
                    executeTimeStart, executeTimeEnd, taskIds, offset, limit);
        }
    }
}
