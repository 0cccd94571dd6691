package dev.pooltasks.adapter.out.workspace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.testing.MutableClock;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.pooltasks.testing.Stages.await;
import static dev.pooltasks.testing.Stages.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/** The upstream client against real sockets: WireMock, a counting relay in front of it, and a raw HTTP server. */
class WorkspaceUpstreamTest {
    private static final String PAGE = "{\"total_count\":1,\"script_execution_tasks\":[{\"id\":\"t1\","
            + "\"desktop_pool_id\":\"pool\",\"start_time\":\"2026-11-26T09:14:02Z\",\"status\":\"FINISH\","
            + "\"success_num\":1,\"failed_num\":0,\"skip_num\":0}]}";
    /** PAGE as this service writes it. */
    private static final String CANONICAL_PAGE = "{\"total_count\":1,\"script_execution_tasks\":[{\"id\":\"t1\","
            + "\"desktop_pool_id\":\"pool\",\"scripts\":[],\"start_time\":\"2026-11-26T09:14:02Z\","
            + "\"status\":\"FINISH\",\"success_num\":1,\"failed_num\":0,\"skip_num\":0}]}";
    private static final String STATISTICS_PATH = "/v2/p1/desktop-pools/script-execution-tasks/statistics";
    private static final String STATISTICS_ANSWER = """
            {"group_by":"pool","time_zone":"Asia/Shanghai",\
            "total":{"task_count":3,"status_counts":{"FINISH":1,"FAILED":1,"RUNNING":0,"INIT":0,"CANCELLED":1},\
            "success_num":301,"failed_num":14,"skip_num":2,\
            "first_start_time":"2026-11-24T03:10:00Z","last_start_time":"2026-11-26T09:14:02Z"},\
            "groups":[{"key":"pool-a","name":"finance-win11","task_count":2,\
            "status_counts":{"FINISH":1,"FAILED":1,"RUNNING":0,"INIT":0},"success_num":183,"failed_num":12,\
            "skip_num":2,"first_start_time":"2026-11-24T03:10:00Z","last_start_time":"2026-11-26T09:14:02Z"},\
            {"key":"pool-b","task_count":1,"status_counts":{"FINISH":0,"FAILED":0,"RUNNING":0,"INIT":0,\
            "CANCELLED":1},"success_num":118,"failed_num":2,"skip_num":0,\
            "first_start_time":"2026-11-25T11:00:00Z","last_start_time":"2026-11-25T11:00:00Z"}]}""";
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

