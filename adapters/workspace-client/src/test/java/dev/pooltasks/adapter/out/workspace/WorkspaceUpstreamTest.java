package dev.pooltasks.adapter.out.workspace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.testing.MutableClock;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** The upstream client against real sockets: WireMock, a counting relay in front of it, and a raw HTTP server. */
class WorkspaceUpstreamTest {
    private static final String PAGE = "{\"total_count\":1,\"script_execution_tasks\":[{\"id\":\"t1\","
            + "\"desktop_pool_id\":\"pool\",\"start_time\":\"2026-11-26T09:14:02Z\",\"status\":\"FINISH\","
            + "\"success_num\":1,\"failed_num\":0,\"skip_num\":0}]}";
    /** A circuit that stays closed through these tests' failures: they are about the bulkhead and the answer. */
    private static final UpstreamSettings.Circuit PATIENT_CIRCUIT =
            new UpstreamSettings.Circuit(100, 1000, 1000, Duration.ofSeconds(10), 1);
    private static final int MIB = 1024 * 1024;
    private static Vertx vertx;

    private final FakeRateBudget budget = new FakeRateBudget();
    private final RecordingListener listener = new RecordingListener();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    private WireMockServer wiremock(WireMockConfiguration configuration) {
        WireMockServer server = new WireMockServer(configuration.bindAddress("127.0.0.1").containerThreads(60));
        server.start();
        resources.add(server::stop);
        return server;
    }

    private WorkspaceUpstream upstream(String url, Duration deadline, int maxConcurrentCalls, int maxAnswerBytes) {
        UpstreamSettings settings = new UpstreamSettings("east", URI.create(url), Map.of(), OutboundAuth.none(),
                deadline, 0, true, Duration.ofMillis(20), PATIENT_CIRCUIT, maxConcurrentCalls, maxAnswerBytes, true);
        return new UpstreamClients(vertx, new ObjectMapper(), budget, clock, listener).connect(settings);
    }

    private static TaskQuery query() {
        return TaskQuery.builder("p1").limit(1).build();
    }

    private static Throwable failureOf(CompletableFuture<?> call) throws InterruptedException {
        try {
            call.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not end", e);
        }
        throw new AssertionError("the call succeeded");
    }

    @Test
    void aPageWrittenAsThisServiceWritesItCarriesTheBytesItCameIn() throws Exception {
        String canonical = "{\"total_count\":1,\"script_execution_tasks\":[{\"id\":\"t1\",\"desktop_pool_id\":\"pool\","
                + "\"scripts\":[],\"start_time\":\"2026-11-26T09:14:02Z\",\"status\":\"FINISH\",\"success_num\":1,"
                + "\"failed_num\":0,\"skip_num\":0}]}";
        WireMockServer server = wiremock(options().dynamicPort());
        server.stubFor(get(urlPathMatching("/v2/p1/.*")).willReturn(okJson(canonical)));

        TaskPage page = upstream("http://127.0.0.1:" + server.port(), Duration.ofSeconds(5), 4, MIB)
                .loadTasks(query(), Caller.ANONYMOUS).toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(page.totalCount()).isEqualTo(1);
        assertThat(page.tasks()).extracting(task -> task.id()).containsExactly("t1");
        assertThat(new String(page.knownBody(), StandardCharsets.UTF_8)).isEqualTo(canonical);
        assertThat(listener.outcomes).containsExactly("success");
    }

    @Test
    void aPageWrittenOtherwiseIsReadWithoutItsBytes() throws Exception {
        WireMockServer server = wiremock(options().dynamicPort());
        // No "scripts": this service would write "scripts":[] for the page, so these bytes are not its answer.
        server.stubFor(get(urlPathMatching("/v2/p1/.*")).willReturn(okJson(PAGE)));

        TaskPage page = upstream("http://127.0.0.1:" + server.port(), Duration.ofSeconds(5), 4, MIB)
                .loadTasks(query(), Caller.ANONYMOUS).toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(page.tasks()).extracting(task -> task.id()).containsExactly("t1");
        assertThat(page.knownBody()).isNull();
        assertThat(listener.outcomes).containsExactly("success");
    }

    @Test
    void theUpstreamNeverHoldsMoreRequestsThanTheBulkhead() throws Exception {
        int bulkhead = 3;
        Duration deadline = Duration.ofMillis(400);
        WireMockServer server = wiremock(options().dynamicPort());
        server.stubFor(get(urlPathMatching("/v2/p1/.*")).willReturn(okJson(PAGE).withFixedDelay(5_000)));
        CountingRelay relay = new CountingRelay(server.port());
        resources.add(0, relay);
        WorkspaceUpstream upstream = upstream("http://127.0.0.1:" + relay.port(), deadline, bulkhead, MIB);

        // Three times the bulkhead's load for eight deadlines: each caller calls again as soon as its call ended.
        long until = System.nanoTime() + 8 * deadline.toNanos();
        List<CompletableFuture<Void>> callers = new ArrayList<>();
        for (int i = 0; i < 3 * bulkhead; i++) {
            callers.add(callRepeatedly(upstream, until));
        }
        CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(listener.outcomes).as("every call that reached the upstream timed out").containsOnly("timeout");
        assertThat(listener.rejections).as("the excess was refused at once").contains("bulkhead_full");
        assertThat(relay.maxOpen()).as("connections the upstream held at once").isEqualTo(bulkhead);
        // Slots came back after each time-out while the upstream was still sleeping on the first requests: the
        // exchanges were ended, not abandoned, and new ones reached the upstream.
        assertThat(relay.accepted()).as("connections made").isGreaterThanOrEqualTo(3 * bulkhead);
        assertThat(server.findAll(anyRequestedFor(anyUrl())).size()).as("requests received")
                .isGreaterThanOrEqualTo(2 * bulkhead);
    }

