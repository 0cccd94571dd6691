package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.api.server.V2Api;
import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.api.server.model.ShowScriptExecutionTaskStatisticsResponse;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.in.ComputeTaskStatisticsUseCase;
import dev.pooltasks.domain.port.in.ListScriptExecutionTasksUseCase;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The API's operations, the list and its statistics (a pooltasks extension): turn wire parameters into a domain query
 * and the domain's answer into the wire answer. Non-blocking: the answer completes when the task source's does,
 * without holding a thread meanwhile.
 */
public class ScriptExecutionTasksResource implements V2Api {
    /** Names the federation members missing from a partial answer. */
    public static final String MISSING_UPSTREAMS = "X-Pooltasks-Missing-Upstreams";
    /** Names the upstreams whose part of the answer is an older cached copy. */
    public static final String STALE_UPSTREAMS = "X-Pooltasks-Stale-Upstreams";
    /** For an answer from a mirror: whole seconds since the mirror's last successful sync cycle. */
    public static final String MIRROR_AGE = "X-Pooltasks-Mirror-Age";

    private final ListScriptExecutionTasksUseCase listTasks;
    private final ComputeTaskStatisticsUseCase computeStatistics;
    private final TaskDtoMapper mapper;
    /** Encodes a page the first time it is answered; a page served again keeps its bytes ({@link TaskPage#body}). */
    private final Function<TaskPage, byte[]> encoder = PageEncoder::encode;

    @Context
    HttpServerResponse httpResponse;

    @Inject
    public ScriptExecutionTasksResource(ListScriptExecutionTasksUseCase listTasks,
                                        ComputeTaskStatisticsUseCase computeStatistics, TaskDtoMapper mapper) {
        this.listTasks = listTasks;
        this.computeStatistics = computeStatistics;
        this.mapper = mapper;
    }

    @Override
    public CompletionStage<ShowDesktopPoolsScriptExecTasksResponse> showDesktopPoolsScriptExecTasks(
            String projectId, String xAuthToken, String desktopPoolId, String scriptId, String scriptName,
            String status, String taskType, String executeTimeStart, String executeTimeEnd, List<String> taskId,
            Integer offset, Integer limit) {
        TaskQuery query = filters(projectId, desktopPoolId, scriptId, scriptName, status, taskType,
                executeTimeStart, executeTimeEnd, taskId)
                .offset(offset)
                .limit(limit)
                .build();
        // The page's headers go with the answer, set by its writer (EncodedTasksResponseWriter).
        CompletableFuture<ShowDesktopPoolsScriptExecTasksResponse> answer = new CompletableFuture<>();
        listTasks.listTasks(query, AuthenticatedCaller.current()).whenComplete((page, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(unwrap(failure));
                return;
            }
            try {
                answer.complete(new EncodedTasksResponse(page.body(encoder), page));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    @Override
    public CompletionStage<ShowScriptExecutionTaskStatisticsResponse> showScriptExecutionTaskStatistics(
            String projectId, String groupBy, String xAuthToken, String timeZone, String desktopPoolId,
            String scriptId, String scriptName, String status, String taskType, String executeTimeStart,
            String executeTimeEnd, List<String> taskId) {
        StatisticsQuery query = StatisticsQuery.of(filters(projectId, desktopPoolId, scriptId, scriptName, status,
                taskType, executeTimeStart, executeTimeEnd, taskId).build(), groupBy, timeZone);
        // The injected response is a request-scoped proxy that only works while the request context is active; the
        // answer may complete on another thread (an upstream's time-out or retry), so keep the response's own headers.
        MultiMap headers = httpResponse.headers();
        CompletableFuture<ShowScriptExecutionTaskStatisticsResponse> answer = new CompletableFuture<>();
        computeStatistics.computeStatistics(query, AuthenticatedCaller.current()).whenComplete((statistics, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(unwrap(failure));
                return;
            }
            try {
                describeSources(headers, statistics.missingSources(), statistics.staleSources());
                answer.complete(mapper.toResponse(statistics, query));
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    /** The list's filters, as both operations take them. */
    private static TaskQuery.Builder filters(String projectId, String desktopPoolId, String scriptId,
                                             String scriptName, String status, String taskType,
                                             String executeTimeStart, String executeTimeEnd, List<String> taskId) {
        return TaskQuery.builder(projectId)
                .desktopPoolId(desktopPoolId)
                .scriptId(scriptId)
                .scriptName(scriptName)
                .status(status)
                .taskType(taskType)
                .executeTimeStart(executeTimeStart)
                .executeTimeEnd(executeTimeEnd)
                .taskIds(taskId);
    }

    private static void describeSources(MultiMap headers, Set<String> missing, Set<String> stale) {
        if (!missing.isEmpty()) {
            headers.set(MISSING_UPSTREAMS, sourcesHeader(missing));
        }
        if (!stale.isEmpty()) {
            headers.set(STALE_UPSTREAMS, sourcesHeader(stale));
        }
    }

    /** The value of {@link #MISSING_UPSTREAMS} or {@link #STALE_UPSTREAMS} for these sources; null for none. */
    static String sourcesHeader(Set<String> sources) {
        return sources.isEmpty() ? null : String.join(",", sources);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