    @Test
    void aPageWrittenAsThisServiceWritesItCarriesTheBytesItCameIn() throws Exception {
        String canonical = CANONICAL_PAGE;
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
    void whatAnotherPooltasksSaysOfTheSourcesBehindItIsPassedOnUnderThisUpstreamsName() {
        WireMockServer server = wiremock(options().dynamicPort());
        server.stubFor(get(urlPathMatching("/v2/p1/.*")).willReturn(okJson(CANONICAL_PAGE)
                .withHeader("X-Pooltasks-Missing-Upstreams", "west")
                .withHeader("X-Pooltasks-Stale-Upstreams", "north,south")
                .withHeader("X-Pooltasks-Mirror-Age", "12")));

        TaskPage page = await(upstream("http://127.0.0.1:" + server.port(), Duration.ofSeconds(5), 4, MIB)
                .loadTasks(query(), Caller.ANONYMOUS));

        assertThat(page.missingSources()).containsExactly("east/west");
        assertThat(page.staleSources()).containsExactly("east/north", "east/south");
        assertThat(page.mirrorAge()).isEqualTo(Duration.ofSeconds(12));
        assertThat(new String(page.knownBody(), StandardCharsets.UTF_8)).isEqualTo(CANONICAL_PAGE);
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

    /**
     * An answer keeps its bytes exactly however it arrives: whole in one chunk (a small one, within a new connection's
     * first read of 2 KiB: the chunk's array becomes the body), in several (a block of 100 tasks, about 12 KiB here,
     * or its body in three writes a moment apart: copied into a body sized by the Content-Length), or in chunked
     * framing (no length known).
     */
    @ParameterizedTest(name = "{0} tasks, {1}")
    @CsvSource({"5, one write", "100, one write", "100, three writes", "100, chunked"})
    void anAnswerKeepsItsBytesHoweverItArrives(int count, String delivery) throws Exception {
        StringBuilder tasks = new StringBuilder();
        for (int i = 0; i < count; i++) {
            tasks.append(i == 0 ? "" : ",").append("{\"id\":\"task-").append(1000 + i)
                    .append("\",\"desktop_pool_id\":\"pool\",\"scripts\":[],\"start_time\":\"2026-11-26T09:")
                    .append(10 + i / 60).append(':').append(10 + i % 50)
                    .append("Z\",\"status\":\"FINISH\",\"success_num\":1,\"failed_num\":0,\"skip_num\":0}");
        }
        byte[] body = ("{\"total_count\":" + count + ",\"script_execution_tasks\":[" + tasks + "]}")
                .getBytes(StandardCharsets.UTF_8);
        ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        resources.add(listening);
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> serveInParts(listening, delivery, body));
        WorkspaceUpstream upstream = upstream("http://127.0.0.1:" + listening.getLocalPort(), Duration.ofSeconds(10),
                4, MIB);

        TaskPage page = upstream.loadTasks(TaskQuery.builder("p1").limit(count).build(), Caller.ANONYMOUS)
                .toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(page.knownBody()).as("the answer's bytes, as sent").isEqualTo(body);
        assertThat(page.tasks()).hasSize(count);
        assertThat(page.tasks().get(count - 1).id()).isEqualTo("task-" + (999 + count));
        served.get(30, TimeUnit.SECONDS);
    }

    /** Answers one request with {@code body}, delivered as {@code delivery} says. */
    private static void serveInParts(ServerSocket listening, String delivery, byte[] body) {
        try (Socket socket = listening.accept()) {
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            readRequestHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            boolean chunked = delivery.equals("chunked");
            byte[] head = okHead(chunked, body.length);
            if (delivery.equals("one write")) {
                byte[] whole = Arrays.copyOf(head, head.length + body.length);
                System.arraycopy(body, 0, whole, head.length, body.length);
                out.write(whole);
                out.flush();
                return;
            }
            out.write(head);
            int third = body.length / 3;
            for (int from = 0; from < body.length; from += third) {
                writePart(out, body, from, Math.min(third, body.length - from), chunked);
                out.flush();
                Thread.sleep(50);
            }
            if (chunked) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A call made on an event loop goes over that loop's own connections (so that its answer is not handed from the
     * connection's loop to the caller's); calls from other threads share one pool. Calls one after another alternate
     * between two loops, each once the last one's connection is idle again: one shared pool would lend that same
     * connection to both loops.
     */
    @Test
    void eachEventLoopCallsOverConnectionsOfItsOwn() throws Exception {
        ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        resources.add(listening);
        // The client port of each connection that carried a request, by the request's limit (which names its caller).
        Map<String, Set<Integer>> connectionsByCaller = new ConcurrentHashMap<>();
        Thread serving = new Thread(() -> serveKeepAlive(listening, connectionsByCaller));
        serving.setDaemon(true);
        serving.start();
        WorkspaceUpstream upstream = upstream("http://127.0.0.1:" + listening.getLocalPort(), Duration.ofSeconds(5),
                4, MIB);
        List<Context> loops = List.of(newEventLoopContext(), newEventLoopContext());
        assertThat(threadOf(loops.get(0))).isNotEqualTo(threadOf(loops.get(1)));

        for (int i = 0; i < 3; i++) {
            for (int caller = 0; caller < loops.size(); caller++) {
                TaskQuery query = TaskQuery.builder("p1").limit(caller + 1).build();
                CompletableFuture<TaskPage> call = new CompletableFuture<>();
                loops.get(caller).runOnContext(ignored -> upstream.loadTasks(query, Caller.ANONYMOUS)
                        .whenComplete((page, failure) -> {
                            if (failure != null) {
                                call.completeExceptionally(failure);
                            } else {
                                call.complete(page);
                            }
                        }));
                assertThat(call.get(30, TimeUnit.SECONDS).totalCount()).isEqualTo(1);
                Thread.sleep(50); // the connection back in its pool, idle
            }
        }
        for (int i = 0; i < 3; i++) {
            upstream.loadTasks(TaskQuery.builder("p1").limit(3).build(), Caller.ANONYMOUS).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            Thread.sleep(50);
        }

        Set<Integer> first = connectionsByCaller.get("limit=1");
        Set<Integer> second = connectionsByCaller.get("limit=2");
        Set<Integer> others = connectionsByCaller.get("limit=3");
        assertThat(first).as("the first loop's connections").hasSize(1);
        assertThat(second).as("the second loop's connections").hasSize(1);
        assertThat(others).as("the test thread's connections").hasSize(1);
        assertThat(first).doesNotContainAnyElementsOf(second).doesNotContainAnyElementsOf(others);
        assertThat(second).doesNotContainAnyElementsOf(others);
    }

    /** Answers every request on every connection with {@link #PAGE}, keeping connections open. */
    private static void serveKeepAlive(ServerSocket listening, Map<String, Set<Integer>> connectionsByCaller) {
        while (!listening.isClosed()) {
            Socket socket;
            try {
                socket = listening.accept();
            } catch (IOException e) {
                return;
            }
            Thread connection = new Thread(() -> {
                try (socket) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                            StandardCharsets.US_ASCII));
                    OutputStream out = socket.getOutputStream();
                    byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
                    String requestLine;
                    while ((requestLine = in.readLine()) != null) {
                        while (!in.readLine().isEmpty()) {
                            // headers
                        }
                        String caller = requestLine.replaceAll(".*[?&](limit=\\d+).*", "$1");
                        connectionsByCaller.computeIfAbsent(caller, k -> ConcurrentHashMap.newKeySet())
                                .add(socket.getPort());
                        out.write(okHead(false, body.length));
                        out.write(body);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the client closed the connection
                }
            });
            connection.setDaemon(true);
            connection.start();
        }
    }

