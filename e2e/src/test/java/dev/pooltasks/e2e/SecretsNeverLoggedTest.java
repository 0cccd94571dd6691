package dev.pooltasks.e2e;

import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.exception.ServiceResponseException;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.workspace.v2.WorkspaceClient;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.pooltasks.e2e.RunningPooltasks.PROJECT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * No secret reaches the log, even at DEBUG. An instance is started with DEBUG logging (root and dev.pooltasks),
 * caller access keys and tokens, and three upstreams that all lead to the shared default instance: one called with
 * AK/SK (a secret key and a security token of its own), one with a static token, one passing the caller's token on.
 * All secrets are fresh random strings given through the environment only. Then requests that are accepted, rejected
 * (wrong secret key, wrong or near-miss token, no Host), throttled, forbidden, or that carry secrets where they do not
 * belong (token or secret key as query parameters, in Authorization, in X-Request-Id, in a cookie, in an oversized
 * header) are sent, the instance is stopped (so that everything is flushed), and its whole output is searched: no
 * secret key or token, nor any 12-character piece of one, may appear. Access key ids may.
 *
 * <p>Two former leaks, now fixed, are searched for too; {@code -Dpooltasks.e2e.strict=false} leaves them out (see
 * {@link #withoutKnownLeaks}), to diagnose a regression. The one case not sent at all: a secret sent as a bare X-Request-Id that happens to be a sane request id
 * (1-64 characters of A-Z a-z 0-9 . _ -): the service echoes and logs sane request ids by design and cannot know
 * the value is a secret. Values that embed a secret in an insane request id are covered.
 */
@PooltasksE2E
class SecretsNeverLoggedTest {
    private static final String AK = "E2ESECRETSAK00000001";
    private static final String AK_LOWER = "e2e-secrets-lower-ak";
    private static final String OUTBOUND_AK = "E2EOUTBOUNDAK0000001";
    private static final String TOKEN_ALIAS = "1111111111111111111111111111aaaa";
    private static final String PASSING_ALIAS = "2222222222222222222222222222bbbb";

    /** Every value that must never appear in the log, by what it is. */
    private static final Map<String, String> SECRETS = new LinkedHashMap<>();
    private static final String SK = secret("caller secret key", TestSecrets.random(40));
    private static final String SK_LOWER = secret("lower-case caller secret key", TestSecrets.random(40));
    private static final String TOKEN = secret("caller token", TestSecrets.random(64));
    private static final String LIMITED_TOKEN = secret("rate-limited caller token", TestSecrets.random(64));
    private static final String NARROW_TOKEN = secret("caller token for one project", TestSecrets.random(64));
    private static final String OUTBOUND_SK = secret("outbound secret key", TestSecrets.random(40));
    private static final String OUTBOUND_SECURITY_TOKEN = secret("outbound security token", TestSecrets.random(120));
    private static final String OUTBOUND_TOKEN = secret("outbound token", TestSecrets.random(64));
    private static final String WRONG_SK = secret("wrong secret key", TestSecrets.random(40));
    private static final String WRONG_TOKEN = secret("wrong token", TestSecrets.random(64));

    /** Strict by default: the former leaks (see {@link #withoutKnownLeaks}) fail the test too. */
    static final boolean STRICT = Boolean.parseBoolean(System.getProperty("pooltasks.e2e.strict", "true"));
    private static final Pattern RECORD_START = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} ",
            Pattern.MULTILINE);

    private static final HttpClient HTTP = JdkHttp.client();
    private static RunningPooltasks upstream;
    private static RunningPooltasks app;

    private static String secret(String what, String value) {
        SECRETS.put(what, value);
        return value;
    }

    @BeforeAll
    static void start(RunningPooltasks defaultInstance) {
        upstream = defaultInstance;
        RunningPooltasks.Builder builder = RunningPooltasks.builder("secrets")
                .property("quarkus.log.level", "DEBUG")
                .property("quarkus.log.category.\"dev.pooltasks\".level", "DEBUG")
                .accessKey(AK, SK, "*", 0)
                .accessKey(AK_LOWER, SK_LOWER, "*", 0)
                .token("caller", TOKEN, "*", 0)
                .token("limited", LIMITED_TOKEN, "*", 2)
                .token("narrow", NARROW_TOKEN, TOKEN_ALIAS, 0)
                // Three upstreams, all the default instance, each with another outbound authentication.
                .property("pooltasks.upstreams.signed.url", upstream.baseUri())
                .property("pooltasks.upstreams.signed.deadline", "20s")
                .property("pooltasks.upstreams.signed.projects." + PROJECT_ID, PROJECT_ID)
                .property("pooltasks.upstreams.signed.auth.mode", "aksk")
                .property("pooltasks.upstreams.signed.auth.access-key", OUTBOUND_AK)
                .env("POOLTASKS_UPSTREAMS_SIGNED_AUTH_SECRET_KEY", OUTBOUND_SK)
                .env("POOLTASKS_UPSTREAMS_SIGNED_AUTH_SECURITY_TOKEN", OUTBOUND_SECURITY_TOKEN)
                .property("pooltasks.upstreams.tokened.url", upstream.baseUri())
                .property("pooltasks.upstreams.tokened.deadline", "20s")
                .property("pooltasks.upstreams.tokened.projects." + TOKEN_ALIAS, PROJECT_ID)
                .property("pooltasks.upstreams.tokened.auth.mode", "token")
                .env("POOLTASKS_UPSTREAMS_TOKENED_AUTH_TOKEN", OUTBOUND_TOKEN)
                .property("pooltasks.upstreams.passing.url", upstream.baseUri())
                .property("pooltasks.upstreams.passing.deadline", "20s")
                .property("pooltasks.upstreams.passing.projects." + PASSING_ALIAS, PROJECT_ID)
                .property("pooltasks.upstreams.passing.auth.mode", "pass-through");
        app = builder.start();
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void noSecretKeyOrTokenAppearsInTheLogAtDebugLevel() throws Exception {
        List<String> unexpected = new ArrayList<>();
        Expect expect = (what, actual, expected) -> {
            if (actual != expected) {
                unexpected.add(what + ": " + actual + " (expected " + expected + ")");
            }
        };

        // Accepted, through each upstream and its outbound authentication.
        for (String project : List.of(PROJECT_ID, TOKEN_ALIAS, PASSING_ALIAS)) {
            expect.status("AK/SK caller, project " + project, sdkStatus(AK, SK, project), 200);
            expect.status("token caller, project " + project, get(project, "limit=2", Map.of("X-Auth-Token", TOKEN)), 200);
        }
        expect.status("lower-case access key", sdkStatus(AK_LOWER, SK_LOWER, PROJECT_ID), 200);
        expect.status("caller token and an X-Security-Token", get(PROJECT_ID, "limit=1",
                Map.of("X-Auth-Token", TOKEN, "X-Security-Token", TOKEN)), 200);

        // Rejected credentials.
        expect.status("wrong secret key", sdkStatus(AK, WRONG_SK, PROJECT_ID), 401);
        expect.status("unknown access key", sdkStatus("E2EUNKNOWNAK00000009", SK, PROJECT_ID), 401);
        for (String wrong : List.of(WRONG_TOKEN, TOKEN + "x", TOKEN.substring(1), SK, OUTBOUND_TOKEN)) {
            expect.status("wrong token", get(PROJECT_ID, "", Map.of("X-Auth-Token", wrong)), 401);
        }
        for (String name : List.of("X-Auth-Token", "token", "access_token", "sk", "secret_key")) {
            expect.status("token as query parameter " + name, get(PROJECT_ID, name + "=" + TOKEN, Map.of()), 401);
        }
        expect.status("secret key as Authorization", get(PROJECT_ID, "", Map.of("Authorization", SK)), 401);
        expect.status("secret key as signature", get(PROJECT_ID, "", Map.of("Authorization", "SDK-HMAC-SHA256 Access="
                + AK + ", SignedHeaders=host;x-sdk-date, Signature=" + SK, "X-Sdk-Date", "20260101T000000Z")), 401);
        expect.status("token as bearer", get(PROJECT_ID, "", Map.of("Authorization", "Bearer " + TOKEN)), 401);

        // Secrets in the query of an authenticated request: some values are invalid, some are just filters.
        Map<String, Integer> inQuery = new LinkedHashMap<>();
        inQuery.put("limit=" + TOKEN, 400);
        inQuery.put("offset=" + SK, 400);
        inQuery.put("status=" + TOKEN, 400);
        inQuery.put("task_type=" + SK, 400);
        inQuery.put("execute_time_start=" + OUTBOUND_SK, 400);
        inQuery.put("execute_time_end=" + TOKEN, 400);
        inQuery.put("task_id=" + TOKEN + "&task_id=" + SK, 200);
        inQuery.put("script_name=" + SK, 200);
        inQuery.put("script_id=" + OUTBOUND_TOKEN, 200);
        inQuery.put("desktop_pool_id=" + OUTBOUND_SECURITY_TOKEN, 200);
        inQuery.put("X-Auth-Token=" + TOKEN + "&unknown=" + SK, 200);
        inQuery.forEach((query, status) -> expect.status("query " + query.substring(0, query.indexOf('=')),
                get(PROJECT_ID, query, Map.of("X-Auth-Token", TOKEN)), status));
        for (String project : List.of(PASSING_ALIAS, TOKEN_ALIAS)) {
            expect.status("filters with secrets through upstream " + project, get(project, "script_name=" + SK
                    + "&desktop_pool_id=" + TOKEN, Map.of("X-Auth-Token", TOKEN)), 200);
        }

        // Secrets in other headers of an authenticated request.
        for (String requestId : List.of("Bearer " + TOKEN, TOKEN + "!", SK + SK, "sk=" + SK, TOKEN + " " + SK)) {
            expect.status("secret inside an insane X-Request-Id", get(PROJECT_ID, "limit=1",
                    Map.of("X-Auth-Token", TOKEN, "X-Request-Id", requestId)), 200);
        }
        expect.status("token in a cookie", get(PROJECT_ID, "limit=1",
                Map.of("X-Auth-Token", TOKEN, "Cookie", "token=" + TOKEN + "; sk=" + SK)), 200);
        expect.status("oversized token", get(PROJECT_ID, "", Map.of("X-Auth-Token", (TOKEN + ",").repeat(800))), 431);
        expect.status("secret in an unknown header", get(PROJECT_ID, "limit=1",
                Map.of("X-Auth-Token", TOKEN, "X-Debug", SK)), 200);

        // Throttled and forbidden.
        expect.status("limited token 1", get(PROJECT_ID, "limit=1", Map.of("X-Auth-Token", LIMITED_TOKEN)), 200);
        expect.status("limited token 2", get(PROJECT_ID, "limit=1", Map.of("X-Auth-Token", LIMITED_TOKEN)), 200);
        expect.status("limited token 3", get(PROJECT_ID, "limit=1", Map.of("X-Auth-Token", LIMITED_TOKEN)), 429);
        expect.status("token for another project", get(PROJECT_ID, "", Map.of("X-Auth-Token", NARROW_TOKEN)), 403);
        expect.status("token for another project, project that does not exist",
                get("ffffffffffffffffffffffffffffffff", "", Map.of("X-Auth-Token", NARROW_TOKEN)), 403);

        // Requests rejected before or around the application, with secrets in the request line and headers. Their
        // status is the fuzz test's business; here only the log matters.
        String path = "/v2/" + PROJECT_ID + "/desktop-pools/script-execution-tasks/detail";
        for (String request : List.of(
                "GET " + path + "?X-Auth-Token=" + TOKEN + " HTTP/1.1\r\nX-Auth-Token: " + TOKEN + "\r\n\r\n",
                "GET " + path + "?X-Auth-Token=" + TOKEN + " HTTP/1.0\r\nX-Auth-Token: " + TOKEN + "\r\n\r\n",
                "GET " + path + "?sk=" + SK + " HTTP/1.0\r\nHost: x:99999999\r\nX-Auth-Token: " + TOKEN + "\r\n\r\n",
                "GET " + path + "?sk=" + SK + "&broken=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "GET " + path + "?sk=" + SK + "&raw=\u0001 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "GET " + path + "?token=" + TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: \u0001" + TOKEN + "\r\n\r\n",
                "GET " + path + "%zz?token=" + TOKEN + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
            RawHttp.send(app.port(), request.getBytes(StandardCharsets.UTF_8), false, Duration.ofSeconds(20),
                    Duration.ZERO);
        }

        assertThat(unexpected).as("answers that were not as expected (the scenarios must happen as planned)").isEmpty();
        assertThat(app.isAlive()).isTrue();
        // Stop the instance, so that everything it would log is in the file.
        app.close();
        String log = app.logText();
        assertThat(log).as("the log of a DEBUG instance").contains(" DEBUG ").contains("caller authentication");
        assertThat(log).as("the access log logged the requests").contains("status=401").contains("status=429");

        String searched = STRICT ? log : withoutKnownLeaks(log);
        List<String> leaks = new ArrayList<>();
        SECRETS.forEach((what, secret) -> {
            String piece = firstPieceIn(searched, secret, 12);
            if (piece != null) {
                leaks.add(what + " (" + (piece.equals(secret) ? "whole" : "the piece " + piece) + "), e.g. in: "
                        + linesContaining(searched, piece));
            }
        });
        if (!leaks.isEmpty()) {
            fail("secrets in the log of " + app.logFile() + ":\n" + String.join("\n", leaks));
        }
        // The upstream, too, never logged what it was sent.
        String upstreamLog = upstream.logText();
        SECRETS.forEach((what, secret) -> assertThat(firstPieceIn(upstreamLog, secret, 12))
                .as("%s in the upstream's log %s", what, upstream.logFile()).isNull());
    }

    @FunctionalInterface
    private interface Expect {
        void status(String what, int actual, int expected);
    }

    private static int sdkStatus(String accessKey, String secretKey, String projectId) {
        WorkspaceClient client = WorkspaceClient.newBuilder()
                .withCredential(new BasicCredentials().withAk(accessKey).withSk(secretKey).withProjectId(projectId))
                .withHttpConfig(HttpConfig.getDefaultHttpConfig().withTimeout(30))
                .withEndpoints(List.of(app.baseUri()))
                .build();
        ServiceResponseException error = catchThrowableOfType(ServiceResponseException.class,
                () -> client.showDesktopPoolsScriptExecTasks(new ShowDesktopPoolsScriptExecTasksRequest().withLimit(2)));
        return error == null ? 200 : error.getHttpStatusCode();
    }

    private static int get(String projectId, String query, Map<String, String> headers) {
        StringBuilder rawQuery = new StringBuilder();
        for (String pair : query.isEmpty() ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            rawQuery.append(rawQuery.length() == 0 ? "?" : "&").append(pair, 0, eq + 1)
                    .append(URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUri() + "/v2/" + projectId
                + "/desktop-pools/script-execution-tasks/detail" + rawQuery)).timeout(Duration.ofSeconds(30));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new AssertionError("request failed: " + e, e);
        }
    }

    /**
     * The log without the log records of two former leaks (now fixed; left out only with
     * -Dpooltasks.e2e.strict=false):
     * <ol>
     *   <li>at DEBUG, RESTEasy Reactive's ParameterHandler logs "Unable to handle parameter" and "Error occurred during
     *       parameter extraction" with the NumberFormatException of an offset or limit that is not an integer, which
     *       quotes the value;</li>
     *   <li>Quarkus's error handler logs at ERROR "HTTP Request to URI failed" with the whole URI, query included,
     *       for an HTTP/1.1 request without a Host header (which Vert.x Web rejects before any route of the
     *       application runs).</li>
     * </ol>
     * Only those records, identified by logger and message, are removed; everything else is searched.
     */
    static String withoutKnownLeaks(String log) {
        StringBuilder kept = new StringBuilder(log.length());
        Matcher starts = RECORD_START.matcher(log);
        List<Integer> boundaries = new ArrayList<>();
        while (starts.find()) {
            boundaries.add(starts.start());
        }
        boundaries.add(log.length());
        kept.append(log, 0, boundaries.get(0));
        for (int i = 0; i + 1 < boundaries.size(); i++) {
            String record = log.substring(boundaries.get(i), boundaries.get(i + 1));
            String first = record.lines().findFirst().orElse("");
            boolean parameterDebug = first.contains(" DEBUG [org.jboss.resteasy.reactive.server.handlers.ParameterHandler]")
                    && (first.contains("Unable to handle parameter: java.lang.NumberFormatException")
                    || first.contains("Error occurred during parameter extraction"));
            boolean missingHost = first.contains(" ERROR [io.quarkus.vertx.http.runtime.QuarkusErrorHandler]")
                    && first.contains("For HTTP/1.x requests, the 'Host' header is required");
            if (!parameterDebug && !missingHost) {
                kept.append(record);
            }
        }
        return kept.toString();
    }

    /** The secret itself if it occurs in the text, else the first piece of it of the given length that does; or null. */
    static String firstPieceIn(String text, String secret, int pieceLength) {
        if (text.contains(secret)) {
            return secret;
        }
        for (int start = 0; start + pieceLength <= secret.length(); start++) {
            String piece = secret.substring(start, start + pieceLength);
            if (text.contains(piece)) {
                return piece;
            }
        }
        return null;
    }

    private static String linesContaining(String text, String piece) {
        return text.lines().filter(line -> line.contains(piece)).limit(3)
                .map(line -> line.length() > 400 ? line.substring(0, 400) + "..." : line).toList().toString();
    }
}
