package dev.pooltasks.domain.port.out;

import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.query.TaskQuery;

/**
 * Where tasks come from: the embedded sandbox, or an upstream that speaks this API. An implementation answers the
 * whole query (filters, order, window and total count) the way the API defines it.
 */
public interface LoadScriptExecutionTasksPort {

    /**
     * @throws dev.pooltasks.domain.query.ProjectNotFoundException when this source does not serve the project
     */
    TaskPage loadTasks(TaskQuery query);
}