    /** A context made on a new thread of its own (a thread keeps the context it made): each gets the next loop. */
    private static Context newEventLoopContext() throws Exception {
        CompletableFuture<Context> context = new CompletableFuture<>();
        new Thread(() -> context.complete(vertx.getOrCreateContext())).start();
        return context.get(10, TimeUnit.SECONDS);
    }

    private static String threadOf(Context context) throws Exception {
        CompletableFuture<String> name = new CompletableFuture<>();
        context.runOnContext(ignored -> name.complete(Thread.currentThread().getName()));
        return name.get(10, TimeUnit.SECONDS);
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
            out.write(okHead(chunked, size));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            while (written.get() < size) {
                writePart(out, chunk, 0, chunk.length, chunked);
                written.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            // the client closed the connection: what the test expects
        }
    }

    /** The head of a 200 with a JSON body: in chunked framing, or of {@code length} bytes. */
    private static byte[] okHead(boolean chunked, long length) {
        return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n")
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code length} bytes of a body from {@code from}: as they are, or as one chunk of chunked framing. */
    private static void writePart(OutputStream out, byte[] bytes, int from, int length, boolean chunked)
            throws IOException {
        if (chunked) {
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(bytes, from, length);
        if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
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

    /** Statistics asked of an upstream that serves them (another pooltasks). */
    @Nested
    class Statistics {
        private WireMockServer server;
        private WorkspaceUpstream upstream;

        @BeforeEach
        void startUpstream() {
            server = wiremock(options().dynamicPort());
            upstream = upstream("http://127.0.0.1:" + server.port(), Duration.ofSeconds(5), 4, MIB);
        }

        private StatisticsQuery byPool() {
            return StatisticsQuery.of(TaskQuery.builder("p1").status("FAILED").scriptName("chrome").build(), "pool",
                    "Asia/Shanghai");
        }

        @Test
        void theAnswerIsReadIntoTheStatisticsItHoldsFromOneCallWithTheQuerysParameters() {
            server.stubFor(get(urlPathEqualTo(STATISTICS_PATH)).willReturn(okJson(STATISTICS_ANSWER)));

            TaskStatistics statistics = await(upstream.loadStatistics(byPool(), Caller.ANONYMOUS));

            TaskStatistics.Counts poolA = new TaskStatistics.Counts(2, Map.of("FINISH", 1L, "FAILED", 1L), 183, 12, 2,
                    Instant.parse("2026-11-24T03:10:00Z"), Instant.parse("2026-11-26T09:14:02Z"));
            TaskStatistics.Counts poolB = new TaskStatistics.Counts(1, Map.of("CANCELLED", 1L), 118, 2, 0,
                    Instant.parse("2026-11-25T11:00:00Z"), Instant.parse("2026-11-25T11:00:00Z"));
            assertThat(statistics).isEqualTo(new TaskStatistics(
                    new TaskStatistics.Counts(3, Map.of("FINISH", 1L, "FAILED", 1L, "CANCELLED", 1L), 301, 14, 2,
                            Instant.parse("2026-11-24T03:10:00Z"), Instant.parse("2026-11-26T09:14:02Z")),
                    List.of(new TaskStatistics.Group("pool-a", "finance-win11", poolA),
                            new TaskStatistics.Group("pool-b", null, poolB))));
            List<LoggedRequest> calls = server.findAll(getRequestedFor(urlPathEqualTo(STATISTICS_PATH)));
            assertThat(calls).hasSize(1);
            assertThat(calls.get(0).getUrl()).isEqualTo(STATISTICS_PATH + "?group_by=pool&time_zone=Asia%2FShanghai"
                    + "&script_name=chrome&status=FAILED");
            assertThat(listener.outcomes).containsExactly("success");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "not json",
                "{\"group_by\":\"day\",\"time_zone\":\"Asia/Shanghai\",\"total\":{\"task_count\":0,"
                        + "\"status_counts\":{},"
                        + "\"success_num\":0,\"failed_num\":0,\"skip_num\":0},\"groups\":[]}",
                "{\"group_by\":\"pool\",\"time_zone\":\"UTC\",\"total\":{\"task_count\":0,\"status_counts\":{},"
                        + "\"success_num\":0,\"failed_num\":0,\"skip_num\":0},\"groups\":[]}",
                "{\"group_by\":\"pool\",\"time_zone\":\"Asia/Shanghai\",\"groups\":[]}",
                "{\"group_by\":\"pool\",\"time_zone\":\"Asia/Shanghai\",\"total\":{\"task_count\":2,"
                        + "\"status_counts\":{\"FINISH\":1},\"success_num\":0,\"failed_num\":0,\"skip_num\":0,"
                        + "\"first_start_time\":\"2026-11-24T03:10:00Z\",\"last_start_time\":\"2026-11-24T03:10:00Z\"},"
                        + "\"groups\":[]}",
                "{\"group_by\":\"pool\",\"time_zone\":\"Asia/Shanghai\",\"total\":{\"task_count\":1,"
                        + "\"status_counts\":{\"FINISH\":1},\"failed_num\":0,\"skip_num\":0,"
                        + "\"first_start_time\":\"2026-11-24T03:10:00Z\",\"last_start_time\":\"2026-11-24T03:10:00Z\"},"
                        + "\"groups\":[]}",
                "{\"group_by\":\"pool\",\"time_zone\":\"Asia/Shanghai\",\"total\":{\"task_count\":1,"
                        + "\"status_counts\":{\"FINISH\":1},\"success_num\":0,\"failed_num\":0,\"skip_num\":0,"
                        + "\"first_start_time\":\"2026-11-24 03:10:00\",\"last_start_time\":\"2026-11-24T03:10:00Z\"},"
                        + "\"groups\":[]}",
                "{\"group_by\":\"pool\",\"time_zone\":\"Asia/Shanghai\",\"total\":{\"task_count\":0,"
                        + "\"status_counts\":{},"
                        + "\"success_num\":0,\"failed_num\":0,\"skip_num\":0},\"groups\":[{\"task_count\":0,"
                        + "\"status_counts\":{},\"success_num\":0,\"failed_num\":0,\"skip_num\":0}]}",
                "{\"group_by\":\"pool\",\"time_zone\":\"Asia/Shanghai\",\"total\":{\"task_count\":0,"
                        + "\"status_counts\":{},"
                        + "\"success_num\":0,\"failed_num\":0,\"skip_num\":0},\"groups\":[]} {}"})
        void anAnswerThatIsNotTheQuerysConsistentStatisticsIsTheUpstreamsFailure(String body) {
            server.stubFor(get(urlPathEqualTo(STATISTICS_PATH)).willReturn(okJson(body)));

            Throwable failure = failureOf(upstream.loadStatistics(byPool(), Caller.ANONYMOUS));

            assertThat(failure).isInstanceOf(TaskSourceUnavailableException.class).hasMessageContaining("malformed");
            assertThat(failure.getMessage()).doesNotContain(body);
            assertThat(listener.outcomes).containsExactly("malformed");
        }

        @Test
        void sourcesTheAnswerSaysAreMissingBehindTheUpstreamAreMissingFromTheStatistics() {
            server.stubFor(get(urlPathEqualTo(STATISTICS_PATH)).willReturn(okJson(STATISTICS_ANSWER)
                    .withHeader("X-Pooltasks-Missing-Upstreams", "west")));

            TaskStatistics statistics = await(upstream.loadStatistics(byPool(), Caller.ANONYMOUS));

            assertThat(statistics.missingSources()).containsExactly("east/west");
            assertThat(statistics.total().tasks()).isEqualTo(3);
        }

        @Test
        void theUpstreamsOwnRefusalIsPassedOnAsItIs() {
            String refusal = "{\"error_code\":\"WKS.1010\",\"error_msg\":\"2,001 tasks match\"}";
            server.stubFor(get(urlPathEqualTo(STATISTICS_PATH)).willReturn(aResponse().withStatus(400)
                    .withHeader("Content-Type", "application/json").withBody(refusal)));

            Throwable failure = failureOf(upstream.loadStatistics(byPool(), Caller.ANONYMOUS));

            assertThat(failure).isInstanceOfSatisfying(TaskSourceRejectedException.class, rejected -> {
                assertThat(rejected.httpStatus()).isEqualTo(400);
                assertThat(rejected.body()).isEqualTo(refusal);
            });
        }

        @Test
        void aFailedCallIsRetriedOnceAsAListCallIs() {
            server.stubFor(get(urlPathEqualTo(STATISTICS_PATH)).inScenario("retry").whenScenarioStateIs("Started")
                    .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
            server.stubFor(get(urlPathEqualTo(STATISTICS_PATH)).inScenario("retry").whenScenarioStateIs("recovered")
                    .willReturn(okJson(STATISTICS_ANSWER)));

            TaskStatistics statistics = await(upstream.loadStatistics(byPool(), Caller.ANONYMOUS));

            assertThat(statistics.total().tasks()).isEqualTo(3);
            assertThat(listener.outcomes).containsExactly("http_503", "success");
        }
    }
}
