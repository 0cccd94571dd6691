package dev.pooltasks.domain.port.in;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.concurrent.CompletionStage;

/** Find, filter and page the script execution tasks of a project's desktop pools. */
public interface ListScriptExecutionTasksUseCase {

    /**
     * The answer fails with {@link dev.pooltasks.domain.query.ProjectNotFoundException} when no task source serves
     * the project, or with one of the task source failures of
     * {@link dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort}.
     */
    CompletionStage<TaskPage> listTasks(TaskQuery query, Caller caller);
}
