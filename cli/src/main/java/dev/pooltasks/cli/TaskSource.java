package dev.pooltasks.cli;

import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.ApiResponse;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import dev.pooltasks.client.model.ScriptExecutionTask;
import dev.pooltasks.client.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.client.model.ShowScriptExecutionTaskStatisticsResponse;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads tasks through the generated client: one page, every page from an offset on, or their statistics. A 429 is
 * waited out as its {@code Retry-After} says and the request repeated, at most {@value #MAX_RETRIES} times.
 */
final class TaskSource {
    /** The largest page the API serves. */
    static final int PAGE_LIMIT = 100;
    static final int MAX_RETRIES = 5;
    /** At least a second: a Retry-After of 0, or a date already past, would otherwise repeat the call at once. */
    static final Duration MIN_WAIT = Duration.ofSeconds(1);
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    static final String MISSING_HEADER = "X-Pooltasks-Missing-Upstreams";
    static final String STALE_HEADER = "X-Pooltasks-Stale-Upstreams";

    /**
     * One page of the answer.
     *
     * @param total   the API's total_count
     * @param tasks   the page's tasks
     * @param missing upstreams a pooltasks left out of the answer because they failed (a partial federation)
     * @param stale   upstreams whose part of the answer a pooltasks served from an older cached copy
     */
    record Page(int total, List<ScriptExecutionTask> tasks, Set<String> missing, Set<String> stale) {
    }

    /**
     * What a listing covered.
     *
     * @param offset  where it started
     * @param listed  tasks written
     * @param total   the API's total_count (of the last page read)
     * @param all     whether every page from the offset on was read
     * @param missing upstreams any page left out ({@link Page#missing})
     * @param stale   upstreams any page served from an older copy ({@link Page#stale})
     */
    record Listing(int offset, int listed, int total, boolean all, Set<String> missing, Set<String> stale) {
        Listing(int offset, Page page) {
            this(offset, page.tasks().size(), page.total(), false, page.missing(), page.stale());
        }
    }

    /**
     * The counts of the filter's tasks, grouped as asked.
     *
     * @param response the API's answer
     * @param missing  upstreams a pooltasks left out of the counts because they failed (a partial federation)
     * @param stale    upstreams whose part of the counts a pooltasks served from an older cached copy
     */
    record Counts(ShowScriptExecutionTaskStatisticsResponse response, Set<String> missing, Set<String> stale) {
    }

    /** A 2xx answer that is not what was asked for. */
    static final class MalformedAnswerException extends IOException {
        MalformedAnswerException(String message) {
            super(message);
        }
    }

    private final DesktopPoolScriptTasksApi api;
    private final String projectId;
    private final TaskFilter filter;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Progress progress;

    TaskSource(DesktopPoolScriptTasksApi api, String projectId, TaskFilter filter, Clock clock, Sleeper sleeper,
               Progress progress) {
        this.api = api;
        this.projectId = projectId;
        this.filter = filter;
        this.clock = clock;
        this.sleeper = sleeper;
        this.progress = progress;
    }

    /** One page. */
    Page page(int offset, int limit) throws ApiException, InterruptedException {
        ApiResponse<ShowDesktopPoolsScriptExecTasksResponse> answer = withRetries(() ->
                api.showDesktopPoolsScriptExecTasksWithHttpInfo(projectId, null, filter.poolId(), filter.scriptId(),
                        filter.scriptName(), filter.status(), filter.taskType(), filter.time().startParameter(),
                        filter.time().endParameter(), filter.taskIds(), offset, limit));
        ShowDesktopPoolsScriptExecTasksResponse response = answer.getData();
        if (response == null || response.getTotalCount() == null || response.getScriptExecutionTasks() == null) {
            throw new ApiException(new MalformedAnswerException("no total_count or script_execution_tasks"));
        }
        return new Page(response.getTotalCount(), response.getScriptExecutionTasks(),
                names(answer.getHeaders(), MISSING_HEADER), names(answer.getHeaders(), STALE_HEADER));
    }

    /**
     * The statistics of the filter's tasks (a pooltasks extension).
     *
     * @param groupBy  the API's group_by
     * @param timeZone the API's time_zone, or null for its default
     */
    Counts statistics(String groupBy, String timeZone) throws ApiException, InterruptedException {
        ApiResponse<ShowScriptExecutionTaskStatisticsResponse> answer = withRetries(() ->
                api.showScriptExecutionTaskStatisticsWithHttpInfo(projectId, groupBy, null, timeZone,
                        filter.poolId(), filter.scriptId(), filter.scriptName(), filter.status(), filter.taskType(),
                        filter.time().startParameter(), filter.time().endParameter(), filter.taskIds()));
        ShowScriptExecutionTaskStatisticsResponse response = answer.getData();
        if (response == null || response.getTotal() == null || response.getTotal().getTaskCount() == null
                || response.getGroups() == null
                || response.getGroups().stream().anyMatch(group -> group.getKey() == null
                        || group.getTaskCount() == null)) {
            throw new ApiException(new MalformedAnswerException("no total, groups or task_count"));
        }
        return new Counts(response, names(answer.getHeaders(), MISSING_HEADER),
                names(answer.getHeaders(), STALE_HEADER));
    }

    /** A call of the generated client. */
    @FunctionalInterface
    private interface Call<T> {
        ApiResponse<T> send() throws ApiException;
    }

    /** The call's answer, a 429 waited out as its Retry-After says and the call repeated. */
    private <T> ApiResponse<T> withRetries(Call<T> call) throws ApiException, InterruptedException {
        try {
            for (int retry = 1; ; retry++) {
                try {
                    return call.send();
                } catch (ApiException e) {
                    if (e.getCode() != 429 || retry > MAX_RETRIES) {
                        throw e;
                    }
                    Duration wait = retryAfter(e.getResponseHeaders(), clock.instant());
                    progress.rateLimited(wait, retry, MAX_RETRIES);
                    sleeper.sleep(wait);
                }
            }
        } finally {
            progress.clear();
        }
    }

    /** Receives the tasks of each page that were not listed before. */
    @FunctionalInterface
    interface PageSink {
        void accept(List<ScriptExecutionTask> tasks) throws IOException;
    }

    /**
     * Every page from {@code offset} on, {@value #PAGE_LIMIT} tasks at a time, each task handed to {@code sink} once:
     * tasks that arrive while the walk runs push older ones onto the next page, where they are seen again and
     * skipped by id. Ends at an empty page or when the offset reaches total_count.
     */
    Listing walk(int offset, PageSink sink) throws ApiException, InterruptedException, IOException {
        Set<String> seen = new HashSet<>();
        Set<String> missing = new TreeSet<>();
        Set<String> stale = new TreeSet<>();
        int next = offset;
        int total;
        while (true) {
            Page page = page(next, PAGE_LIMIT);
            total = page.total();
            missing.addAll(page.missing());
            stale.addAll(page.stale());
            List<ScriptExecutionTask> fresh = new ArrayList<>(page.tasks().size());
            for (ScriptExecutionTask task : page.tasks()) {
                if (seen.add(task.getId())) {
                    fresh.add(task);
                }
            }
            sink.accept(fresh);
            next += page.tasks().size();
            if (page.tasks().isEmpty() || next >= total) {
                break;
            }
            progress.listed(seen.size(), Math.max(0, total - offset));
        }
        return new Listing(offset, seen.size(), total, true, missing, stale);
    }

    /**
     * The names a header lists, comma-separated (none when it is absent). {@code headers} are the JDK's (the generated
     * client hands them over), whose names compare case-insensitively.
     */
    private static Set<String> names(Map<String, List<String>> headers, String header) {
        Set<String> names = new TreeSet<>();
        List<String> values = headers == null ? null : headers.get(header);
        if (values != null) {
            for (String value : values) {
                for (String name : value.split(",")) {
                    if (!name.isBlank()) {
                        names.add(name.trim());
                    }
                }
            }
        }
        return names;
    }

    /**
     * The wait a 429 asks for: {@code Retry-After} in seconds or as an HTTP date; one second when it is missing or
     * unreadable; between {@link #MIN_WAIT} and {@link #MAX_WAIT}.
     */
    static Duration retryAfter(HttpHeaders headers, Instant now) {
        String value = headers == null ? null : headers.firstValue("Retry-After").map(String::trim).orElse(null);
        Duration wait = MIN_WAIT;
        if (value != null && value.matches("\\d{1,9}")) {
            wait = Duration.ofSeconds(Long.parseLong(value));
        } else if (value != null) {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException e) {
                wait = MIN_WAIT;
            }
        }
        if (wait.compareTo(MIN_WAIT) < 0) {
            return MIN_WAIT;
        }
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }
}
