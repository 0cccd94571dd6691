package dev.pooltasks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static dev.pooltasks.e2e.RunningPooltasks.PROJECT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A property-style fuzz test of the default instance over raw sockets: a few thousand requests, each generated from a
 * seeded {@link Random}, with random and hostile values in every query parameter, the path's project id, the request
 * line and the headers, encoded properly, raw, or with broken percent-escapes. For every answer:
 *
 * <ul>
 *   <li>never a 5xx, never a hang, never a second response;</li>
 *   <li>an answer from the application (it carries {@code X-Request-Id}, which the first route sets) has a sane request
 *       id (the caller's own when that was sane), no stack-trace text, and, if it is an error, a JSON body with
 *       non-empty string {@code error_code} and {@code error_msg}; a 200 of the API is a page;</li>
 *   <li>an answer that did not come from the application must be one of the documented rejections below.</li>
 * </ul>
 *
 * <p>Rejections before the application (no X-Request-Id, no error body):
 * <ol>
 *   <li><b>The HTTP parser</b> (Netty, via Vert.x) refuses what it cannot parse and closes the connection, answering
 *       400 (or 414/431 when the request line exceeds 40 960 bytes or the headers 64 KiB) with an empty body: a
 *       request line that is not {@code METHOD SP target SP version} (a raw space or tab in the target, extra or
 *       missing parts, a method with characters outside RFC 9110's token, a version such as {@code HTTP/1.1.1} or
 *       {@code HTTP/11}), a header line without a colon or with a name that is not a token, a header value with a
 *       control character (other than tab), an invalid Content-Length, or Content-Length together with
 *       Transfer-Encoding. Allowed only for requests with such a wire-level defect, and only with the connection
 *       closed afterwards (asserted).</li>
 *   <li><b>Quarkus's URI check</b>: a request-target that {@code java.net.URI} rejects (a broken percent-escape such as
 *       {@code %}, {@code %zz} or {@code %4}, a raw control character, DEL, NBSP or C1 character, or a raw
 *       {@code " < > \ ^ ` { | }}) is answered 400 with an empty body and no X-Request-Id, connection kept open.</li>
 *   <li><b>Vert.x Web's request checks</b>: an HTTP/1.1 request without a Host header or with one that is not a valid
 *       authority gets 400 with Quarkus's own error body ({@code {"details":"Error id ...","stack":""}}); a
 *       request-target that does not start with "/" (e.g. {@code *}) gets 404 with an empty body.</li>
 * </ol>
 * Items 2 and 3 would violate the contract (every error in the API's shape, every response with X-Request-Id); the
 * service now lets such requests through to its own handlers (app Main, RequestLimits, RouterFailures), and the test
 * is strict by default. {@code -Dpooltasks.e2e.strict=false} tolerates them exactly as described, to diagnose a
 * regression.
 *
 * <p>Afterwards the instance is healthy and answers a normal query exactly as before.
 *
 * <p>System properties: {@code pooltasks.e2e.fuzz.seed} (default: random, printed), {@code pooltasks.e2e.fuzz.requests}
 * (default 3000), {@code pooltasks.e2e.fuzz.budgetSeconds} (default 45: stop generating after that long, so that the
 * test stays within about a minute on a slow machine), {@code pooltasks.e2e.fuzz.only} (run only the request with
 * this number), {@code pooltasks.e2e.strict}.
 */
@PooltasksE2E
class HostileInputFuzzTest {
    private static final long SEED = Long.getLong("pooltasks.e2e.fuzz.seed", new SecureRandom().nextLong());
    private static final int REQUESTS = Integer.getInteger("pooltasks.e2e.fuzz.requests", 3000);
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("pooltasks.e2e.fuzz.budgetSeconds", 45));
    private static final Integer ONLY = Integer.getInteger("pooltasks.e2e.fuzz.only");
    private static final boolean STRICT = Boolean.parseBoolean(System.getProperty("pooltasks.e2e.strict", "true"));
    private static final int THREADS = 4;
    private static final int MAX_REPORTED_FAILURES = 25;

    private static final String API_SUFFIX = "/desktop-pools/script-execution-tasks/detail";
    private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern STACK_TRACE = Pattern.compile(
            "\\tat |\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|Exception\\b|\\.java:\\d|java\\.lang\\.|io\\.vertx\\.|org\\.jboss\\.|io\\.quarkus\\.");
    private static final ObjectMapper JSON = new ObjectMapper();

    // ---------------------------------------------------------------- the test

    @Test
    void hostileRequestsGetWellFormedAnswersAndLeaveTheServiceHealthy(RunningPooltasks app) throws Exception {
        System.out.printf("HostileInputFuzzTest: seed %d (rerun with -Dpooltasks.e2e.fuzz.seed=%d)%n", SEED, SEED);
        HttpClient http = JdkHttp.client();
        String normalQuery = app.baseUri() + "/v2/" + PROJECT_ID + API_SUFFIX + "?status=FAILED&limit=7&offset=3";
        HttpResponse<String> before = http.send(HttpRequest.newBuilder(URI.create(normalQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(before.statusCode()).isEqualTo(200);
        Corpus corpus = Corpus.from(http, app);
        long applicationErrorsBefore = applicationErrors(app);

        Run run = new Run(app.port(), corpus);
        run.execute();
        System.out.println("HostileInputFuzzTest: " + run.summary());

        if (run.failureCount.get() > 0) {
            fail("seed %d: %d of %d requests failed; rerun with -Dpooltasks.e2e.fuzz.seed=%d (and "
                            + "-Dpooltasks.e2e.fuzz.only=N for request N alone). %s\nThe first failures:\n\n%s",
                    SEED, run.failureCount.get(), run.sent.get(), SEED, run.summary(), String.join("\n\n", run.failures));
        }
        assertThat(run.sent.get()).as("requests sent").isPositive();

        assertThat(app.isAlive()).as("seed %d: the process survived", SEED).isTrue();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(app.managementUri() + "/q/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as("seed %d: /q/health", SEED).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("status").asText()).isEqualTo("UP");
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(normalQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).as("seed %d: the normal query after the fuzz run", SEED).isEqualTo(before.body());
        assertThat(applicationErrors(app)).as("seed %d: ERROR lines the application logged during the run (%s)", SEED,
                app.logFile()).isEqualTo(applicationErrorsBefore);
    }

    /** ERROR log lines of the application's own loggers (an unexpected exception, even if answered with a 4xx). */
    private static long applicationErrors(RunningPooltasks app) {
        return app.logText().lines().filter(line -> line.contains(" ERROR [dev.pooltasks")).count();
    }

    /**
     * HTTP/1.0 needs no Host header, and with a Host that is not an authority no absolute URI can be formed; such
     * requests used to fail with a 500 (the authentication filter built the absolute request URI).
     */
    @Test
    void http10RequestsWithoutAUsableHostAreServed(RunningPooltasks app) throws Exception {
        String path = "/v2/" + PROJECT_ID + API_SUFFIX + "?limit=2";
        for (String host : java.util.Arrays.asList(null, "x:99999999", "[::1", "a b")) {
            String request = "GET " + path + " HTTP/1.0\r\n" + (host == null ? "" : "Host: " + host + "\r\n") + "\r\n";
            RawHttp.Exchange exchange = RawHttp.send(app.port(), ascii(request), false, Duration.ofSeconds(20),
                    Duration.ZERO);

            assertThat(exchange.response()).as("Host %s: %s", host, exchange.problem()).isNotNull();
            assertThat(exchange.response().status()).as("Host %s: %s", host, exchange.response()).isEqualTo(200);
            assertThat(exchange.response().header("X-Request-Id")).matches(SANE_REQUEST_ID);
            JsonNode page = JSON.readTree(exchange.response().body());
            assertThat(page.path("total_count").asInt()).isEqualTo(RunningPooltasks.TASKS);
            assertThat(page.path("script_execution_tasks").size()).isEqualTo(2);
        }
    }

    @Test
    void aMalformedEscapeInAParameterIsRefusedNamingIt(RunningPooltasks app) throws Exception {
        String path = "/v2/" + PROJECT_ID + API_SUFFIX + "?limit=2&script_name=50%";
        for (String suffix : List.of("", "25")) {
            RawHttp.Exchange exchange = RawHttp.send(app.port(), ascii("GET " + path + suffix
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), false, Duration.ofSeconds(20),
                    Duration.ZERO);

            assertThat(exchange.response()).as(exchange.problem()).isNotNull();
            assertThat(exchange.response().header("X-Request-Id")).matches(SANE_REQUEST_ID);
            JsonNode answer = JSON.readTree(exchange.response().body());
            if (suffix.isEmpty()) {
                assertThat(exchange.response().status()).isEqualTo(400);
                assertThat(answer.path("error_code").asText()).isEqualTo("WKS.1001");
                assertThat(answer.path("error_msg").asText()).isEqualTo("script_name has a malformed percent-escape:"
                        + " '%' must be followed by two hex digits (write '%' itself as %25)");
                assertThat(answer.path("error_detail").asText()).isEqualTo("script_name");
            } else {
                assertThat(exchange.response().status()).as(answer.toString()).isEqualTo(200);
            }
        }
    }

    // ---------------------------------------------------------------- running and judging

    /** How a response was classified. */
    enum Verdict {
        APPLICATION, PARSER_REJECTED, URI_CHECK_REJECTED, HOST_CHECK_REJECTED, PATH_CHECK_REJECTED, FAILED
    }

    private static final class Run {
        final int port;
        final Corpus corpus;
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger failureCount = new AtomicInteger();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        final Map<Verdict, AtomicInteger> verdicts = new ConcurrentHashMap<>();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final AtomicLong bytesSent = new AtomicLong();

        Run(int port, Corpus corpus) {
            this.port = port;
            this.corpus = corpus;
        }

        void execute() throws Exception {
            long deadline = System.nanoTime() + BUDGET.toNanos();
            AtomicInteger next = new AtomicInteger(ONLY == null ? 0 : ONLY);
            int last = ONLY == null ? REQUESTS : ONLY + 1;
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    workers.add(pool.submit(() -> {
                        int index;
                        while ((index = next.getAndIncrement()) < last && System.nanoTime() < deadline) {
                            one(index);
                        }
                        return null;
                    }));
                }
                for (Future<?> worker : workers) {
                    worker.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }

        void one(int index) {
            Generated request = Generator.generate(index, port, corpus);
            bytesSent.addAndGet(request.bytes.length);
            // Only for a possible parser rejection is it worth waiting to see the connection closed; a 400 for a URI
            // that java.net.URI rejects may also be Quarkus's URI check, which keeps the connection open.
            RawHttp.Exchange exchange = RawHttp.send(port, request.bytes, request.head, Duration.ofSeconds(20),
                    response -> response.header("X-Request-Id") == null && request.wireDefect
                            && (STRICT || !request.uriRejected || response.status() != 400)
                            ? Duration.ofSeconds(3) : Duration.ZERO);
            sent.incrementAndGet();
            String problem;
            Verdict verdict;
            try {
                verdict = judge(request, exchange);
                problem = null;
            } catch (AssertionError e) {
                verdict = Verdict.FAILED;
                problem = e.getMessage();
            }
            verdicts.computeIfAbsent(verdict, v -> new AtomicInteger()).incrementAndGet();
            if (exchange.response() != null) {
                statuses.computeIfAbsent(exchange.response().status(), s -> new AtomicInteger()).incrementAndGet();
            }
            if (problem != null) {
                failureCount.incrementAndGet();
                if (failures.size() < MAX_REPORTED_FAILURES) {
                    failures.add("request #" + index + " (" + request.notes + "): " + RawHttp.describe(request.bytes, 700)
                            + "\n  -> " + (exchange.response() == null ? "no response" : exchange.response())
                            + ", connection " + exchange.connection()
                            + (exchange.problem() == null ? "" : " (" + exchange.problem() + ")")
                            + "\n  problem: " + problem);
                }
            }
        }

        String summary() {
            return sent.get() + " requests (" + bytesSent.get() / 1024 + " KiB), verdicts " + new TreeMap<>(verdicts)
                    + ", statuses " + new TreeMap<>(statuses) + ", failures " + failureCount.get()
                    + (STRICT ? " (strict)" : "");
        }
    }

    /** Classifies one exchange; throws AssertionError with the reason when it breaks a rule. */
    static Verdict judge(Generated request, RawHttp.Exchange exchange) {
        RawHttp.Response response = exchange.response();
        if (response == null) {
            check(exchange.connection() == RawHttp.Connection.CLOSED && request.wireDefect,
                    "no response (" + exchange.problem() + ")");
            return Verdict.PARSER_REJECTED;
        }
        check(response.status() >= 100, "not a complete HTTP response: " + exchange.problem());
        check(response.status() < 500, "a 5xx answer");
        check(exchange.connection() != RawHttp.Connection.EXTRA_BYTES, "bytes after the response");
        check(!STACK_TRACE.matcher(response.text()).find(), "stack-trace text in the body");

        String requestId = response.header("X-Request-Id");
        if (requestId != null) {
            judgeApplicationAnswer(request, response);
            return Verdict.APPLICATION;
        }
        boolean emptyBody = response.body().length == 0;
        if (request.wireDefect && exchange.connection() == RawHttp.Connection.CLOSED && emptyBody
                && List.of(400, 413, 414, 431).contains(response.status())) {
            return Verdict.PARSER_REJECTED;
        }
        if (!STRICT && request.uriRejected && response.status() == 400 && emptyBody) {
            return Verdict.URI_CHECK_REJECTED;
        }
        if (!STRICT && request.hostRejectable && response.status() == 400) {
            return Verdict.HOST_CHECK_REJECTED;
        }
        if (!STRICT && request.notOriginForm && response.status() == 404 && emptyBody) {
            return Verdict.PATH_CHECK_REJECTED;
        }
        throw new AssertionError("an answer without X-Request-Id that is none of the documented rejections"
                + " (wire defect " + request.wireDefect + ", URI rejected " + request.uriRejected
                + ", host rejectable " + request.hostRejectable + ", not origin-form " + request.notOriginForm + ")");
    }

    private static void judgeApplicationAnswer(Generated request, RawHttp.Response response) {
        List<String> ids = response.headers("X-Request-Id");
        check(ids.size() == 1, "X-Request-Id sent " + ids.size() + " times");
        String id = ids.get(0);
        check(SANE_REQUEST_ID.matcher(id).matches(), "X-Request-Id is not sane: " + RawHttp.escape(id));
        if (request.requestIds.size() == 1) {
            String sent = request.requestIds.get(0);
            if (SANE_REQUEST_ID.matcher(sent).matches()) {
                check(id.equals(sent), "the caller's sane X-Request-Id was not echoed");
            } else {
                check(!id.equals(sent), "an insane X-Request-Id was echoed");
            }
        }
        int status = response.status();
        if (status >= 400 && !request.head) {
            String type = response.header("Content-Type");
            check(type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json"),
                    "error without a JSON Content-Type: " + type);
            JsonNode body = json(response);
            check(body.isObject(), "error body is not a JSON object");
            check(body.path("error_code").isTextual() && !body.path("error_code").asText().isBlank(),
                    "error_code missing, not a string, or empty");
            check(body.path("error_msg").isTextual() && !body.path("error_msg").asText().isBlank(),
                    "error_msg missing, not a string, or empty");
            String code = body.path("error_code").asText();
            check(code.matches("(WKS|APIG)\\.\\d{4}"), "an error_code that is not the API's: " + code);
        }
        if (status == 200 && request.apiGet && !request.head) {
            JsonNode body = json(response);
            check(body.path("total_count").isInt() && body.path("total_count").asInt() >= 0, "no total_count");
            check(body.path("script_execution_tasks").isArray()
                    && body.path("script_execution_tasks").size() <= 100, "no page of at most 100 tasks");
        }
    }

    private static JsonNode json(RawHttp.Response response) {
        try {
            return JSON.readTree(response.body());
        } catch (java.io.IOException e) {
            throw new AssertionError("body is not JSON: " + e.getMessage());
        }
    }

    private static void check(boolean condition, String problem) {
        if (!condition) {
            throw new AssertionError(problem);
        }
    }

    // ---------------------------------------------------------------- what requests are made of

    /** Real values from the data, so that some fuzzed requests also match tasks. */
    record Corpus(List<String> taskIds, List<String> poolIds, List<String> scriptIds, List<String> startTimes) {
        static Corpus from(HttpClient http, RunningPooltasks app) throws Exception {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(app.baseUri() + "/v2/" + PROJECT_ID
                    + API_SUFFIX + "?limit=100&offset=100")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            List<String> tasks = new ArrayList<>();
            List<String> pools = new ArrayList<>();
            List<String> scripts = new ArrayList<>();
            List<String> times = new ArrayList<>();
            for (JsonNode task : JSON.readTree(page.body()).path("script_execution_tasks")) {
                tasks.add(task.path("id").asText());
                pools.add(task.path("desktop_pool_id").asText());
                times.add(task.path("start_time").asText());
                task.path("scripts").forEach(script -> scripts.add(script.path("id").asText()));
            }
            assertThat(tasks).hasSize(100);
            assertThat(scripts).isNotEmpty();
            return new Corpus(tasks, pools, scripts, times);
        }
    }

    /**
     * One generated request and what is known about it from its bytes alone.
     *
     * @param wireDefect      the request line or a header is not well-formed HTTP/1.1 (see the class comment, 1)
     * @param uriRejected     java.net.URI rejects the request-target as the server decodes it (ISO-8859-1)
     * @param hostRejectable  the Host header is missing (HTTP/1.1 only) or repeated or not a plain authority
     * @param notOriginForm   the request-target starts with neither "/" nor "http(s)://"
     * @param requestIds      the X-Request-Id values sent, as the server reads them (ISO-8859-1, trimmed)
     * @param apiGet          a GET of the API's path
     */
    record Generated(byte[] bytes, boolean head, boolean wireDefect, boolean uriRejected, boolean hostRejectable,
                     boolean notOriginForm, List<String> requestIds, boolean apiGet, String notes) {
    }

    static final class Generator {
        private static final List<String> HOSTILE = List.of(
                "", " ", "  ", "\t", "0", "1", "5", "10", "99", "100", "101", "-1", "-0", "+5", " 5", "5 ", "05", "007",
                "0x10", "1e3", "1.5", "1,5", "NaN", "Infinity", "null", "true", "[]", "{}", "2147483647", "2147483648",
                "-2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808",
                "99999999999999999999999999", "\u0661\u0660", "\uff15", "\u216b", "SUCCESS", "success", "FAILED",
                "RUNNING", "WAITING", "FINISH", "INIT", "SCRIPT", "COMMAND", "command", " SUCCESS ", "\u017fuccess",
                "\uff33\uff35\uff23\uff23\uff25\uff33\uff33", "SUCCESS\u0000", "2026-10-20T00:00:00Z",
                "2026-10-20T00:00:00+08:00", "2026-10-20T00:00:00.123456789Z", "2026-10-20", "2026-13-45T99:99:99Z",
                "0000-00-00T00:00:00Z", "+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z",
                "+1000000000-01-01T00:00:00Z", "2026-10-20T00:00:00+18:00", "2026-10-20T00:00:00+18:01",
                "+999999999-12-31T23:59:59.999999999-18:00", "-999999999-01-01T00:00:00+18:00",
                "1970-01-01T00:00:00Z", "2026-10-20T24:00:00Z", "2026-02-29T00:00:00Z", "2026-10-20T00:00:60Z",
                "2026-10-20t00:00:00z", "2026-10-20 00:00:00Z", "' OR '1'='1", "'; DROP TABLE tasks;--",
                "\" OR \"\"=\"", "1; SELECT pg_sleep(10)", "%' OR 1=1 --", "UNION SELECT NULL,NULL--",
                "{\"$gt\":\"\"}", "{\"a\":", "]", "\\", "\\u0000", "\\\"", "\"", "'", "`", "<script>alert(1)</script>",
                "<img src=x onerror=alert(1)>", "&lt;&amp;", "]]>", "<!--", "${jndi:ldap://127.0.0.1:1/a}", "#{7*7}",
                "{{7*7}}", "%s%s%s%n", "%d", "../../../../etc/passwd", "..\\..\\windows", "/", "//", ".", "..", "~",
                "*", "?", "#", "&", "=", "&&==", ";", ",", "a,b", "+", "%", "%25", "%zz", "%e9", "%00", "\u0000",
                "\u0001", "\r", "\u001b[31m", "\u007f", "\u0085", "\u00a0", "\u2028", "\u2029", "\u200b", "\u200e",
                "\u202e", "\ufeff", "\ufffd", "\uffff", "\ud800", "\udc00", "\ud83d\ude00", "\u00e9", "\u00fc",
                "\u65e5\u672c\u8a9e", "\ud835\udd18\ud835\udd2b", "Z\u0334\u0327a\u0335", "\u0130", "\u00df", "\ufb03",
                "a".repeat(16), "a".repeat(17), "a".repeat(64), "a".repeat(65), "a".repeat(255), "a".repeat(256),
                "a".repeat(1000), "a".repeat(1001), "\u00e9".repeat(300));
        private static final List<String> PARAMETERS = List.of("desktop_pool_id", "script_id", "script_name", "status",
                "task_type", "execute_time_start", "execute_time_end", "offset", "limit");
        private static final List<String> BROKEN_ESCAPES = List.of("%", "%z", "%zz", "%e9", "%c3%28", "%ff", "%u00e9",
                "%%", "%0", "%G1", "%2", "%c3", "%ed%a0%80", "%C0%AF", "%00");
        private static final List<String> ODD_VERSIONS = List.of("HTTP/1.2", "HTTP/0.9", "http/1.1", "HTTP/2.0",
                "HTTP/1.1.1", "HTTP/11", "XTTP/1.1", "HTTP/1.1 extra", "HTTP/ 1.1", "");
        private static final List<String> ODD_METHODS = List.of("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
                "get", "GeT", "FOO", "M-SEARCH", "G T", "G\u00c9T", "GET GET", "G\u0001T", "CONNECT", "GET".repeat(100));
        private static final List<String> EXTRA_HEADERS = List.of("X-Forwarded-For", "X-Forwarded-Host",
                "X-Forwarded-Proto", "X-Forwarded-Prefix", "Forwarded", "Cookie", "Range", "If-None-Match",
                "If-Modified-Since", "Origin", "Access-Control-Request-Method", "Via", "Referer", "User-Agent",
                "Accept-Language", "Expect", "X-Security-Token", "X-Sdk-Content-Sha256", "X-Unknown", "Accept-Charset");

        /**
         * A request from the seed and its number alone: the same seed and number give the same bytes (apart from the
         * port number in the Host header, which differs from run to run).
         */
        static Generated generate(int index, int port, Corpus corpus) {
            Random random = new Random(SEED ^ (0x9E3779B97F4A7C15L * (index + 1)));
            return new Generator(random, port, corpus).build();
        }

        private final Random random;
        private final int port;
        private final Corpus corpus;
        private final java.util.Set<String> notes = new java.util.LinkedHashSet<>();
        private byte[] body = new byte[0];
        /** Per request, so that most requests reach the application: values properly encoded, raw, or broken. */
        private final Encoding encoding;

        private enum Encoding { PROPER, RAW, BROKEN }

        private Generator(Random random, int port, Corpus corpus) {
            this.random = random;
            this.port = port;
            this.corpus = corpus;
            double roll = random.nextDouble();
            this.encoding = roll < 0.65 ? Encoding.PROPER : roll < 0.85 ? Encoding.RAW : Encoding.BROKEN;
        }

        private Generated build() {
            String method = chance(0.88) ? "GET" : chance(0.3) ? "HEAD" : pick(ODD_METHODS);
            String version = chance(0.9) ? "HTTP/1.1" : chance(0.6) ? "HTTP/1.0" : pick(ODD_VERSIONS);
            byte[] target = target();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(bytes(method));
            out.write(' ');
            out.writeBytes(target);
            if (!version.isEmpty()) {
                out.write(' ');
                out.writeBytes(ascii(version));
            }
            out.writeBytes(ascii("\r\n"));
            int lineLength = out.size();
            boolean wireDefect = !TOKEN.matcher(method).matches() || !(version.equals("HTTP/1.1")
                    || version.equals("HTTP/1.0")) || hasByte(target, b -> b <= 0x20 || b == 0x7f)
                    || lineLength > 40_000;

            List<String[]> headers = headers(method);
            List<String> requestIds = new ArrayList<>();
            int hosts = 0;
            boolean plainHost = true;
            int headerBytes = 0;
            for (String[] header : headers) {
                byte[] line = header.length == 1 ? bytes(header[0]) : bytes(header[0] + ": " + header[1]);
                out.writeBytes(line);
                out.writeBytes(ascii("\r\n"));
                headerBytes += line.length + 2;
                if (header.length == 1 || !TOKEN.matcher(header[0]).matches()
                        || hasByte(bytes(header[1]), b -> (b < 0x20 && b != '\t') || b == 0x7f)) {
                    wireDefect = true;
                    continue;
                }
                String name = header[0].toLowerCase(Locale.ROOT);
                String seen = latin1(bytes(header[1])).strip();
                if (name.equals("host")) {
                    hosts++;
                    plainHost &= seen.equals("127.0.0.1:" + port);
                } else if (name.equals("x-request-id")) {
                    requestIds.add(seen);
                } else if (name.equals("content-length") && !seen.matches("\\d{1,9}")) {
                    wireDefect = true;
                } else if (name.equals("transfer-encoding")) {
                    wireDefect = true;
                }
            }
            wireDefect |= headerBytes > 60_000;
            out.writeBytes(ascii("\r\n"));
            out.writeBytes(body);

            String targetText = latin1(target);
            boolean uriRejected;
            try {
                new URI(targetText);
                uriRejected = false;
            } catch (URISyntaxException e) {
                uriRejected = true;
            }
            boolean http11 = !version.equals("HTTP/1.0");
            boolean hostRejectable = hosts > 1 || (hosts == 1 && !plainHost) || (hosts == 0 && http11);
            boolean notOriginForm = !targetText.startsWith("/") && !targetText.matches("(?i)https?://.*");
            boolean apiGet = method.equals("GET") && targetText.startsWith("/v2/") && targetText.contains(API_SUFFIX);
            return new Generated(out.toByteArray(), method.equals("HEAD"), wireDefect, uriRejected, hostRejectable,
                    notOriginForm, List.copyOf(requestIds), apiGet, String.join(", ", notes));
        }

        // ------------------------------------------------------------ request-target

        private byte[] target() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (chance(0.12)) {
                String odd = pick(List.of("/", "/v2", "/v2/", "*", "v2/" + PROJECT_ID + API_SUFFIX,
                        "/v2/" + PROJECT_ID + API_SUFFIX + "/", "//v2/" + PROJECT_ID + API_SUFFIX,
                        "/v2/./" + PROJECT_ID + API_SUFFIX, "/v2/../v2/" + PROJECT_ID + API_SUFFIX,
                        "/V2/" + PROJECT_ID + API_SUFFIX, "/v2/" + PROJECT_ID + API_SUFFIX + ";x=1",
                        "/v2/" + PROJECT_ID + API_SUFFIX + "#fragment", "/q/health", "/q/nope", "/%2e%2e/",
                        "http://127.0.0.1:" + port + "/v2/" + PROJECT_ID + API_SUFFIX,
                        "/v2/" + PROJECT_ID + "/desktop-pools/script-execution-tasks", "/v2/" + PROJECT_ID));
                notes.add("odd target");
                out.writeBytes(ascii(odd));
            } else {
                out.writeBytes(ascii("/v2/"));
                out.writeBytes(projectSegment());
                out.writeBytes(ascii(API_SUFFIX));
            }
            if (chance(0.85)) {
                out.write('?');
                out.writeBytes(query());
            }
            return out.toByteArray();
        }

        private byte[] projectSegment() {
            double roll = random.nextDouble();
            if (roll < 0.55) {
                return ascii(PROJECT_ID);
            }
            notes.add("hostile project id");
            if (roll < 0.65) {
                return ascii(pick(List.of(PROJECT_ID.toUpperCase(Locale.ROOT), PROJECT_ID + "x", "",
                        "ffffffffffffffffffffffffffffffff", PROJECT_ID.substring(1), "%20" + PROJECT_ID)));
            }
            return encoded(hostile(), true);
        }

        private byte[] query() {
            List<byte[]> pairs = new ArrayList<>();
            for (String parameter : PARAMETERS) {
                if (chance(0.3)) {
                    int times = chance(0.1) ? 2 + random.nextInt(3) : 1;
                    for (int i = 0; i < times; i++) {
                        pairs.add(pair(parameter, valueFor(parameter)));
                    }
                }
            }
            if (chance(0.3)) {
                int count = pick(List.of(0, 1, 2, 5, 50, 99, 100, 101, 120, 150, random.nextInt(151)));
                notes.add(count + " task_id");
                for (int i = 0; i < count; i++) {
                    String value = chance(0.7) ? pick(corpus.taskIds) : chance(0.5) ? "" : shortHostile();
                    pairs.add(pair("task_id", value));
                }
            }
            if (chance(0.15)) {
                notes.add("unknown parameters");
                int count = 1 + random.nextInt(4);
                for (int i = 0; i < count; i++) {
                    pairs.add(pair(chance(0.5) ? pick(List.of("foo", "X-Auth-Token", "LIMIT", "limit ", "task_id[]",
                            "offset%00", "__proto__", "constructor", "a.b", "")) : shortHostile(), hostile()));
                }
            }
            if (chance(0.05)) {
                notes.add("huge value");
                int size = pick(List.of(8_000, 30_000, 32_600, 33_000, 39_000, 45_000));
                pairs.add(pair(pick(PARAMETERS), pick(List.of("a", "\u00e9", "%", "1")).repeat(size / 3)));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < pairs.size(); i++) {
                if (i > 0) {
                    out.writeBytes(ascii(chance(0.03) ? pick(List.of("&&", ";", "&=&", "&x&")) : "&"));
                }
                out.writeBytes(pairs.get(i));
            }
            if (chance(0.03)) {
                out.writeBytes(ascii(pick(List.of("&", "?", "=", "&&", "#x", "%"))));
            }
            return out.toByteArray();
        }

        private byte[] pair(String name, String value) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(chance(0.9) ? encoded(name, false) : ascii(name.replaceAll("[^A-Za-z_]", "")));
            if (chance(0.97)) {
                out.write('=');
                out.writeBytes(encoded(value, false));
            }
            return out.toByteArray();
        }

        private String valueFor(String parameter) {
            if (chance(0.35)) {
                return switch (parameter) {
                    case "desktop_pool_id" -> pick(corpus.poolIds);
                    case "script_id" -> pick(corpus.scriptIds);
                    case "script_name" -> pick(List.of("a", "config", "SSH", "e"));
                    case "status" -> pick(List.of("SUCCESS", "FAILED", "RUNNING", "WAITING", "finish", "Init"));
                    case "task_type" -> pick(List.of("SCRIPT", "COMMAND", "script"));
                    case "execute_time_start", "execute_time_end" -> pick(corpus.startTimes);
                    default -> String.valueOf(random.nextInt(120) - 5);
                };
            }
            return hostile();
        }

        /**
         * Encodes text for the target: percent-encoded as RFC 3986 (sometimes with '+' for spaces in the query), or,
         * in requests chosen for it, raw or with broken escapes inserted. Raw line feeds are always encoded: they
         * would end the request line, which makes a different request rather than a hostile value.
         */
        private byte[] encoded(String text, boolean pathSegment) {
            double roll = random.nextDouble();
            if (encoding == Encoding.RAW && roll < 0.5) {
                notes.add("raw");
                return bytes(text.replace("\n", "%0A"));
            }
            if (encoding == Encoding.BROKEN && roll < 0.3) {
                notes.add("broken escape");
                String proper = percentEncode(text, false);
                int at = random.nextInt(proper.length() + 1);
                return ascii(proper.substring(0, at) + pick(BROKEN_ESCAPES) + proper.substring(at));
            }
            return ascii(percentEncode(text, !pathSegment && roll > 0.85));
        }

        // ------------------------------------------------------------ headers and body

        private List<String[]> headers(String method) {
            List<String[]> headers = new ArrayList<>();
            double host = random.nextDouble();
            if (host < 0.93) {
                headers.add(new String[] {"Host", "127.0.0.1:" + port});
            } else {
                notes.add("odd Host");
                String odd = pick(List.of("", "127.0.0.1", "localhost", "a b", "[::1", "x:99999999", "\u00e9",
                        "127.0.0.1:" + port + ":1", "-", "MISSING", "TWICE"));
                if (odd.equals("TWICE")) {
                    headers.add(new String[] {"Host", "127.0.0.1:" + port});
                    headers.add(new String[] {"Host", "127.0.0.1:" + port});
                } else if (!odd.equals("MISSING")) {
                    headers.add(new String[] {"Host", odd});
                }
            }
            if (chance(0.4)) {
                double roll = random.nextDouble();
                String id = roll < 0.4 ? saneId(1 + random.nextInt(64)) : roll < 0.5 ? saneId(65)
                        : roll < 0.55 ? saneId(64) : headerValue(hostile());
                headers.add(new String[] {"X-Request-Id", id});
                if (chance(0.05)) {
                    headers.add(new String[] {"X-Request-Id", saneId(8)});
                }
            }
            if (chance(0.2)) {
                headers.add(new String[] {"X-Auth-Token", chance(0.1) ? "t".repeat(40_000) : headerValue(hostile())});
            }
            if (chance(0.15)) {
                headers.add(new String[] {"Content-Type", pick(List.of("application/json",
                        "application/json; charset=utf-8", "text/plain", ";;;", "a/b/c", "application/json; charset=\"",
                        "*/*", headerValue(hostile())))});
            }
            if (chance(0.2)) {
                headers.add(new String[] {"Accept", pick(List.of("application/json", "*/*", "text/html",
                        "application/xml", ";;;", "*/*;q=abc", "application/json;q=0", "application/json;q=2", "text/*",
                        "", "application/*, text/html;q=0.1", headerValue(hostile())))});
            }
            if (chance(0.15)) {
                headers.add(new String[] {"Authorization", pick(List.of(
                        "SDK-HMAC-SHA256 Access=E2EFUZZ, SignedHeaders=host;x-sdk-date, Signature=00", "Bearer x",
                        "Basic Zm9vOmJhcg==", "garbage", "SDK-HMAC-SHA256", headerValue(hostile())))});
            }
            if (chance(0.1)) {
                headers.add(new String[] {"X-Sdk-Date", pick(List.of("20261101T000000Z", "garbage",
                        "99999999T999999Z", headerValue(hostile())))});
            }
            if (chance(0.1)) {
                headers.add(new String[] {"X-Project-Id", headerValue(hostile())});
            }
            if (chance(0.15)) {
                headers.add(new String[] {pick(EXTRA_HEADERS), headerValue(hostile())});
            }
            if (chance(0.05)) {
                int size = pick(List.of(20_000, 47_000, 49_500, 55_000, 60_000));
                notes.add("header of " + size + " bytes");
                headers.add(new String[] {"X-Pad", "p".repeat(size)});
            }
            if (chance(0.02)) {
                notes.add("300 headers");
                for (int i = 0; i < 300; i++) {
                    headers.add(new String[] {"X-Many-" + i, "v" + i});
                }
            }
            if (chance(0.03)) {
                notes.add("malformed header line");
                String malformed = pick(List.of("NoColonHere", "Bad Name: v", ": empty-name", "X-Ctl: a\u0001b",
                        "X-Fold: a\r\n folded", "X-Cr: a\rb", "X-Nul: \u0000", "X-\u00e9: v", "(x): v"));
                int colon = malformed.indexOf(": ");
                headers.add(colon < 0 ? new String[] {malformed}
                        : new String[] {malformed.substring(0, colon), malformed.substring(colon + 2)});
            }
            if (!method.equals("GET") && !method.equals("HEAD") && chance(0.7)) {
                body = bytes(pick(List.of("{}", "{\"limit\":1}", "", "x".repeat(2_000), headerValue(hostile()))));
                headers.add(new String[] {"Content-Length", String.valueOf(body.length)});
            } else if (chance(0.02)) {
                notes.add("odd framing");
                switch (random.nextInt(4)) {
                    case 0 -> headers.add(new String[] {"Content-Length", "abc"});
                    case 1 -> headers.add(new String[] {"Content-Length", "-1"});
                    case 2 -> {
                        headers.add(new String[] {"Transfer-Encoding", "chunked"});
                        body = ascii("0\r\n\r\n");
                    }
                    default -> {
                        headers.add(new String[] {"Transfer-Encoding", "chunked"});
                        headers.add(new String[] {"Content-Length", "5"});
                        body = ascii("0\r\n\r\n");
                    }
                }
            }
            Collections.shuffle(headers.subList(Math.min(1, headers.size()), headers.size()), random);
            return headers;
        }

        /** Header values are sent as UTF-8 bytes as they are, except line feeds (which would end the header). */
        private static String headerValue(String text) {
            return text.replace('\n', ' ');
        }

        // ------------------------------------------------------------ values

        private String hostile() {
            double roll = random.nextDouble();
            if (roll < 0.55) {
                return pick(HOSTILE);
            } else if (roll < 0.7) {
                return number();
            } else if (roll < 0.9) {
                return unicode(random.nextInt(40));
            } else if (roll < 0.97) {
                return pick(HOSTILE) + unicode(random.nextInt(5)) + pick(HOSTILE);
            }
            notes.add("long value");
            return pick(List.of("x", "\u00e9", "9", "\ud83d\ude00", " ")).repeat(pick(List.of(300, 2_000, 5_000)));
        }

        private String shortHostile() {
            String value = hostile();
            return value.length() > 300 ? value.substring(0, 300) : value;
        }

        private String number() {
            String digits = switch (random.nextInt(5)) {
                case 0 -> String.valueOf(random.nextInt());
                case 1 -> String.valueOf(random.nextLong());
                case 2 -> String.valueOf(random.nextInt(200));
                case 3 -> String.valueOf((long) Integer.MAX_VALUE + random.nextInt(3) - 1);
                default -> new java.math.BigInteger(100, random).toString();
            };
            return pick(List.of("", "", "", "+", "-", "0", " ", "00")) + digits + pick(List.of("", "", "", " ", ".0", "e1"));
        }

        private String unicode(int length) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < length; i++) {
                double roll = random.nextDouble();
                if (roll < 0.4) {
                    out.append((char) (0x20 + random.nextInt(0x5f)));
                } else if (roll < 0.5) {
                    out.append((char) (0xa0 + random.nextInt(0x60)));
                } else if (roll < 0.56) {
                    out.append((char) (random.nextBoolean() ? random.nextInt(0x20) : 0x7f + random.nextInt(0x21)));
                } else if (roll < 0.8) {
                    char c = (char) (0x100 + random.nextInt(0xd800 - 0x100));
                    out.append(c);
                } else if (roll < 0.9) {
                    out.appendCodePoint(0x1f300 + random.nextInt(0x300));
                } else if (roll < 0.92) {
                    out.append((char) (0xd800 + random.nextInt(0x800)));
                } else {
                    out.append(pick(List.of("\ufeff", "\u202e", "\uffff", "\u0000", "\u200b", "\ufffd", "\u0301")));
                }
            }
            return out.toString();
        }

        private String saneId(int length) {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < length; i++) {
                out.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return out.toString();
        }

        private boolean chance(double probability) {
            return random.nextDouble() < probability;
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }
    }

    // ---------------------------------------------------------------- bytes

    /** RFC 3986: UTF-8, everything but A-Z a-z 0-9 - _ . ~ as %HH (a space as "+" when asked). */
    static String percentEncode(String text, boolean plusForSpace) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else if (c == ' ' && plusForSpace) {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static boolean hasByte(byte[] bytes, java.util.function.IntPredicate test) {
        for (byte b : bytes) {
            if (test.test(b & 0xff)) {
                return true;
            }
        }
        return false;
    }
}
