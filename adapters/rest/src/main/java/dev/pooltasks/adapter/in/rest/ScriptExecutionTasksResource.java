package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.api.server.V2Api;
import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.domain.port.in.ListScriptExecutionTasksUseCase;
import dev.pooltasks.domain.query.TaskQuery;
import jakarta.inject.Inject;

import java.util.List;

/** The API's one endpoint: turns wire parameters into a domain query and the domain's page into the wire answer. */
public class ScriptExecutionTasksResource implements V2Api {
    private final ListScriptExecutionTasksUseCase listTasks;
    private final TaskDtoMapper mapper;

    @Inject
    public ScriptExecutionTasksResource(ListScriptExecutionTasksUseCase listTasks, TaskDtoMapper mapper) {
        this.listTasks = listTasks;
        this.mapper = mapper;
    }

    @Override
    public ShowDesktopPoolsScriptExecTasksResponse showDesktopPoolsScriptExecTasks(
            String projectId, String xAuthToken, String desktopPoolId, String scriptId, String scriptName,
            String status, String taskType, String executeTimeStart, String executeTimeEnd, List<String> taskId,
            Integer offset, Integer limit) {
        TaskQuery query = TaskQuery.builder(projectId)
                .desktopPoolId(desktopPoolId)
                .scriptId(scriptId)
                .scriptName(scriptName)
                .status(status)
                .taskType(taskType)
                .executeTimeStart(executeTimeStart)
                .executeTimeEnd(executeTimeEnd)
                .taskIds(taskId)
                .offset(offset)
                .limit(limit)
                .build();
        return mapper.toResponse(listTasks.listTasks(query));
    }
}
