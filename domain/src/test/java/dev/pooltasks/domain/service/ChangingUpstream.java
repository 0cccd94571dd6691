package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Test double for an upstream whose tasks change over time: tasks are added, changed and removed between calls. It
 * answers with the API's semantics (filters, order, window, total count), reading time bounds as the wire carries them
 * (whole seconds: a lower bound rounded up, an upper bound down), records every query, and can fail chosen calls.
 */
final class ChangingUpstream implements LoadScriptExecutionTasksPort {
    final List<TaskQuery> received = new CopyOnWriteArrayList<>();
    private final Map<String, ScriptExecutionTask> tasks = new LinkedHashMap<>();
    private volatile Function<TaskQuery, RuntimeException> failure = query -> null;
    private volatile Set<String> missingBehind = Set.of();

    synchronized ChangingUpstream put(ScriptExecutionTask task) {
        tasks.put(task.id(), task);
        return this;
    }

    synchronized ChangingUpstream putAll(Collection<ScriptExecutionTask> values) {
        values.forEach(this::put);
        return this;
    }

    synchronized void remove(String id) {
        tasks.remove(id);
    }

    synchronized ScriptExecutionTask get(String id) {
        return tasks.get(id);
    }

    /** Every task, in API order: what a full walk of the API yields. */
    synchronized List<ScriptExecutionTask> all() {
        return tasks.values().stream().sorted(TaskOrder.NEWEST_FIRST).toList();
    }

    void failWith(Function<TaskQuery, RuntimeException> when) {
        failure = when;
    }

    /** Answers carry these missing sources (as another pooltasks fronting a partial federation would). */
    void missingBehind(Set<String> sources) {
        missingBehind = sources;
    }

    int calls() {
        return received.size();
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        received.add(query);
        RuntimeException e = failure.apply(query);
        if (e != null) {
            return CompletableFuture.failedFuture(e);
        }
        TaskQuery onTheWire = query;
        if (query.executeTimeStart() != null && query.executeTimeStart().getNano() != 0) {
            onTheWire = bounds(onTheWire, Instant.ofEpochSecond(query.executeTimeStart().getEpochSecond() + 1),
                    onTheWire.executeTimeEnd());
        }
        if (query.executeTimeEnd() != null && query.executeTimeEnd().getNano() != 0) {
            onTheWire = bounds(onTheWire, onTheWire.executeTimeStart(),
                    Instant.ofEpochSecond(query.executeTimeEnd().getEpochSecond()));
        }
        TaskQuery filters = onTheWire;
        List<ScriptExecutionTask> matching;
        synchronized (this) {
            matching = tasks.values().stream().filter(filters::matches).sorted(TaskOrder.NEWEST_FIRST).toList();
        }
        int from = Math.min(matching.size(), query.offset());
        int to = Math.min(matching.size(), from + query.limit());
        return CompletableFuture.completedFuture(new TaskPage(matching.size(), new ArrayList<>(matching.subList(from, to)),
                missingBehind, Set.of()));
    }

    private static TaskQuery bounds(TaskQuery q, Instant start, Instant end) {
        return new TaskQuery(q.projectId(), q.desktopPoolId(), q.scriptId(), q.scriptName(), q.status(), q.taskType(),
                start, end, q.taskIds(), q.offset(), q.limit());
    }
}
