package dev.pooltasks.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.pooltasks.app.TaskApi.get;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** What operators watch: metrics after real requests, health, the served contract and its UI. */
@QuarkusTest
class ObservabilityTest {

    @Test
    void requestMetricsAreCountedByStatus() {
        double okBefore = requestCount("200");
        double badBefore = requestCount("400");
        get("limit", 1).then().statusCode(200);
        get("limit", 1).then().statusCode(200);
        get("limit", 500).then().statusCode(400);

        assertThat(requestCount("200")).isEqualTo(okBefore + 2);
        assertThat(requestCount("400")).isEqualTo(badBefore + 1);
        String metrics = metrics();
        assertThat(metrics).contains("pooltasks_requests_seconds_sum{outcome=\"client_error\",status=\"400\"}")
                .contains("pooltasks_requests_seconds_max{outcome=\"success\",status=\"200\"}");
    }

    @Test
    void requestsRefusedAtTheGateAreCountedByReasonAndMeasuredByStatus() {
        String repeated = "pooltasks_requests_refused_total{reason=\"repeated_parameter\"} ";
        double refusedBefore = sum(repeated);
        double badBefore = requestCount("400");
        get("limit", 1, "limit", 2).then().statusCode(400);
        get("offset", 0, "offset", 5).then().statusCode(400);
        given().get("/console/?q=" + "x".repeat(33 * 1024)).then().statusCode(414);

        assertThat(sum(repeated)).isEqualTo(refusedBefore + 2);
        assertThat(requestCount("400")).isEqualTo(badBefore + 2);
        assertThat(metrics()).contains("pooltasks_requests_refused_total{reason=\"uri_too_long\"}");
    }

    @Test
    void requestsAreMeasuredOnceByOurOwnMetersNotAgainByQuarkusHttpMeters() {
        get("limit", 1).then().statusCode(200);

        assertThat(metrics()).contains("pooltasks_requests_seconds_count")
                .doesNotContain("http_server_requests_seconds").doesNotContain("http_server_bytes_written");
    }

    @Test
    void jvmAndSystemMetersAreExposedSoonAfterTheStart() throws InterruptedException {
        // Bound by JvmMetrics once the first API request has been answered (or 2 s after the start): the meters
        // Quarkus's binders would have made.
        List<String> expected = List.of("jvm_memory_used_bytes{area=\"heap\"", "jvm_memory_usage_after_gc",
                "jvm_buffer_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_gc_pause_seconds_count",
                "jvm_gc_overhead", "jvm_threads_live_threads", "jvm_classes_loaded_classes", "jvm_info_total",
                "process_uptime_seconds", "process_start_time_seconds", "process_cpu_usage", "system_cpu_count",
                "system_load_average_1m", "process_files_open_files");
        long deadline = System.nanoTime() + 10_000_000_000L;
        String metrics = metrics();
        while (!expected.stream().allMatch(metrics::contains) && System.nanoTime() < deadline) {
            if (metrics.contains("jvm_info_total") && !metrics.contains("jvm_gc_pause_seconds_count")) {
                // Bound, but a pause is timed only once a collection has run since: on a large heap none may have.
                System.gc();
            }
            Thread.sleep(50);
            metrics = metrics();
        }
        for (String meter : expected) {
            assertThat(metrics).contains(meter);
        }
    }

    @Test
    void livenessAndReadinessAreUpOnTheSandbox() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'upstreams' }.data.mode", equalTo("sandbox"));
    }

    @Test
    void withoutRedisConfiguredNothingOfItIsThere() {
        get("limit", 1).then().statusCode(200);
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'redis' }", nullValue());
        assertThat(metrics()).doesNotContain("pooltasks_redis_");
    }

    @Test
    void servedOpenApiDocumentIsTheContractFileWithARelativeServer() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode file = yaml.readTree(Files.readString(Path.of("../api-spec/openapi/openapi.yaml")));
        JsonNode served = yaml.readTree(given().accept("application/yaml").get("/q/openapi")
                .then().statusCode(200).extract().asString());

        assertThat(file.at("/servers/0/url").asText()).isEqualTo("http://localhost:8080");
        assertThat(served.get("servers")).hasSize(1);
        assertThat(served.at("/servers/0/url").asText()).isEqualTo("..");
        assertThat(served).isEqualTo(servedForm(file));
    }

    @Test
    void swaggerUiReadsTheContractRelativeToItself() {
        String page = given().get("/q/swagger-ui/").then().statusCode(200).extract().asString();
        assertThat(page).contains("url: '../openapi'");
    }

    @Test
    void openApiDocumentIsAlsoServedAsJson() throws Exception {
        JsonNode contract = servedForm(new ObjectMapper(new YAMLFactory())
                .readTree(Files.readString(Path.of("../api-spec/openapi/openapi.yaml"))));
        ObjectMapper json = new ObjectMapper();
        for (var request : List.of(given().queryParam("format", "json"), given().accept("application/json"))) {
            String body = request.get("/q/openapi").then().statusCode(200)
                    .contentType(startsWith("application/json")).extract().asString();
            assertThat(json.readTree(body)).isEqualTo(contract);
        }
        assertThat(json.readTree(given().get("/q/openapi.json").then().statusCode(200).extract().asString()))
                .isEqualTo(contract);
        given().get("/q/openapi").then().statusCode(200).contentType(startsWith("application/yaml"));
    }

    /** The contract file as pooltasks serves it: its servers replaced by the one relative server. */
    private static JsonNode servedForm(JsonNode file) {
        ObjectNode served = file.deepCopy();
        ObjectNode server = served.putArray("servers").addObject();
        server.put("url", "..");
        server.put("description", "this pooltasks (relative to this document, so calls go where it was loaded from)");
        return served;
    }

    private static double requestCount(String status) {
        return sum("pooltasks_requests_seconds_count{outcome=\"" + (status.startsWith("2") ? "success" : "client_error")
                + "\",status=\"" + status + "\"} ");
    }

    /** The values of the series whose lines start with {@code prefix}, summed; 0 when there are none. */
    private static double sum(String prefix) {
        return metrics().lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()))).sum();
    }

    private static String metrics() {
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
