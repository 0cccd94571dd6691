package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.in.ListScriptExecutionTasksUseCase;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.Objects;

/** Answers task queries from the configured task source. */
public final class ListScriptExecutionTasksService implements ListScriptExecutionTasksUseCase {
    private final LoadScriptExecutionTasksPort tasks;

    public ListScriptExecutionTasksService(LoadScriptExecutionTasksPort tasks) {
        this.tasks = Objects.requireNonNull(tasks, "tasks");
    }

    @Override
    public TaskPage listTasks(TaskQuery query) {
        TaskPage page = tasks.loadTasks(query);
        if (page.tasks().size() > query.limit()) {
            throw new IllegalStateException("task source returned " + page.tasks().size()
                    + " tasks for limit " + query.limit());
        }
        return page;
    }
}
