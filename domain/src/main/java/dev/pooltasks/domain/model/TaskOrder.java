package dev.pooltasks.domain.model;

import java.util.Comparator;

/** The one order in which tasks are listed: newest {@code start_time} first, ties broken by {@code id} ascending. */
public final class TaskOrder {
    public static final Comparator<ScriptExecutionTask> NEWEST_FIRST =
            Comparator.comparing(ScriptExecutionTask::startTime, Comparator.reverseOrder())
                    .thenComparing(ScriptExecutionTask::id);

    private TaskOrder() {
    }
}