    private static CompletableFuture<Void> callRepeatedly(WorkspaceUpstream upstream, long untilNanos) {
        if (System.nanoTime() - untilNanos >= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return upstream.loadTasks(query(), Caller.ANONYMOUS).toCompletableFuture()
                .handle((page, failure) -> {
                    assertThat(page).as("no answer within the deadline").isNull();
                    return null;
                })
                // a short pause between calls, so that refused callers do not spin
                .thenCompose(ignored -> CompletableFuture.runAsync(() -> { },
                        CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS)))
                .thenCompose(ignored -> callRepeatedly(upstream, untilNanos));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chunked", "content-length"})
    void anAnswerLargerThanTheBoundIsAFailureReadNoFurther(String framing) throws Exception {
        long size = 50L * MIB;
        AtomicLong written = new AtomicLong();
        ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        resources.add(listening);
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> serveHugeAnswer(listening, framing, size,
                written));
        WorkspaceUpstream upstream = upstream("http://127.0.0.1:" + listening.getLocalPort(), Duration.ofSeconds(20),
                4, MIB);

        Throwable failure = failureOf(upstream.loadTasks(query(), Caller.ANONYMOUS).toCompletableFuture());

        assertThat(failure).isInstanceOf(TaskSourceUnavailableException.class)
                .hasMessageContaining("larger than " + MIB + " bytes");
        assertThat(listener.outcomes).as("not retried").containsExactly("too_large");
        served.get(30, TimeUnit.SECONDS);
        // The server could write no more than the bound plus what the sockets buffer before the connection closed.
        assertThat(written.get()).as("bytes the server wrote").isLessThan(size / 2);
    }

    /** Answers one request with a 200 of {@code size} bytes, writing until the client goes away. */
    private static void serveHugeAnswer(ServerSocket listening, String framing, long size, AtomicLong written) {
        try (Socket socket = listening.accept()) {
            socket.setSoTimeout(30_000);
            readRequestHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            boolean chunked = framing.equals("chunked");
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            while (written.get() < size) {
                if (chunked) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(chunk);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                written.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            // the client closed the connection: what the test expects
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            matched = b == end[matched] ? matched + 1 : b == end[0] ? 1 : 0;
        }
    }

    @Test
    void httpsUpstreamsAreVerifiedAgainstTheJvmsTrust() throws Exception {
        WireMockServer server = wiremock(options().dynamicPort().dynamicHttpsPort());
        server.stubFor(get(urlPathMatching("/v2/p1/.*")).willReturn(okJson(PAGE)));
        WorkspaceUpstream upstream = upstream("https://localhost:" + server.httpsPort(), Duration.ofSeconds(5), 4, MIB);

        Throwable failure = failureOf(upstream.loadTasks(query(), Caller.ANONYMOUS).toCompletableFuture());

        // WireMock's self-signed certificate is not trusted by the JVM: no request got through.
        assertThat(failure).isInstanceOf(TaskSourceUnavailableException.class).hasMessageContaining("connection");
        assertThat(listener.outcomes).containsExactly("connection", "connection");
        assertThat(server.findAll(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aSpentRateBudgetRefusesTheCallBeforeItIsSentAndA429PausesIt() throws Exception {
        WireMockServer server = wiremock(options().dynamicPort());
        server.stubFor(get(urlPathMatching("/v2/p1/.*")).willReturn(okJson(PAGE).withStatus(429)
                .withHeader("Retry-After", "7")));
        WorkspaceUpstream upstream = upstream("http://127.0.0.1:" + server.port(), Duration.ofSeconds(5), 4, MIB);

        Throwable throttled = failureOf(upstream.loadTasks(query(), Caller.ANONYMOUS).toCompletableFuture());
        assertThat(throttled).isInstanceOf(TaskSourceRejectedException.class);
        assertThat(budget.pauses).containsExactly("upstream:east PT7S");

        budget.refusing.put("upstream:east", 7L);
        Throwable refused = failureOf(upstream.loadTasks(query(), Caller.ANONYMOUS).toCompletableFuture());
        assertThat(refused).isInstanceOf(TaskSourceThrottledException.class);
        assertThat(((TaskSourceThrottledException) refused).retryAfterSeconds())
                .isEqualTo(7);
        assertThat(listener.outcomes).containsExactly("throttled");
        assertThat(listener.rejections).containsExactly("rate_limited");
        assertThat(server.findAll(anyRequestedFor(anyUrl()))).hasSize(1);
    }
}
