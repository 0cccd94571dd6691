package dev.pooltasks.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import dev.pooltasks.client.model.ScriptExecutionTask;
import dev.pooltasks.client.model.ShowDesktopPoolsScriptExecTasksResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The generated client is framework-free: it runs with nothing but the JDK and Jackson on the classpath, against a
 * plain JDK HTTP stub that records what it receives and answers with canned bodies.
 */
class GeneratedClientStandaloneTest {
    private static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    private static final String PATH = "/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail";

    /** One page: an unknown extra field at both levels, a finished SCRIPT task and an unfinished COMMAND task. */
    private static final String PAGE = """
            {
              "total_count": 57,
              "some_future_field": {"nested": [1, 2, 3]},
              "script_execution_tasks": [
                {
                  "id": "task-1",
                  "desktop_pool_id": "pool-1",
                  "desktop_pool_name": "finance-win11",
                  "scripts": [{"id": "script-1", "name": "Install Chrome", "extra": true}],
                  "start_time": "2026-11-26T09:14:02Z",
                  "end_time": "2026-11-26T09:21:40Z",
                  "status": "FINISH",
                  "success_num": 118,
                  "failed_num": 2,
                  "skip_num": 1,
                  "brand_new_field": "ignored"
                },
                {
                  "id": "task-2",
                  "desktop_pool_id": "pool-1",
                  "desktop_pool_name": "finance-win11",
                  "scripts": [],
                  "command_content": "ipconfig /flushdns",
                  "command_type": "BAT",
                  "start_time": "2026-11-26T08:00:00Z",
                  "status": "RUNNING",
                  "success_num": 40,
                  "failed_num": 0,
                  "skip_num": 0
                }
              ]
            }
            """;
    private static final String BAD_REQUEST = """
            {"error_code":"WKS.1001","error_msg":"limit must be between 0 and 100","error_detail":"limit"}""";

    private record Recorded(String method, String path, String rawQuery, String accept, String authToken) {}

    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile int status = 200;
    private volatile String body = PAGE;

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopStub() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.add(new Recorded(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Accept"),
                exchange.getRequestHeaders().getFirst("X-Auth-Token")));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Request-Id", "stub-request-1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private DesktopPoolScriptTasksApi api() {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
        return new DesktopPoolScriptTasksApi(client);
    }

