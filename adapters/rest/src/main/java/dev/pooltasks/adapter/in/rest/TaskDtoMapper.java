package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.api.server.model.ShowScriptExecutionTaskStatisticsResponse;
import dev.pooltasks.api.server.model.TaskCounts;
import dev.pooltasks.api.server.model.TaskCountsGroup;
import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.query.StatisticsQuery;
import org.mapstruct.Mapper;
import org.mapstruct.Mapping;
import org.mapstruct.MappingConstants;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Domain page and statistics to wire DTOs. Times go out as {@code yyyy-MM-ddTHH:mm:ssZ} in UTC, fractions of a second dropped (years
 * outside 1000..9999 as ISO-8601 writes them: {@code 0999}, {@code -0005}, {@code +10000}); absent values stay null
 * (and are omitted).
 */
@Mapper(componentModel = MappingConstants.ComponentModel.JAKARTA_CDI)
public interface TaskDtoMapper {
    // uuuu, the proleptic year: yyyy (year of era) would write the year 0 as 0001 and -5 as 0006.
    DateTimeFormatter WIRE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /**
     * The page as the contract's DTO, for Jackson: the reference that {@link PageEncoder}, which writes the answers,
     * is held to byte for byte (ForwardedAnswerTest).
     */
    default ShowDesktopPoolsScriptExecTasksResponse toResponse(TaskPage page) {
        ShowDesktopPoolsScriptExecTasksResponse response = new ShowDesktopPoolsScriptExecTasksResponse();
        response.setTotalCount(page.totalCount());
        response.setScriptExecutionTasks(page.tasks().stream().map(this::toDto).toList());
        return response;
    }

    @Mapping(target = "removeScriptsItem", ignore = true)
    dev.pooltasks.api.server.model.ScriptExecutionTask toDto(ScriptExecutionTask task);

    dev.pooltasks.api.server.model.Script toDto(Script script);

    /** The statistics, and the grouping and time zone they were counted by. */
    default ShowScriptExecutionTaskStatisticsResponse toResponse(TaskStatistics statistics, StatisticsQuery query) {
        ShowScriptExecutionTaskStatisticsResponse response = new ShowScriptExecutionTaskStatisticsResponse();
        response.setGroupBy(query.grouping().wireValue());
        response.setTimeZone(query.timeZone().getId());
        response.setTotal(toDto(statistics.total()));
        response.setGroups(statistics.groups().stream().map(this::toDto).toList());
        return response;
    }

    @Mapping(target = "taskCount", source = "tasks")
    @Mapping(target = "statusCounts", source = "byStatus")
    @Mapping(target = "firstStartTime", source = "firstStart")
    @Mapping(target = "lastStartTime", source = "lastStart")
    @Mapping(target = "removeStatusCountsItem", ignore = true)
    TaskCounts toDto(TaskStatistics.Counts counts);

    @Mapping(target = "taskCount", source = "counts.tasks")
    @Mapping(target = "statusCounts", source = "counts.byStatus")
    @Mapping(target = "successNum", source = "counts.successNum")
    @Mapping(target = "failedNum", source = "counts.failedNum")
    @Mapping(target = "skipNum", source = "counts.skipNum")
    @Mapping(target = "firstStartTime", source = "counts.firstStart")
    @Mapping(target = "lastStartTime", source = "counts.lastStart")
    @Mapping(target = "removeStatusCountsItem", ignore = true)
    TaskCountsGroup toDto(TaskStatistics.Group group);

    default String toWire(Instant time) {
        if (time == null) {
            return null;
        }
        byte[] out = new byte[PageEncoder.WIRE_TIME_LENGTH];
        return PageEncoder.writeTime(time, out, 0) < 0 ? WIRE_TIME.format(time)
                : new String(out, StandardCharsets.ISO_8859_1);
    }

    default String toWire(TaskStatus status) {
        return status == null ? null : status.value();
    }

    default String toWire(CommandType type) {
        return type == null ? null : type.value();
    }
}
