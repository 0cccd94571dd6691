package dev.pooltasks.app.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/** The circuit breaker (F10) and the bulkhead (F11) of an upstream. */
@QuarkusTest
@TestProfile(GatewayProfiles.NoCache.class)
class CircuitBreakerAndBulkheadTest extends GatewayTestBase {
    private static final int THRESHOLD = WireMockUpstreams.FAILURE_THRESHOLD;
    private static final Duration OPEN = Duration.ofMillis(WireMockUpstreams.OPEN_MILLIS);

    @Test
    void f10CircuitOpensAfterTheThresholdProbesAfterTheOpenDurationAndClosesOnSuccess() {
        // Requests that depend on the circuit's timing are sent back to back, and checked afterwards.
        east.answer(aResponse().withStatus(500));
        List<Response> failures = new ArrayList<>();
        for (int i = 0; i < THRESHOLD; i++) {
            failures.add(get("p-east"));
        }
        List<Response> whileOpen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            whileOpen.add(get("p-east"));
        }

        failures.forEach(response -> assertUnavailable(response, "east"));
        assertThat(failures).allSatisfy(response ->
                assertThat(response.jsonPath().getString("error_msg")).contains("answered HTTP 500"));
        // Open: calls fail without reaching the upstream (no wall-clock bound: the hit count is the proof).
        whileOpen.forEach(response -> assertUnavailable(response, "east"));
        assertThat(whileOpen).allSatisfy(response ->
                assertThat(response.jsonPath().getString("error_msg")).contains("circuit open"));
        east.verifyHits(THRESHOLD);

        // After the open duration one probe goes through; it fails, so the circuit opens again at once.
        clock.advance(OPEN.plusMillis(100));
        Response failedProbe = get("p-east");
        Response reopened = get("p-east");
        assertUnavailable(failedProbe, "east");
        assertThat(failedProbe.jsonPath().getString("error_msg")).contains("answered HTTP 500");
        assertUnavailable(reopened, "east");
        assertThat(reopened.jsonPath().getString("error_msg")).contains("circuit open");
        east.verifyHits(THRESHOLD + 1);

        // The upstream recovers: the next probe succeeds and closes the circuit.
        east.answer(FakeUpstream.pagesResponse());
        clock.advance(OPEN.plusMillis(100));
        assertThat(tasks(get("p-east", "limit", 3))).isEqualTo(east.tasks().subList(0, 3));
        east.verifyHits(THRESHOLD + 2);
        for (int i = 0; i < THRESHOLD + 1; i++) {
            assertOk(get("p-east", "limit", 1));
        }
        east.verifyHits(THRESHOLD + 2 + THRESHOLD + 1);
    }

    @Test
    void f10OpenCircuitOfOneMemberFailsTheFederationFastAndLeavesTheOthersAlone() {
        south.answer(aResponse().withStatus(500));
        for (int i = 0; i < THRESHOLD; i++) {
            assertUnavailable(get("p-south"), "south");
        }
        south.verifyHits(THRESHOLD);

        Response strict = get("all");
        Response partial = get("all-partial", "limit", 100);

        assertUnavailable(strict, "south");
        assertThat(partial.header(MISSING)).isEqualTo("south");
        assertThat(ids(partial)).isEqualTo(FakeTasks.ids(FakeTasks.merged(east.tasks(), west.tasks())));
        south.verifyHits(THRESHOLD);
        east.verifyHits(2);
        west.verifyHits(2);
    }

    @Test
    void f10ASuccessInTheWindowKeepsTheCircuitClosed() {
        east.answerInTurn(aResponse().withStatus(500), aResponse().withStatus(500), FakeUpstream.pagesResponse());
        assertUnavailable(get("p-east"), "east");
        assertUnavailable(get("p-east"), "east");
        assertOk(get("p-east"));
        east.answer(aResponse().withStatus(500));
        for (int i = 0; i < THRESHOLD - 1; i++) {
            assertUnavailable(get("p-east"), "east");
        }
        // The window (the last THRESHOLD calls) still holds the success: closed, this call reaches the upstream.
        assertUnavailable(get("p-east"), "east");
        east.verifyHits(3 + THRESHOLD);
        // Now every call in the window failed: open.
        assertThat(get("p-east").jsonPath().getString("error_msg")).contains("circuit open");
        east.verifyHits(3 + THRESHOLD);
    }

    @Test
    void f11SlowUpstreamFillsOnlyItsOwnBulkhead() throws Exception {
        FakeUpstream narrow = upstreams.narrow; // at most 2 calls in flight, deadline 2 s, on the east server
        narrow.answerPages(response -> response.withFixedDelay(WireMockUpstreams.NARROW_DEADLINE_MILLIS * 3));

        List<CompletableFuture<HttpResponse<String>>> slow = List.of(send("p-narrow", ""), send("p-narrow", ""));
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WireMockUpstreams.NARROW_DEADLINE_MILLIS);
        while (narrow.hits() < 2 && System.nanoTime() - until < 0) {
            Thread.sleep(5);
        }
        narrow.verifyHits(2);

        // The bulkhead is full: the next call to the slow upstream fails at once, without reaching it.
        Response rejected = get("p-narrow");
        assertUnavailable(rejected, "narrow");
        assertThat(rejected.jsonPath().getString("error_msg")).contains("too many calls in flight");
        narrow.verifyHits(2);

        // Other upstreams, even one on the same server, answer correctly meanwhile.
        assertThat(tasks(get("p-west", "limit", 100))).isEqualTo(west.tasks());
        assertThat(tasks(get("p-east", "limit", 100))).isEqualTo(east.tasks());
        assertThat(ids(get("all", "limit", 100))).isEqualTo(
                FakeTasks.ids(FakeTasks.merged(east.tasks(), west.tasks(), south.tasks())));

        for (CompletableFuture<HttpResponse<String>> call : slow) {
            HttpResponse<String> timedOut = call.get(10, TimeUnit.SECONDS);
            assertThat(timedOut.statusCode()).isEqualTo(503);
            assertThat(timedOut.body()).contains("\"WKS.1006\"", "\"narrow\"");
        }
        // The rejected call was never queued and sent later.
        narrow.verifyHits(2);
        // Permits are back once the slow calls have ended.
        narrow.answer(FakeUpstream.pagesResponse());
        assertOk(get("p-narrow", "limit", 1));
        narrow.verifyHits(3);
    }
}
