package dev.pooltasks.domain.port.out;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.concurrent.CompletionStage;

/**
 * Where tasks come from: the embedded sandbox, an upstream that speaks this API, or a federation of upstreams. An
 * implementation answers the whole query (filters, order, window and total count) the way the API defines it, without
 * blocking the calling thread. The answer fails with
 * {@link dev.pooltasks.domain.query.ProjectNotFoundException} when the source does not serve the project,
 * {@link TaskSourceUnavailableException}, {@link TaskSourceRejectedException} or {@link TaskSourceThrottledException}.
 */
public interface LoadScriptExecutionTasksPort {

    CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller);

    /**
     * The answer this source holds ready for the query, if it can tell at once without calling anything: for a source
     * behind a cache, the copy {@link #loadTasks} would answer with now (the same instance while it is fresh). Null
     * when it holds none or cannot tell; by default, always.
     */
    default TaskPage heldAnswer(TaskQuery query, Caller caller) {
        return null;
    }
}