    @Test
    void quarkusIsNotOnTheClasspath() {
        assertThatThrownBy(() -> Class.forName("io.quarkus.runtime.Quarkus"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.vertx.core.Vertx"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void withoutABaseUriTheClientCallsALocalPooltasksOnItsDefaultPort() {
        // From the contract's servers entry (the served copy at /q/openapi is relative; the file is not).
        assertThat(new ApiClient().getBaseUri()).isEqualTo("http://localhost:8080");
    }

    @Test
    void sendsEveryParameterAndParsesThePage() throws Exception {
        ShowDesktopPoolsScriptExecTasksResponse page = api().showDesktopPoolsScriptExecTasks(
                PROJECT, "token-123", "pool-1", "script-1", "Install Chrome", "SUCCESS", "SCRIPT",
                "2026-11-01T00:00:00Z", "2026-11-27T23:59:59+08:00", List.of("a", "b"), 20, 7);

        assertThat(requests).hasSize(1);
        Recorded request = requests.get(0);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo(PATH);
        assertThat(request.accept()).isEqualTo("application/json");
        assertThat(request.authToken()).isEqualTo("token-123");
        // Repeated task_id is exploded (key repeated), exactly as the official Huawei SDK sends it.
        assertThat(request.rawQuery()).contains("task_id=a&task_id=b");
        assertThat(request.rawQuery().split("&")).containsExactlyInAnyOrder(
                "desktop_pool_id=pool-1",
                "script_id=script-1",
                "script_name=Install%20Chrome",
                "status=SUCCESS",
                "task_type=SCRIPT",
                "execute_time_start=2026-11-01T00%3A00%3A00Z",
                "execute_time_end=2026-11-27T23%3A59%3A59%2B08%3A00",
                "task_id=a",
                "task_id=b",
                "offset=20",
                "limit=7");

        assertThat(page.getTotalCount()).isEqualTo(57);
        assertThat(page.getScriptExecutionTasks()).hasSize(2);

        ScriptExecutionTask finished = page.getScriptExecutionTasks().get(0);
        assertThat(finished.getId()).isEqualTo("task-1");
        assertThat(finished.getDesktopPoolId()).isEqualTo("pool-1");
        assertThat(finished.getDesktopPoolName()).isEqualTo("finance-win11");
        assertThat(finished.getScripts()).singleElement().satisfies(script -> {
            assertThat(script.getId()).isEqualTo("script-1");
            assertThat(script.getName()).isEqualTo("Install Chrome");
        });
        assertThat(finished.getCommandContent()).isNull();
        assertThat(finished.getCommandType()).isNull();
        assertThat(finished.getStartTime()).isEqualTo("2026-11-26T09:14:02Z");
        assertThat(finished.getEndTime()).isEqualTo("2026-11-26T09:21:40Z");
        assertThat(finished.getStatus()).isEqualTo("FINISH");
        assertThat(finished.getSuccessNum()).isEqualTo(118);
        assertThat(finished.getFailedNum()).isEqualTo(2);
        assertThat(finished.getSkipNum()).isEqualTo(1);

        ScriptExecutionTask running = page.getScriptExecutionTasks().get(1);
        assertThat(running.getId()).isEqualTo("task-2");
        assertThat(running.getScripts()).isEmpty();
        assertThat(running.getCommandContent()).isEqualTo("ipconfig /flushdns");
        assertThat(running.getCommandType()).isEqualTo("BAT");
        assertThat(running.getStartTime()).isEqualTo("2026-11-26T08:00:00Z");
        assertThat(running.getEndTime()).as("end_time absent while the task runs").isNull();
        assertThat(running.getStatus()).isEqualTo("RUNNING");
        assertThat(running.getSuccessNum()).isEqualTo(40);
        assertThat(running.getFailedNum()).isZero();
        assertThat(running.getSkipNum()).isZero();
    }

    @Test
    void leavesUnsetParametersOutOfTheQuery() throws Exception {
        api().showDesktopPoolsScriptExecTasks(PROJECT, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo(PATH);
            assertThat(request.rawQuery()).isNull();
            assertThat(request.authToken()).isNull();
        });
    }

    @Test
    void aSingleTaskIdIsSentOnceAndAnEmptyListNotAtAll() throws Exception {
        api().showDesktopPoolsScriptExecTasks(PROJECT, null, null, null, null, null, null, null, null,
                List.of("only"), null, null);
        api().showDesktopPoolsScriptExecTasks(PROJECT, null, null, null, null, null, null, null, null,
                List.of(), null, 5);

        assertThat(requests).extracting(Recorded::rawQuery).containsExactly("task_id=only", "limit=5");
    }

    @Test
    void aNewClientHasFiniteTimeoutsAndEveryCallCarriesTheReadTimeout() throws Exception {
        ApiClient client = new ApiClient();
        assertThat(client.getReadTimeout()).isEqualTo(ApiClient.DEFAULT_READ_TIMEOUT).isEqualTo(Duration.ofSeconds(60));
        assertThat(client.getConnectTimeout()).isEqualTo(ApiClient.DEFAULT_CONNECT_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(client.getHttpClient().connectTimeout()).hasValue(Duration.ofSeconds(10));

        List<Optional<Duration>> timeouts = new CopyOnWriteArrayList<>();
        client.updateBaseUri("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
        client.setRequestInterceptor(request -> timeouts.add(request.copy().build().timeout()));
        new DesktopPoolScriptTasksApi(client).showDesktopPoolsScriptExecTasks(
                PROJECT, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(timeouts).containsExactly(Optional.of(Duration.ofSeconds(60)));

        ApiClient ownBuilder = new ApiClient(HttpClient.newBuilder(), ApiClient.createDefaultObjectMapper(), null);
        assertThat(ownBuilder.getReadTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ownBuilder.getHttpClient().connectTimeout()).as("the caller's builder decides").isEmpty();
        assertThat(ownBuilder.getConnectTimeout()).isNull();

        ApiClient builderSetLater = new ApiClient().setHttpClientBuilder(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)));
        assertThat(builderSetLater.getConnectTimeout()).as("not the default, which no longer applies").isNull();
        assertThat(builderSetLater.getHttpClient().connectTimeout()).hasValue(Duration.ofSeconds(3));
    }

    @Test
    void aServiceThatNeverAnswersFailsTheCallOnceTheReadTimeoutPasses() throws Exception {
        CountDownLatch released = new CountDownLatch(1);
        server.createContext("/v2/stalled", exchange -> {
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
        client.setReadTimeout(Duration.ofMillis(300));
        try {
            ApiException error = catchThrowableOfType(ApiException.class, () -> new DesktopPoolScriptTasksApi(client)
                    .showDesktopPoolsScriptExecTasks("stalled", null, null, null, null, null, null, null, null, null,
                            null, null));
            assertThat(error).isNotNull().hasCauseInstanceOf(HttpTimeoutException.class);
        } finally {
            released.countDown();
        }
    }

    @Test
    void anErrorStatusBecomesAnApiExceptionCarryingTheBody() {
        status = 400;
        body = BAD_REQUEST;

        ApiException error = catchThrowableOfType(ApiException.class, () -> api().showDesktopPoolsScriptExecTasks(
                PROJECT, null, null, null, null, null, null, null, null, null, null, 101));

        assertThat(error).isNotNull();
        assertThat(error.getCode()).isEqualTo(400);
        assertThat(error.getResponseBody()).isEqualTo(BAD_REQUEST);
        assertThat(error.getResponseHeaders().firstValue("X-Request-Id")).hasValue("stub-request-1");
        assertThat(error.getMessage()).contains("showDesktopPoolsScriptExecTasks").contains("400");
        assertThat(requests).singleElement().extracting(Recorded::rawQuery).isEqualTo("limit=101");
    }

    @Test
    void decodesAnswersAsUtf8WhateverTheJvmsDefaultCharset() throws Exception {
        // This module's tests run with an ASCII default charset (its pom), as Java 17 has in a container without a
        // locale; the generator's template would decode every non-ASCII character of these answers as U+FFFD.
        assertThat(Charset.defaultCharset()).isEqualTo(StandardCharsets.US_ASCII);
        body = PAGE.replace("finance-win11", "财务部-Win11 桌面池").replace("Install Chrome", "安装 Chrome « é »");

        ShowDesktopPoolsScriptExecTasksResponse page = api().showDesktopPoolsScriptExecTasks(
                PROJECT, null, null, null, "安装", null, null, null, null, null, null, null);

        assertThat(requests).singleElement().extracting(Recorded::rawQuery)
                .isEqualTo("script_name=%E5%AE%89%E8%A3%85");
        ScriptExecutionTask first = page.getScriptExecutionTasks().get(0);
        assertThat(first.getDesktopPoolName()).isEqualTo("财务部-Win11 桌面池");
        assertThat(first.getScripts()).singleElement().extracting(script -> script.getName())
                .isEqualTo("安装 Chrome « é »");

        status = 400;
        body = "{\"error_code\":\"WKS.1001\",\"error_msg\":\"脚本名称「安装」无效\"}";
        ApiException error = catchThrowableOfType(ApiException.class, () -> api().showDesktopPoolsScriptExecTasks(
                PROJECT, null, null, null, null, null, null, null, null, null, null, null));
        assertThat(error.getResponseBody()).isEqualTo(body);
    }
}
