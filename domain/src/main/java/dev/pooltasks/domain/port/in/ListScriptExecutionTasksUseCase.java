package dev.pooltasks.domain.port.in;

import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.query.TaskQuery;

/** Find, filter and page the script execution tasks of a project's desktop pools. */
public interface ListScriptExecutionTasksUseCase {

    /**
     * @throws dev.pooltasks.domain.query.ProjectNotFoundException when no task source serves the project
     */
    TaskPage listTasks(TaskQuery query);
}
