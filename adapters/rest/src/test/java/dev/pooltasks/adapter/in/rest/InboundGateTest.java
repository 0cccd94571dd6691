package dev.pooltasks.adapter.in.rest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * InboundGate on a real router, for what it adds to the checks RequestLimitsTest and QueryChecksTest cover: API
 * requests are measured once they end, with their status, refused or not; refusals are counted by reason on every
 * path; other paths are not measured.
 */
class InboundGateTest {
    static final List<Integer> completed = new CopyOnWriteArrayList<>();
    static final List<String> refused = new CopyOnWriteArrayList<>();
    static TestRouter server;

    @BeforeAll
    static void start() {
        server = new TestRouter(new InboundObserver() {
            @Override
            public void requestCompleted(int status, long nanos) {
                assertThat(nanos).isPositive();
                completed.add(status);
            }

            @Override
            public void callerThrottled(String credential) {
            }

            @Override
            public void requestRefused(String reason) {
                refused.add(reason);
            }
        }, router -> {
            router.route("/v2/p/teapot").handler(context -> context.response().setStatusCode(418).end("short"));
            router.route().handler(context -> context.response().end("passed"));
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void forget() {
        completed.clear();
        refused.clear();
    }

    @Test
    void anApiRequestIsMeasuredWithItsStatusOnceItEnds() {
        assertThat(RawHttp.get(server.port(), "/v2/p/x?limit=1").status()).isEqualTo(200);
        assertThat(RawHttp.get(server.port(), "/v2/p/teapot").status()).isEqualTo(418);

        waitUntil(() -> completed.size() == 2);
        assertThat(completed).containsExactly(200, 418);
    }

    @Test
    void pathsOutsideTheApiAreNotMeasured() {
        assertThat(RawHttp.get(server.port(), "/console/").status()).isEqualTo(200);
        assertThat(RawHttp.get(server.port(), "/v2/p/x?limit=1").status()).isEqualTo(200);

        // The last request is measured; had the first been, it would have come first.
        waitUntil(() -> !completed.isEmpty());
        assertThat(completed).containsExactly(200);
        assertThat(refused).isEmpty();
    }

    @Test
    void refusedApiRequestsAreMeasuredWithTheirStatusAndCountedByReason() {
        String list = "/v2/p/desktop-pools/script-execution-tasks/detail";
        assertThat(RawHttp.get(server.port(), "/v2/%zz/x").status()).isEqualTo(400);
        assertThat(RawHttp.get(server.port(), list + "?limit=1&limit=2").status()).isEqualTo(400);
        assertThat(RawHttp.get(server.port(), list + "?script_name=%zz").status()).isEqualTo(400);
        assertThat(RawHttp.get(server.port(), list + "?script_name=" + "x".repeat(RequestLimits.MAX_URI_LENGTH))
                .status()).isEqualTo(414);
        assertThat(RawHttp.get(server.port(), list, "X-Filler: " + "y".repeat(RequestLimits.MAX_HEADERS_SIZE))
                .status()).isEqualTo(431);

        waitUntil(() -> completed.size() == 5);
        assertThat(completed).containsExactly(400, 400, 400, 414, 431);
        assertThat(refused).containsExactly(Refusal.MALFORMED_PATH, Refusal.REPEATED_PARAMETER,
                Refusal.MALFORMED_QUERY, Refusal.URI_TOO_LONG, Refusal.HEADERS_TOO_LARGE);
    }

    @Test
    void refusalsOutsideTheApiAreCountedButNotMeasured() {
        assertThat(RawHttp.get(server.port(), "/console/?q=" + "x".repeat(RequestLimits.MAX_URI_LENGTH)).status())
                .isEqualTo(414);
        assertThat(RawHttp.get(server.port(), "/v2/p/x?limit=1").status()).isEqualTo(200);

        waitUntil(() -> !completed.isEmpty());
        assertThat(completed).containsExactly(200);
        assertThat(refused).containsExactly(Refusal.URI_TOO_LONG);
    }

    /** The answer may reach the client a moment before the server has run its end handlers. */
    private static void waitUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(5_000_000);
        }
    }
}
