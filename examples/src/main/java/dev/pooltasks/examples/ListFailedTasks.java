package dev.pooltasks.examples;

import dev.pooltasks.client.ApiClient;
import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import dev.pooltasks.client.model.ScriptExecutionTask;
import dev.pooltasks.client.model.ShowDesktopPoolsScriptExecTasksResponse;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Lists the failed SCRIPT tasks of the last {@code days} days, page by page, with the framework-free pooltasks-client.
 *
 * <pre>
 * java -jar examples/target/pooltasks-examples.jar http://localhost:8080 0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5 7
 * </pre>
 * Set POOLTASKS_TOKEN to send an X-Auth-Token (when the service is configured with tokens).
 */
public final class ListFailedTasks {
    private static final int PAGE_SIZE = 100;

    private ListFailedTasks() {
    }

    public static void main(String[] args) {
        String baseUrl = args.length > 0 ? args[0] : "http://localhost:8080";
        String projectId = args.length > 1 ? args[1] : "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
        int days = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        System.exit(run(baseUrl, projectId, days, System.getenv("POOLTASKS_TOKEN"), System.out));
    }

    /** Prints one line per failed task and a summary; returns 0, or 1 when the service refused the query. */
    public static int run(String baseUrl, String projectId, int days, String token, PrintStream out) {
        // 1. The client: base URL, connect timeout (HttpClient) and response timeout (per request).
        ApiClient client = new ApiClient();
        client.setHttpClientBuilder(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)));
        client.updateBaseUri(baseUrl);
        client.setReadTimeout(Duration.ofSeconds(10));
        DesktopPoolScriptTasksApi api = new DesktopPoolScriptTasksApi(client);

        // 2. A filtered query, paged with offset/limit until total_count is reached.
        String since = Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        int offset = 0;
        int total;
        int failedRecords = 0;
        try {
            do {
                ShowDesktopPoolsScriptExecTasksResponse page = api.showDesktopPoolsScriptExecTasks(
                        projectId, token, null, null, null, "FAILED", "SCRIPT", since, null, null, offset, PAGE_SIZE);
                total = page.getTotalCount();
                for (ScriptExecutionTask task : page.getScriptExecutionTasks()) {
                    failedRecords += task.getFailedNum();
                    out.printf("%s  %-20s  %s  failed %d of %d%n", task.getStartTime(), task.getDesktopPoolName(),
                            task.getScripts().get(0).getName(), task.getFailedNum(),
                            task.getSuccessNum() + task.getFailedNum() + task.getSkipNum());
                }
                offset += PAGE_SIZE;
            } while (offset < total);
        } catch (ApiException e) {
            // 3. Errors: the HTTP status, and the body's error_code/error_msg (see the contract's table).
            out.printf("query refused: HTTP %d, request id %s: %s%n", e.getCode(),
                    e.getResponseHeaders() == null ? "-" : e.getResponseHeaders().firstValue("X-Request-Id").orElse("-"),
                    e.getResponseBody());
            return 1;
        }
        out.printf("%d failed script tasks since %s, %d failed executions%n", total, since, failedRecords);
        return 0;
    }
}
