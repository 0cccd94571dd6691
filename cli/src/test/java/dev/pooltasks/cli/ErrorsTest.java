package dev.pooltasks.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Failed calls: the API's error_code, error_msg and request id on standard error, and the documented exit code. */
class ErrorsTest {
    static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";

    @RegisterExtension
    static final StubApi api = StubApi.start();

    CliRunner.Result tasks(CliRunner runner, StubApi.Response response, String... more) {
        api.respond(request -> response);
        String[] args = {"tasks", "--endpoint", api.url(), "--project", PROJECT};
        String[] all = Stream.concat(Arrays.stream(args), Arrays.stream(more)).toArray(String[]::new);
        return runner.run(all);
    }

    @ParameterizedTest(name = "HTTP {0} {1} exits {3}")
    @CsvSource(delimiter = '|', value = {
            "401|APIG.0301|Incorrect IAM authentication information: verify aksk signature fail|3",
            "403|APIG.0302|The credentials may not read this project|3",
            "404|WKS.1002|The project is not served by this instance|4",
            "405|WKS.1004|Method not allowed|2",
            "500|WKS.1099|Internal error|5",
            "503|WKS.1006|An upstream is unavailable|5",
    })
    void apiErrorsPrintCodeMessageAndRequestId(int status, String code, String message, int exitCode) {
        CliRunner.Result result = tasks(new CliRunner(), StubApi.Response.error(status, code, message)
                .withHeader("X-Request-Id", "req-" + status));

        assertThat(result.exitCode()).isEqualTo(exitCode);
        assertThat(result.out()).as("nothing, not even the table's header").isEmpty();
        assertThat(result.err()).isEqualTo("pooltasks: HTTP " + status + " " + code + ": " + message
                + " (request id req-" + status + ")\n");
    }

    @Test
    void aBadRequestIsAUsageErrorAndNamesTheParameter() {
        CliRunner.Result result = tasks(new CliRunner(), StubApi.Response.json(400,
                "{\"error_code\":\"WKS.1001\",\"error_msg\":\"status must be one of SUCCESS, FAILED, RUNNING, "
                        + "WAITING\",\"error_detail\":\"status\"}").withHeader("X-Request-Id", "r-400"),
                "--status", "DONE", "-o", "csv");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).isEqualTo("pooltasks: HTTP 400 WKS.1001: status must be one of SUCCESS, FAILED, "
                + "RUNNING, WAITING [status] (request id r-400)\n");
    }

    @Test
    void aGatewayErrorCarriesItsRequestIdInTheBody() {
        // What Huawei's API gateway answers, without an X-Request-Id header of its own.
        CliRunner.Result result = tasks(new CliRunner(), StubApi.Response.json(401,
                "{\"error_msg\":\"Incorrect IAM authentication information\",\"error_code\":\"APIGW.0301\","
                        + "\"request_id\":\"0f1e2d3c\"}").withHeader("X-Request-Id", ""));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(result.err()).isEqualTo("pooltasks: HTTP 401 APIGW.0301: Incorrect IAM authentication information "
                + "(request id 0f1e2d3c)\n");
    }

    @Test
    void anAnswerThatIsNotTheErrorShapeIsShownInShort() {
        CliRunner.Result result = tasks(new CliRunner(), new StubApi.Response(502,
                Map.of("Content-Type", "text/html", "X-Request-Id", "edge-1"),
                "<html><body>Bad gateway\u001b[2J" + "x".repeat(500) + "</body></html>"));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.err()).startsWith("pooltasks: HTTP 502: <html><body>Bad gateway?[2Jxxx")
                .endsWith("… (request id edge-1)\n")
                .doesNotContain("\u001b");
        assertThat(result.err().length()).isLessThan(300);
    }

    @Test
    void anUnreadable200IsAServerFailure() {
        CliRunner.Result notJson = tasks(new CliRunner(), StubApi.Response.json(200, "{\"total_count\":"));
        CliRunner.Result noTotal = tasks(new CliRunner(), StubApi.Response.json(200, "{\"script_execution_tasks\":[]}"));
        CliRunner.Result empty = tasks(new CliRunner(), StubApi.Response.json(200, ""));

        for (CliRunner.Result result : List.of(notJson, noTotal, empty)) {
            assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(result.err()).startsWith("pooltasks: the answer from " + api.url() + " is not a page of tasks");
        }
    }

    @Test
    void noConnectionIsAServerFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        CliRunner.Result result = new CliRunner().run("tasks", "--endpoint", "http://127.0.0.1:" + closedPort,
                "--project", PROJECT);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.err()).isEqualTo("pooltasks: cannot connect to http://127.0.0.1:" + closedPort + "\n");
    }

    @Test
    void anUnknownHostIsAServerFailure() {
        CliRunner.Result result = new CliRunner().run("tasks", "--endpoint", "http://no-such-host.invalid",
                "--project", PROJECT);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.err()).isEqualTo("pooltasks: cannot connect to http://no-such-host.invalid: unknown host\n");
    }

    @Test
    void a429IsRetriedAsRetryAfterSaysThenGivenUp() {
        int before = api.requests().size();
        CliRunner runner = new CliRunner();
        CliRunner.Result result = tasks(runner, StubApi.Response.error(429, "APIG.0308",
                "The throttling threshold has been reached").withHeader("Retry-After", "7")
                .withHeader("X-Request-Id", "slow-down"));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(api.requests().size() - before).as("the first try and %d retries", TaskSource.MAX_RETRIES)
                .isEqualTo(TaskSource.MAX_RETRIES + 1);
        assertThat(runner.waits).isEqualTo(Collections.nCopies(TaskSource.MAX_RETRIES, Duration.ofSeconds(7)));
        assertThat(result.err()).isEqualTo("pooltasks: HTTP 429 APIG.0308: The throttling threshold has been reached "
                + "(request id slow-down); still rate limited after 5 retries\n");
    }
}
