package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.query.UtcTime;
import org.mapstruct.Mapper;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Upstream wire DTOs to domain tasks, tolerating what real upstreams send: unknown status and command types are kept,
 * times in any ISO form (offset or not, fractions, a space instead of 'T') are normalised to instants (UTC when no
 * offset is given). An answer that cannot be read raises {@link MalformedUpstreamAnswerException}.
 */
@Mapper
public interface UpstreamTaskMapper {
    DateTimeFormatter LOCAL_TIME = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .toFormatter();

    default TaskPage toPage(ShowDesktopPoolsScriptExecTasksResponse response) {
        if (response == null || response.getTotalCount() == null || response.getTotalCount() < 0) {
            throw new MalformedUpstreamAnswerException("answer has no valid total_count");
        }
        List<dev.pooltasks.api.server.model.ScriptExecutionTask> tasks =
                response.getScriptExecutionTasks() == null ? List.of() : response.getScriptExecutionTasks();
        return new TaskPage(response.getTotalCount(), tasks.stream().map(this::toTask).toList());
    }

    default ScriptExecutionTask toTask(dev.pooltasks.api.server.model.ScriptExecutionTask task) {
        if (task == null || task.getId() == null || task.getDesktopPoolId() == null || task.getStatus() == null
                || task.getStartTime() == null) {
            throw new MalformedUpstreamAnswerException("task without id, desktop_pool_id, status or start_time");
        }
        return toDomain(task);
    }

    ScriptExecutionTask toDomain(dev.pooltasks.api.server.model.ScriptExecutionTask task);

    dev.pooltasks.domain.model.Script toDomain(dev.pooltasks.api.server.model.Script script);

    default Instant toInstant(String time) {
        if (time == null || time.isBlank()) {
            return null;
        }
        String text = time.trim();
        Instant wireTime = UtcTime.parse(text);
        if (wireTime != null) {
            return wireTime;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text, LOCAL_TIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new MalformedUpstreamAnswerException("unreadable time");
            }
        }
    }

    default TaskStatus toStatus(String status) {
        return status == null ? null : new TaskStatus(status);
    }

    default CommandType toCommandType(String type) {
        return type == null ? null : new CommandType(type);
    }

    default int toCount(Integer count) {
        return count == null ? 0 : count;
    }
}
