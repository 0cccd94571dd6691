package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import org.mapstruct.Mapper;
import org.mapstruct.Mapping;
import org.mapstruct.MappingConstants;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Domain page to wire DTOs. Times go out as {@code yyyy-MM-ddTHH:mm:ssZ}; absent values stay null (and are omitted). */
@Mapper(componentModel = MappingConstants.ComponentModel.JAKARTA_CDI)
public interface TaskDtoMapper {
    DateTimeFormatter WIRE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    @Mapping(target = "scriptExecutionTasks", source = "tasks")
    @Mapping(target = "removeScriptExecutionTasksItem", ignore = true)
    ShowDesktopPoolsScriptExecTasksResponse toResponse(TaskPage page);

    @Mapping(target = "removeScriptsItem", ignore = true)
    dev.pooltasks.api.server.model.ScriptExecutionTask toDto(ScriptExecutionTask task);

    dev.pooltasks.api.server.model.Script toDto(Script script);

    default String toWire(Instant time) {
        return time == null ? null : WIRE_TIME.format(time);
    }

    default String toWire(TaskStatus status) {
        return status == null ? null : status.value();
    }

    default String toWire(CommandType type) {
        return type == null ? null : type.value();
    }
}
