package dev.pooltasks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.huaweicloud.sdk.core.HttpListener;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.exception.ClientRequestException;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.workspace.v2.WorkspaceClient;
import com.huaweicloud.sdk.workspace.v2.model.Script;
import com.huaweicloud.sdk.workspace.v2.model.ScriptExecutionTask;
import com.huaweicloud.sdk.workspace.v2.model.ScriptExecutionTask.StatusEnum;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksRequest;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.pooltasks.e2e.RunningPooltasks.PROJECT_ID;
import static dev.pooltasks.e2e.RunningPooltasks.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The deployable artifact, seen through the official Huawei Cloud SDK ({@code huaweicloud-sdk-workspace}) exactly as a
 * Workspace customer would use it, only pointed at the local service. The SDK signs every request with AK/SK; the
 * service does not check signatures, so a dummy pair works.
 *
 * <p>Plain {@code http://} endpoints need no setting: {@code ClientBuilder} keeps an endpoint that already starts
 * with "http" and prefixes "https://" only to one without a scheme; {@code ignoreSSLVerification} is set only so that
 * the configuration looks like a typical test setup and has no effect on http.
 */
@PooltasksE2E
class HuaweiSdkEndToEndTest {
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";
    private static final Set<StatusEnum> DOCUMENTED = Set.of(StatusEnum.FINISH, StatusEnum.FAILED, StatusEnum.RUNNING, StatusEnum.INIT);

    /** What the SDK's listeners saw of the last exchange. */
    private static final class Exchange {
        volatile String requestUri;
        volatile Map<String, List<String>> requestHeaders = Map.of();
        volatile int responseStatus;
        volatile Map<String, List<String>> responseHeaders = Map.of();

        void reset() {
            requestUri = null;
            requestHeaders = Map.of();
            responseStatus = 0;
            responseHeaders = Map.of();
        }

        String responseHeader(String name) {
            List<String> values = responseHeaders.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String requestHeader(String name) {
            List<String> values = requestHeaders.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private static final Exchange last = new Exchange();
    private static RunningPooltasks app;
    private static WorkspaceClient sdk;
    private static List<ScriptExecutionTask> all;

    @BeforeAll
    static void connect(RunningPooltasks running) {
        app = running;
        sdk = client(PROJECT_ID);
        all = List.copyOf(fetchAll(new ShowDesktopPoolsScriptExecTasksRequest(), 100));
    }

    @BeforeEach
    void forgetTheLastExchange() {
        last.reset();
    }

    static WorkspaceClient client(String projectId) {
        HttpConfig config = HttpConfig.getDefaultHttpConfig()
                .withIgnoreSSLVerification(true)
                .withTimeout(30)
                .addHttpListener(HttpListener.forRequestListener(request -> {
                    last.requestUri = request.uri();
                    last.requestHeaders = lowerCaseKeys(request.headers());
                }))
                .addHttpListener(HttpListener.forResponseListener(response -> {
                    last.responseStatus = response.statusCode();
                    last.responseHeaders = lowerCaseKeys(response.headers());
                }));
        BasicCredentials credentials = new BasicCredentials()
                .withAk("E2EDUMMYACCESSKEY000")
                .withSk("e2e-dummy-secret-key-not-checked")
                .withProjectId(projectId);
        return WorkspaceClient.newBuilder()
                .withCredential(credentials)
                .withHttpConfig(config)
                .withEndpoints(List.of(app.baseUri()))
                .build();
    }

    // ---------------------------------------------------------------- pages

    @Test
    void defaultPageAndTotalCount() {
        ShowDesktopPoolsScriptExecTasksResponse page = sdk.showDesktopPoolsScriptExecTasks(new ShowDesktopPoolsScriptExecTasksRequest());

        assertThat(page.getHttpStatusCode()).isEqualTo(200);
        assertThat(page.getTotalCount()).isEqualTo(TASKS);
        assertThat(page.getScriptExecutionTasks()).containsExactlyElementsOf(all.subList(0, 10));
        assertThat(all).hasSize(TASKS);
        assertThat(all).extracting(ScriptExecutionTask::getId).doesNotHaveDuplicates();
    }

    @Test
    void pagingIsConsistent() {
        List<ScriptExecutionTask> bySeven = fetchAll(new ShowDesktopPoolsScriptExecTasksRequest(), 7);
        assertThat(bySeven).containsExactlyElementsOf(all);

        ShowDesktopPoolsScriptExecTasksResponse middle = sdk.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest().withOffset(333).withLimit(50));
        assertThat(middle.getScriptExecutionTasks()).containsExactlyElementsOf(all.subList(333, 383));

        ShowDesktopPoolsScriptExecTasksResponse countOnly = sdk.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest().withLimit(0));
        assertThat(countOnly.getTotalCount()).isEqualTo(TASKS);
        assertThat(countOnly.getScriptExecutionTasks()).isEmpty();

        ShowDesktopPoolsScriptExecTasksResponse pastTheEnd = sdk.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest().withOffset(TASKS + 10).withLimit(100));
        assertThat(pastTheEnd.getTotalCount()).isEqualTo(TASKS);
        assertThat(pastTheEnd.getScriptExecutionTasks()).isEmpty();
    }

    @Test
    void tasksAreInStartTimeDescendingThenIdOrder() {
        for (int i = 1; i < all.size(); i++) {
            ScriptExecutionTask before = all.get(i - 1);
            ScriptExecutionTask after = all.get(i);
            int byTime = Instant.parse(after.getStartTime()).compareTo(Instant.parse(before.getStartTime()));
            assertThat(byTime).as("start_time of #%d vs #%d", i, i - 1).isNotPositive();
            if (byTime == 0) {
                assertThat(after.getId()).as("id tie-break at #%d", i).isGreaterThan(before.getId());
            }
        }
    }

    // ---------------------------------------------------------------- parsing

    @Test
    void everyFieldIsParsedAsTheServiceSentIt() throws Exception {
        // The same tasks read as raw JSON, independently of both clients.
        List<JsonNode> raw = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        HttpClient http = JdkHttp.client();
        for (int offset = 0; offset < TASKS; offset += 100) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(app.baseUri() + "/v2/" + PROJECT_ID
                    + "/desktop-pools/script-execution-tasks/detail?limit=100&offset=" + offset)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            json.readTree(response.body()).path("script_execution_tasks").forEach(raw::add);
        }
        assertThat(raw).hasSize(all.size());

        for (int i = 0; i < all.size(); i++) {
            ScriptExecutionTask task = all.get(i);
            JsonNode node = raw.get(i);
            assertThat(task.getId()).isEqualTo(node.path("id").asText());
            assertThat(task.getDesktopPoolId()).isEqualTo(node.path("desktop_pool_id").asText());
            assertThat(task.getDesktopPoolName()).isEqualTo(textOrNull(node, "desktop_pool_name"));
            assertThat(task.getCommandContent()).isEqualTo(textOrNull(node, "command_content"));
            assertThat(task.getCommandType()).isEqualTo(textOrNull(node, "command_type"));
            assertThat(task.getStartTime()).isEqualTo(node.path("start_time").asText()).matches(TIME);
            assertThat(task.getEndTime()).isEqualTo(textOrNull(node, "end_time"));
            assertThat(task.getStatus().getValue()).isEqualTo(node.path("status").asText());
            assertThat(task.getSuccessNum()).isEqualTo(node.path("success_num").asInt());
            assertThat(task.getFailedNum()).isEqualTo(node.path("failed_num").asInt());
            assertThat(task.getSkipNum()).isEqualTo(node.path("skip_num").asInt());
            List<String> scripts = new ArrayList<>();
            node.path("scripts").forEach(script -> scripts.add(script.path("id").asText() + "|" + script.path("name").asText()));
            assertThat(scripts(task)).extracting(script -> script.getId() + "|" + script.getName())
                    .containsExactlyElementsOf(scripts);
        }
    }

    @Test
    void statusesAreTheSdksOwnConstantsAndTimesAreStrings() {
        assertThat(all).extracting(ScriptExecutionTask::getStatus).allMatch(DOCUMENTED::contains);
        assertThat(all).extracting(ScriptExecutionTask::getStatus).as("every documented status occurs in the data")
                .containsAll(DOCUMENTED);
        for (ScriptExecutionTask task : all) {
            assertThat(task.getStartTime()).matches(TIME);
            if (task.getStatus().equals(StatusEnum.FINISH) || task.getStatus().equals(StatusEnum.FAILED)) {
                assertThat(task.getEndTime()).as("end_time of %s", task.getId()).matches(TIME);
                assertThat(Instant.parse(task.getEndTime())).isAfterOrEqualTo(Instant.parse(task.getStartTime()));
            } else {
                assertThat(task.getEndTime()).as("end_time of unfinished %s", task.getId()).isNull();
            }
            assertThat(task.getSuccessNum()).isNotNull().isNotNegative();
            assertThat(task.getFailedNum()).isNotNull().isNotNegative();
            assertThat(task.getSkipNum()).isNotNull().isNotNegative();
            if (task.getCommandContent() != null) {
                assertThat(task.getCommandType()).isIn("POWERSHELL", "BAT", "SHELL");
                assertThat(scripts(task)).isEmpty();
            } else {
                assertThat(scripts(task)).isNotEmpty().allSatisfy(script -> {
                    assertThat(script.getId()).isNotBlank();
                    assertThat(script.getName()).isNotBlank();
                });
            }
        }
    }

    // ---------------------------------------------------------------- filters

    @ParameterizedTest(name = "status={0} gives {1}")
    @CsvSource({"SUCCESS, FINISH", "FAILED, FAILED", "RUNNING, RUNNING", "WAITING, INIT"})
    void filtersByStatus(String filter, String expectedStatus) {
        StatusEnum status = StatusEnum.fromValue(expectedStatus);
        List<ScriptExecutionTask> expected = assertMatches(request -> request.withStatus(filter),
                task -> task.getStatus().equals(status));
        assertThat(expected).as("tasks with status %s", expectedStatus).isNotEmpty();
    }

    @ParameterizedTest(name = "task_type={0}")
    @CsvSource({"SCRIPT", "COMMAND"})
    void filtersByTaskType(String taskType) {
        boolean command = taskType.equals("COMMAND");
        List<ScriptExecutionTask> expected = assertMatches(request -> request.withTaskType(taskType),
                task -> (task.getCommandContent() != null && scripts(task).isEmpty()) == command);
        assertThat(expected).isNotEmpty().hasSizeLessThan(TASKS);
    }

    @Test
    void filtersByTaskIdList() {
        List<String> ids = new ArrayList<>(List.of(all.get(5).getId(), all.get(250).getId(), all.get(999).getId(),
                all.get(0).getId()));
        ids.add("no-such-task");
        Set<String> wanted = Set.copyOf(ids);
        List<ScriptExecutionTask> expected = assertMatches(request -> request.withTaskId(new ArrayList<>(ids)),
                task -> wanted.contains(task.getId()));
        assertThat(expected).hasSize(4);

        // The SDK repeats the key, which the service reads as a list.
        sdk.showDesktopPoolsScriptExecTasks(new ShowDesktopPoolsScriptExecTasksRequest().withTaskId(List.of("a", "b")));
        assertThat(URI.create(last.requestUri).getRawQuery().split("&")).contains("task_id=a", "task_id=b");
    }

    @Test
    void filtersByDesktopPoolId() {
        Set<String> pools = all.stream().map(ScriptExecutionTask::getDesktopPoolId).collect(Collectors.toCollection(LinkedHashSet::new));
        assertThat(pools).hasSizeGreaterThan(1);
        for (String pool : pools) {
            assertMatches(request -> request.withDesktopPoolId(pool), task -> task.getDesktopPoolId().equals(pool));
        }
    }

    @Test
    void filtersByScriptIdAndName() {
        Script script = all.stream().flatMap(task -> scripts(task).stream()).findFirst().orElseThrow();
        assertMatches(request -> request.withScriptId(script.getId()),
                task -> scripts(task).stream().anyMatch(s -> s.getId().equals(script.getId())));
        String needle = script.getName().substring(1, script.getName().length() - 1).toUpperCase(java.util.Locale.ROOT);
        assertMatches(request -> request.withScriptName(needle), task -> scripts(task).stream()
                .anyMatch(s -> s.getName().toUpperCase(java.util.Locale.ROOT).contains(needle)));
    }

    @Test
    void filtersByTimeWindowInclusively() {
        String from = all.get(800).getStartTime();
        String to = all.get(150).getStartTime();
        List<ScriptExecutionTask> expected = assertMatches(
                request -> request.withExecuteTimeStart(from).withExecuteTimeEnd(to),
                task -> !Instant.parse(task.getStartTime()).isBefore(Instant.parse(from))
                        && !Instant.parse(task.getStartTime()).isAfter(Instant.parse(to)));
        assertThat(expected).contains(all.get(800), all.get(150));
        assertThat(URI.create(last.requestUri).getRawQuery()).contains("execute_time_start=" + from.replace(":", "%3A"));
    }

    @Test
    void filtersCombine() {
        String pool = all.get(0).getDesktopPoolId();
        List<ScriptExecutionTask> expected = assertMatches(
                request -> request.withDesktopPoolId(pool).withStatus("SUCCESS").withTaskType("COMMAND"),
                task -> task.getDesktopPoolId().equals(pool) && task.getStatus().equals(StatusEnum.FINISH)
                        && task.getCommandContent() != null);
        assertThat(expected).isNotEmpty();
    }

    // ---------------------------------------------------------------- the SDK's own request is accepted

    @Test
    void theSignedSdkRequestIsAcceptedAsItIs() {
        ShowDesktopPoolsScriptExecTasksResponse page = sdk.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest().withLimit(3));

        assertThat(page.getScriptExecutionTasks()).containsExactlyElementsOf(all.subList(0, 3));
        assertThat(last.requestUri).startsWith(app.baseUri() + "/v2/" + PROJECT_ID + "/desktop-pools/script-execution-tasks/detail");
        assertThat(last.requestHeader("Authorization")).startsWith("SDK-HMAC-SHA256 Access=E2EDUMMYACCESSKEY000");
        assertThat(last.requestHeader("X-Sdk-Date")).matches("\\d{8}T\\d{6}Z");
        assertThat(last.requestHeader("X-Project-Id")).isEqualTo(PROJECT_ID);
        assertThat(last.requestHeader("Content-Type")).startsWith("application/json");
        assertThat(last.responseStatus).isEqualTo(200);
        assertThat(last.responseHeader("X-Request-Id")).isNotBlank();
    }

    // ---------------------------------------------------------------- errors

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("limit=101", new ShowDesktopPoolsScriptExecTasksRequest().withLimit(101)),
                Arguments.of("offset=-1", new ShowDesktopPoolsScriptExecTasksRequest().withOffset(-1)),
                Arguments.of("status=bogus", new ShowDesktopPoolsScriptExecTasksRequest().withStatus("bogus")),
                Arguments.of("task_type=bogus", new ShowDesktopPoolsScriptExecTasksRequest().withTaskType("bogus")),
                Arguments.of("execute_time_start=garbage", new ShowDesktopPoolsScriptExecTasksRequest().withExecuteTimeStart("garbage")),
                Arguments.of("start after end", new ShowDesktopPoolsScriptExecTasksRequest()
                        .withExecuteTimeStart("2026-10-20T00:00:01Z").withExecuteTimeEnd("2026-10-20T00:00:00Z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidParametersRaiseClientRequestException(String description, ShowDesktopPoolsScriptExecTasksRequest request) {
        ClientRequestException error = catchThrowableOfType(ClientRequestException.class,
                () -> sdk.showDesktopPoolsScriptExecTasks(request));

        assertThat(error).as(description).isNotNull();
        assertThat(error.getHttpStatusCode()).isEqualTo(400);
        assertThat(error.getErrorCode()).isEqualTo("WKS.1001");
        assertThat(error.getErrorMsg()).isNotBlank();
        assertThat(last.responseStatus).isEqualTo(400);
        assertThat(error.getRequestId()).as("request id the SDK reports").isNotNull()
                .isEqualTo(last.responseHeader("X-Request-Id"));
    }

    @Test
    void anUnknownProjectRaisesA404() {
        WorkspaceClient stranger = client("ffffffffffffffffffffffffffffffff");

        ClientRequestException error = catchThrowableOfType(ClientRequestException.class,
                () -> stranger.showDesktopPoolsScriptExecTasks(new ShowDesktopPoolsScriptExecTasksRequest()));

        assertThat(error).isNotNull();
        assertThat(error.getHttpStatusCode()).isEqualTo(404);
        assertThat(error.getErrorCode()).isEqualTo("WKS.1002");
        assertThat(error.getErrorMsg()).isNotBlank();
        assertThat(error.getRequestId()).isNotNull().isEqualTo(last.responseHeader("X-Request-Id"));
    }

    // ---------------------------------------------------------------- helpers

    private static List<ScriptExecutionTask> fetchAll(ShowDesktopPoolsScriptExecTasksRequest filter, int limit) {
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        Integer total = null;
        for (int offset = 0; total == null || offset < total; offset += limit) {
            ShowDesktopPoolsScriptExecTasksResponse page = sdk.showDesktopPoolsScriptExecTasks(copy(filter).withOffset(offset).withLimit(limit));
            if (total == null) {
                total = page.getTotalCount();
            }
            assertThat(page.getTotalCount()).as("total_count at offset %d", offset).isEqualTo(total);
            assertThat(page.getScriptExecutionTasks()).as("page at offset %d", offset).hasSize(Math.min(limit, total - offset));
            tasks.addAll(page.getScriptExecutionTasks());
        }
        return tasks;
    }

    private static List<ScriptExecutionTask> assertMatches(Consumer<ShowDesktopPoolsScriptExecTasksRequest> filter,
                                                           Predicate<ScriptExecutionTask> expectation) {
        ShowDesktopPoolsScriptExecTasksRequest request = new ShowDesktopPoolsScriptExecTasksRequest();
        filter.accept(request);
        List<ScriptExecutionTask> expected = all.stream().filter(expectation).toList();
        List<ScriptExecutionTask> actual = fetchAll(request, 100);
        assertThat(actual).as("tasks for %s", request).containsExactlyElementsOf(expected);
        ShowDesktopPoolsScriptExecTasksResponse count = sdk.showDesktopPoolsScriptExecTasks(copy(request).withOffset(0).withLimit(0));
        assertThat(count.getTotalCount()).as("total_count for %s", request).isEqualTo(expected.size());
        return expected;
    }

    private static ShowDesktopPoolsScriptExecTasksRequest copy(ShowDesktopPoolsScriptExecTasksRequest request) {
        return new ShowDesktopPoolsScriptExecTasksRequest()
                .withDesktopPoolId(request.getDesktopPoolId())
                .withScriptId(request.getScriptId())
                .withScriptName(request.getScriptName())
                .withStatus(request.getStatus())
                .withTaskType(request.getTaskType())
                .withExecuteTimeStart(request.getExecuteTimeStart())
                .withExecuteTimeEnd(request.getExecuteTimeEnd())
                .withTaskId(request.getTaskId() == null ? null : new ArrayList<>(request.getTaskId()))
                .withOffset(request.getOffset())
                .withLimit(request.getLimit());
    }

    private static List<Script> scripts(ScriptExecutionTask task) {
        return task.getScripts() == null ? List.of() : task.getScripts();
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        assertThat(value == null || !value.isNull()).as("%s is never sent as JSON null", field).isTrue();
        return value == null ? null : value.asText();
    }

    private static Map<String, List<String>> lowerCaseKeys(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> copy.put(name.toLowerCase(java.util.Locale.ROOT), values));
        }
        return Collections.unmodifiableMap(copy);
    }
}
