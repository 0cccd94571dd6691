package dev.pooltasks.app.gateway;

import dev.pooltasks.app.Management;
import dev.pooltasks.app.TestClock;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every gateway test shares: fresh WireMock stubs and journals before each test, circuits closed and pauses
 * over (each member upstream answers once before the journals are cleared), the application's clock back to real time
 * after each test, and helpers to call the endpoint, check the error shape and read metrics.
 */
abstract class GatewayTestBase {
    static final String PATH = "/v2/{project_id}/desktop-pools/script-execution-tasks/detail";
    static final String MISSING = "X-Pooltasks-Missing-Upstreams";
    static final String STALE = "X-Pooltasks-Stale-Upstreams";
    static final int DEADLINE = WireMockUpstreams.DEADLINE_MILLIS;
    /** Generous slack on top of a deadline for an upper bound on latency: a bound, not a performance claim. */
    static final int SLACK = 1500;
    private static final AtomicLong UNIQUE = new AtomicLong();
    private static final Duration RESET = Duration.ofSeconds(5);
    private static final Duration CLOCK_STEP = Duration.ofSeconds(1);
    private static final Duration COLD_START = Duration.ofSeconds(30);
    /** The upstreams of the Quarkus instance whose first calls have been made. */
    private static Upstreams warmedUp;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @InjectUpstreams
    Upstreams upstreams;

    /** The application's clock: circuits' open durations and rate budgets' pauses pass when a test moves it. */
    @Inject
    TestClock clock;

    FakeUpstream east;
    FakeUpstream west;
    FakeUpstream south;

    @BeforeEach
    void resetUpstreams() throws InterruptedException {
        assertThat(upstreams).as("upstreams injected by WireMockUpstreams").isNotNull();
        east = upstreams.east;
        west = upstreams.west;
        south = upstreams.south;
        upstreams.reset();
        boolean cold = warmedUp != upstreams;
        for (FakeUpstream upstream : upstreams.members()) {
            awaitHealthy(upstream.project(), cold ? COLD_START : RESET);
        }
        if (cold) {
            // The first calls after start load and compile a lot: keep that out of the tests' deadlines.
            for (int i = 0; i < 5; i++) {
                // parsing warms up too: the first JSON path lookup is slow
                assertThat(tasks(awaitHealthy("all", COLD_START))).hasSize(1);
            }
            warmedUp = upstreams;
        }
        upstreams.resetJournals();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /**
     * Calls the upstream until it answers 200, which closes its circuit (an open one lets a probe through after the
     * open duration) and waits out a Retry-After pause: both pass as the application's clock is moved on, a little at
     * each try. The query is unique, so that no cache answers it.
     */
    private Response awaitHealthy(String project, Duration patience) throws InterruptedException {
        long until = System.nanoTime() + patience.toNanos();
        Response response;
        do {
            response = get(project, "limit", 1, "script_name", unique("reset"));
            if (response.statusCode() == 200) {
                return response;
            }
            clock.advance(CLOCK_STEP);
            Thread.sleep(20);
        } while (System.nanoTime() - until < 0);
        throw new AssertionError(project + " still answers " + response.statusCode() + " "
                + response.asString() + " after reset");
    }

    /** A value no earlier request used: keeps a query out of the cache. */
    static String unique(String prefix) {
        return prefix + "-" + UNIQUE.incrementAndGet();
    }

    static Response get(String project, Object... queryPairs) {
        RequestSpecification request = given().pathParam("project_id", project);
        for (int i = 0; i < queryPairs.length; i += 2) {
            request = queryPairs[i + 1] instanceof Collection<?> values
                    ? request.queryParam((String) queryPairs[i], values)
                    : request.queryParam((String) queryPairs[i], queryPairs[i + 1]);
        }
        return request.when().get(PATH);
    }

    static List<Map<String, Object>> tasks(Response response) {
        assertOk(response);
        return response.jsonPath().getList("script_execution_tasks");
    }

    static int total(Response response) {
        assertOk(response);
        return response.jsonPath().getInt("total_count");
    }

    static void assertOk(Response response) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(200);
    }

    static List<String> ids(Response response) {
        return FakeTasks.ids(tasks(response));
    }

    /** 503 in the API's error shape, {@code error_detail} naming exactly these upstreams, no stack trace. */
    static void assertUnavailable(Response response, String... upstreams) {
        assertThat(response.statusCode()).as("status of %s", response.asString()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.jsonPath().getString("error_code")).isEqualTo("WKS.1006");
        assertThat(response.jsonPath().getString("error_msg")).isNotBlank();
        assertThat(response.jsonPath().getString("error_detail")).isEqualTo(String.join(",", upstreams));
        assertNoStackTrace(response.asString());
    }

    static void assertNoStackTrace(String body) {
        assertThat(body).doesNotContain("Exception", "\tat ", ".java:", "dev.pooltasks", "io.vertx", "jakarta.");
    }

    /** The value of one series on the management port's Prometheus page (0 if absent). */
    static double metricValue(String series) {
        String prefix = series + " ";
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length())))
                .sum();
    }

    static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** Sends a request without waiting for it (java.net.http, so that many can be in flight at once). */
    static CompletableFuture<HttpResponse<String>> send(String project, String query) {
        URI uri = URI.create("http://localhost:" + RestAssured.port + PATH.replace("{project_id}", project)
                + (query.isEmpty() ? "" : "?" + query));
        return HTTP.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
