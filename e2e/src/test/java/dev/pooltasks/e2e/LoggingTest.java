package dev.pooltasks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One access line per API request, refused at the gate or not, in plain text by default and as JSON objects when
 * configured.
 */
class LoggingTest {
    private static final String PATH = "/v2/" + RunningPooltasks.PROJECT_ID
            + "/desktop-pools/script-execution-tasks/detail";

    @Test
    void eachApiRequestLogsOneLineWithRequestIdProjectStatusAndDuration() throws Exception {
        try (RunningPooltasks app = RunningPooltasks.builder("log-plain").start()) {
            call(app, "?limit=2", "plain-ok-1");
            call(app, "?limit=500", "plain-bad-2");
            call(app, "?limit=1&limit=2", "plain-refused-3");

            String log = app.logText();
            assertThat(log).as("first-run clarity: mode, auth, a URL to try, the UI and the operations endpoints")
                    .contains("pooltasks mode: sandbox (no upstream configured)")
                    .contains("caller authentication: none, so listening on 127.0.0.1 only")
                    .contains("try: curl '" + app.baseUri() + "/v2/" + RunningPooltasks.PROJECT_ID)
                    .contains("Swagger UI: " + app.baseUri() + "/q/swagger-ui/")
                    .contains("console: " + app.baseUri() + "/console/?project_id=" + RunningPooltasks.PROJECT_ID)
                    .contains("health: " + app.managementUri() + "/q/health   metrics: " + app.managementUri()
                            + "/q/metrics");
            List<String> access = log.lines().filter(line -> line.contains("dev.pooltasks.access")).toList();
            assertThat(access).filteredOn(line -> line.contains("request_id=plain-ok-1")).singleElement().asString()
                    .contains("method=GET").contains("project=" + RunningPooltasks.PROJECT_ID).contains("status=200")
                    .containsPattern("duration_ms=\\d+\\.\\d").doesNotContain("refused=");
            assertThat(access).filteredOn(line -> line.contains("request_id=plain-bad-2")).singleElement().asString()
                    .contains("status=400").doesNotContain("limit=500").doesNotContain("refused=");
            assertThat(access).as("refused at the gate, with the check that refused it")
                    .filteredOn(line -> line.contains("request_id=plain-refused-3")).singleElement().asString()
                    .contains("status=400").endsWith(" refused=repeated_parameter").doesNotContain("limit=");
        }
    }

    @Test
    void jsonLogsAreOneJsonObjectPerLine() throws Exception {
        try (RunningPooltasks app = RunningPooltasks.builder("log-json")
                .env("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true").start()) {
            call(app, "?limit=1", "json-ok-1");

            ObjectMapper json = new ObjectMapper();
            List<String> lines = app.logText().lines().filter(line -> line.startsWith("{")).toList();
            assertThat(lines).isNotEmpty();
            List<JsonNode> records = lines.stream().map(line -> {
                try {
                    return json.readTree(line);
                } catch (Exception e) {
                    throw new AssertionError("not JSON: " + line, e);
                }
            }).toList();
            assertThat(records).anySatisfy(record -> {
                assertThat(record.path("loggerName").asText()).isEqualTo("dev.pooltasks.access");
                assertThat(record.path("message").asText()).contains("request_id=json-ok-1").contains("status=200");
            });
        }
    }

    private static void call(RunningPooltasks app, String query, String requestId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUri() + PATH + query))
                .header("X-Request-Id", requestId).build();
        HttpResponse<String> response = JdkHttp.client().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("X-Request-Id")).contains(requestId);
    }
}
