package dev.pooltasks.e2e;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM, as Kubernetes sends it in a rolling update (and Ctrl-C), with the built jar: readiness reports DOWN for
 * {@code quarkus.shutdown.delay} while the API still answers, so that a load balancer can stop sending requests; then
 * a request already in flight (here held by a slow upstream) is answered before the process exits, and it exits well,
 * without waiting out the drain's timeout.
 */
class GracefulShutdownTest {
    private static final String PROJECT = RunningPooltasks.PROJECT_ID;
    private static final String PAGE = "{\"total_count\":0,\"script_execution_tasks\":[]}";
    private static final String LIST = "/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail";

    private final CountDownLatch held = new CountDownLatch(1);
    private final ExecutorService upstreamThreads = Executors.newCachedThreadPool();
    private HttpServer slowUpstream;
    private final HttpClient http = JdkHttp.client();

    /** An upstream that answers the first call after three seconds and any other at once. */
    @BeforeEach
    void startSlowUpstream() throws IOException {
        slowUpstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slowUpstream.createContext("/", exchange -> {
            if (held.getCount() > 0) {
                held.countDown();
                sleep(3_000);
            }
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slowUpstream.setExecutor(upstreamThreads);
        slowUpstream.start();
    }

    @AfterEach
    void stopSlowUpstream() {
        slowUpstream.stop(0);
        upstreamThreads.shutdownNow();
    }

    @Test
    void onSigtermReadinessGoesDownThenARequestInFlightIsAnsweredBeforeTheProcessExits() throws Exception {
        String upstream = "pooltasks.upstreams.slow.";
        try (RunningPooltasks gateway = RunningPooltasks.builder("graceful-shutdown")
                .property(upstream + "url", "http://127.0.0.1:" + slowUpstream.getAddress().getPort())
                .property(upstream + "projects." + PROJECT, PROJECT)
                .property(upstream + "rate-limit-per-minute", "0")
                .property(upstream + "deadline", "10s")
                .property("pooltasks.cache.ttl", "0s")
                .property("quarkus.shutdown.delay", "2s")
                .start()) {
            CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
                    HttpRequest.newBuilder(URI.create(gateway.baseUri() + LIST + "?limit=1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(held.await(20, TimeUnit.SECONDS)).as("the request reached the upstream").isTrue();

            ProcessHandle.of(gateway.pid()).orElseThrow().destroy();

            // The pre-shutdown delay: not ready any more, and still answering.
            assertThat(awaitReadiness(gateway, 503, Duration.ofMillis(1_800))).as("readiness within the delay")
                    .isEqualTo(503);
            HttpResponse<String> during = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUri() + LIST
                    + "?limit=2")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(during.statusCode()).as(during.body()).isEqualTo(200);

            HttpResponse<String> answer = inFlight.get(20, TimeUnit.SECONDS);
            long answered = System.nanoTime();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(PAGE);
            int exitCode = gateway.awaitExit(Duration.ofSeconds(20));
            // Once nothing is in flight the drain ends: the process does not wait out the 10 s timeout.
            assertThat(Duration.ofNanos(System.nanoTime() - answered)).isLessThan(Duration.ofSeconds(6));
            // 128 + 15: how a JVM ends on SIGTERM once its shutdown hooks have run.
            assertThat(exitCode).as(gateway.output()).isEqualTo(143);
            assertThat(gateway.logText()).doesNotContain("ERROR");
        }
    }

    /** Polls readiness until it answers {@code status}, for at most {@code within}; the last status seen. */
    private int awaitReadiness(RunningPooltasks gateway, int status, Duration within) throws InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(gateway.managementUri() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + within.toNanos();
        int seen = -1;
        do {
            try {
                seen = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                seen = -1;
            }
            if (seen == status) {
                return seen;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return seen;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
