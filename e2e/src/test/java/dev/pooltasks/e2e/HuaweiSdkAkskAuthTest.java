package dev.pooltasks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.huaweicloud.sdk.core.HttpListener;
import com.huaweicloud.sdk.core.auth.AKSKSigner;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.exception.ClientRequestException;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.core.http.HttpMethod;
import com.huaweicloud.sdk.workspace.v2.WorkspaceClient;
import com.huaweicloud.sdk.workspace.v2.model.ScriptExecutionTask;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksRequest;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.testing.TestCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.pooltasks.e2e.RunningPooltasks.PROJECT_ID;
import static dev.pooltasks.e2e.RunningPooltasks.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Caller authentication of the deployable artifact, driven by the official Huawei Cloud SDK (which signs every request
 * with AK/SK, SDK-HMAC-SHA256) and, where a request must be changed after signing or sent again later, by requests
 * signed with the SDK's own signer ({@link AKSKSigner}) and sent with {@code java.net.http}.
 *
 * <p>The instance has four access keys and two static tokens, all with fresh random secrets that reach the process
 * through its environment only (see {@link RunningPooltasks.Builder#accessKey}): one key may read the sandbox project,
 * one only a project this instance does not serve, one the sandbox at 3 requests a minute, and one with a lower-case
 * id whose secret is bound through the plain {@code POOLTASKS_AUTH_ACCESS_KEYS_<AK>_SECRET_KEY} variable.
 *
 * <p>Raw requests are sent as HTTP/1.1, except in the HTTP/2 test, over HTTPS: over HTTP/2 there is no Host header,
 * the host comes as {@code :authority}, and the service must still verify the signature the client computed over it.
 */
class HuaweiSdkAkskAuthTest {
    static final String AK_SANDBOX = "E2EAKSANDBOX00000001";
    static final String AK_OTHER = "E2EAKOTHER0000000002";
    static final String AK_THROTTLED = "E2EAKTHROTTLED000003";
    /** Lower case: its secret binds through the plain environment variable form. */
    static final String AK_LOWER = "e2e-lower-case-ak";
    static final String SK_SANDBOX = TestSecrets.random(40);
    static final String SK_OTHER = TestSecrets.random(40);
    static final String SK_THROTTLED = TestSecrets.random(40);
    static final String SK_LOWER = TestSecrets.random(40);
    static final String TOKEN = "e2e-token-" + TestSecrets.random(48);
    static final String THROTTLED_TOKEN = "e2e-token-" + TestSecrets.random(48);
    /** A project only AK_OTHER may read; this instance does not serve it. */
    static final String OTHER_PROJECT = "9f8e7d6c5b4a49389f8e7d6c5b4a4938";
    /** A project nobody may read and that does not exist. */
    static final String UNKNOWN_PROJECT = "ffffffffffffffffffffffffffffffff";

    private static final DateTimeFormatter SDK_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String REQUEST_ID = "[A-Za-z0-9._-]{1,64}";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = JdkHttp.client();

    /** The instance also serves HTTPS with this certificate (the HTTP/2 test). */
    private static final TestCertificate CERTIFICATE = TestCertificate.create();

    @RegisterExtension
    static final PooltasksInstance AUTH = new PooltasksInstance(RunningPooltasks.builder("aksk")
            .https(CERTIFICATE)
            .accessKey(AK_SANDBOX, SK_SANDBOX, PROJECT_ID, null)
            .accessKey(AK_OTHER, SK_OTHER, OTHER_PROJECT, null)
            .accessKey(AK_THROTTLED, SK_THROTTLED, PROJECT_ID, 3)
            .accessKey(AK_LOWER, SK_LOWER, PROJECT_ID, null)
            .token("static", TOKEN, PROJECT_ID, null)
            .token("throttled", THROTTLED_TOKEN, PROJECT_ID, 3)
            .property("pooltasks.auth.max-clock-skew", "15m"));

    // ---------------------------------------------------------------- the SDK, correctly configured

    @Test
    void correctKeysGetAFilteredPage() throws Exception {
        Sdk sdk = sdk(AK_SANDBOX, SK_SANDBOX, PROJECT_ID);
        ShowDesktopPoolsScriptExecTasksResponse page = sdk.client.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest().withStatus("FAILED").withLimit(7));

        assertThat(page.getHttpStatusCode()).isEqualTo(200);
        assertThat(page.getScriptExecutionTasks()).hasSize(7)
                .extracting(task -> task.getStatus().getValue()).containsOnly("FAILED");
        assertThat(page.getTotalCount()).isBetween(7, TASKS - 1);
        assertThat(sdk.exchange.requestHeader("Authorization")).startsWith("SDK-HMAC-SHA256 Access=" + AK_SANDBOX + ",");
        assertThat(sdk.exchange.responseHeader("X-Request-Id")).matches(REQUEST_ID);

        // The same filter read with the static token gives the same answer.
        HttpResponse<String> byToken = get(uri(PROJECT_ID, "status=FAILED&limit=7"), Map.of("X-Auth-Token", TOKEN));
        assertThat(byToken.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(byToken.body());
        assertThat(body.path("total_count").asInt()).isEqualTo(page.getTotalCount());
        assertThat(taskField(body, "id"))
                .containsExactlyElementsOf(page.getScriptExecutionTasks().stream().map(ScriptExecutionTask::getId).toList());
    }

    @Test
    void theSdkSignsOverHttpsAsTheReadmeConfiguresIt() {
        Sdk sdk = sdk(AUTH.app().httpsBaseUri(), verifyingTheTestCertificate(), AK_SANDBOX, SK_SANDBOX, PROJECT_ID);
        ShowDesktopPoolsScriptExecTasksResponse page = sdk.client.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest().withLimit(100));

        assertThat(page.getHttpStatusCode()).isEqualTo(200);
        assertThat(page.getScriptExecutionTasks()).hasSize(100);
        assertThat(page.getTotalCount()).isEqualTo(TASKS);

        Sdk wrong = sdk(AUTH.app().httpsBaseUri(), verifyingTheTestCertificate(), AK_SANDBOX, SK_SANDBOX + "x",
                PROJECT_ID);
        ClientRequestException refused = sdkError(wrong, () -> wrong.client.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest().withLimit(1)));
        assertThat(refused.getHttpStatusCode()).isEqualTo(401);
    }

    /** The SDK's HTTP settings for the instance's HTTPS port: its certificate trusted, and verified. */
    private static HttpConfig verifyingTheTestCertificate() {
        return HttpConfig.getDefaultHttpConfig()
                .withSSLSocketFactory(CERTIFICATE.trustingIt().getSocketFactory())
                .withX509TrustManager(CERTIFICATE.trustManager());
    }

    @Test
    void aLowerCaseAccessKeyWhoseSecretCameFromThePlainEnvironmentVariableWorks() {
        Sdk sdk = sdk(AK_LOWER, SK_LOWER, PROJECT_ID);
        ShowDesktopPoolsScriptExecTasksResponse page = sdk.client.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest().withLimit(2));

        assertThat(page.getHttpStatusCode()).isEqualTo(200);
        assertThat(page.getTotalCount()).isEqualTo(TASKS);
        assertThat(page.getScriptExecutionTasks()).hasSize(2);
    }

    // ---------------------------------------------------------------- wrong or missing credentials: 401

    @Test
    void aWrongSecretKeyIs401() {
        Sdk sdk = sdk(AK_SANDBOX, SK_SANDBOX + "x", PROJECT_ID);
        ClientRequestException error = sdkError(sdk, () -> sdk.client.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest()));

        assertUnauthenticated(error, sdk);
    }

    @Test
    void anUnknownAccessKeyIs401() {
        Sdk sdk = sdk("E2EAKNOBODYKNOWS0009", SK_SANDBOX, PROJECT_ID);
        ClientRequestException error = sdkError(sdk, () -> sdk.client.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest()));

        assertUnauthenticated(error, sdk);
    }

    @Test
    void aClockSkewedBySixteenMinutesIs401EitherWay() {
        Sdk sdk = sdk(AK_SANDBOX, SK_SANDBOX, PROJECT_ID);
        // The SDK signs with an X-Sdk-Date already on the request instead of the current time.
        Instant now = Instant.now();
        String fiveMinutesAgo = SDK_DATE.format(now.minus(Duration.ofMinutes(5)));
        ShowDesktopPoolsScriptExecTasksResponse withinSkew = sdk.client.showDesktopPoolsScriptExecTasksInvoker(
                new ShowDesktopPoolsScriptExecTasksRequest().withLimit(1)).addHeader("X-Sdk-Date", fiveMinutesAgo).invoke();
        assertThat(withinSkew.getHttpStatusCode()).as("a request signed 5 minutes ago").isEqualTo(200);
        assertThat(sdk.exchange.requestHeader("X-Sdk-Date")).as("the date the SDK signed with").isEqualTo(fiveMinutesAgo);

        for (Duration skew : List.of(Duration.ofMinutes(-16), Duration.ofMinutes(16))) {
            String date = SDK_DATE.format(Instant.now().plus(skew));
            ClientRequestException error = sdkError(sdk, () -> sdk.client.showDesktopPoolsScriptExecTasksInvoker(
                    new ShowDesktopPoolsScriptExecTasksRequest().withLimit(1)).addHeader("X-Sdk-Date", date).invoke());

            assertThat(sdk.exchange.requestHeader("X-Sdk-Date")).as("the date the SDK signed with").isEqualTo(date);
            assertUnauthenticated(error, sdk);
            assertThat(error.getErrorMsg()).as("skew %s", skew).contains("X-Sdk-Date");
        }
    }

    @Test
    void aRequestChangedAfterSigningIs401AndTheOriginalStillPasses() throws Exception {
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("limit", List.of("5"));
        query.put("status", List.of("SUCCESS"));
        Signed original = sign(AK_SANDBOX, SK_SANDBOX, PROJECT_ID, query, Map.of());
        String uri = original.uri.toString();
        assertThat(uri).endsWith("?limit=5&status=SUCCESS");

        List<String> tampered = List.of(
                uri.replace("status=SUCCESS", "status=FAILED"),
                uri.replace("limit=5", "limit=50"),
                uri + "&desktop_pool_id=x",
                uri.replace("?limit=5&", "?"),
                uri.replace("/v2/" + PROJECT_ID + "/", "/v2/" + PROJECT_ID.toUpperCase(Locale.ROOT) + "/"));
        for (String changed : tampered) {
            HttpResponse<String> response = get(URI.create(changed), original.headers);
            assertThat(response.statusCode()).as("%s", changed).isEqualTo(401);
            assertErrorBody(response, "APIG.0301");
        }

        HttpResponse<String> unchanged = get(original.uri, original.headers);
        assertThat(unchanged.statusCode()).as("the request as signed: %s", unchanged.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(unchanged.body());
        assertThat(taskField(body, "status")).hasSize(5).containsOnly("FINISH");
    }

    // ---------------------------------------------------------------- the same signature again: valid all window long

    @Test
    void aPollingClientRepeatingOneQueryInATightLoopIsAlwaysAnswered() {
        Sdk sdk = sdk(AK_SANDBOX, SK_SANDBOX, PROJECT_ID);
        for (int i = 0; i < 20; i++) {
            ShowDesktopPoolsScriptExecTasksResponse page = sdk.client.showDesktopPoolsScriptExecTasks(
                    new ShowDesktopPoolsScriptExecTasksRequest().withStatus("RUNNING").withLimit(3));
            assertThat(page.getHttpStatusCode()).as("call %d of 20", i + 1).isEqualTo(200);
            assertThat(page.getScriptExecutionTasks()).isNotEmpty();
        }
        // The SDK signs with a date of one-second resolution: calls within one second carry the same signature.
        assertThat(sdk.exchange.signatures).hasSize(20);
        assertThat(Set.copyOf(sdk.exchange.signatures)).as("distinct signatures of 20 calls").hasSizeLessThan(20);
    }

    @Test
    void fiftyConcurrentIdenticalCallsAreAllAnswered() throws Exception {
        Sdk sdk = sdk(AK_SANDBOX, SK_SANDBOX, PROJECT_ID);
        int calls = 50;
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            CyclicBarrier start = new CyclicBarrier(calls);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                statuses.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return sdk.client.showDesktopPoolsScriptExecTasks(
                            new ShowDesktopPoolsScriptExecTasksRequest().withTaskType("SCRIPT").withLimit(2))
                            .getHttpStatusCode();
                }));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sdk.exchange.signatures).hasSize(calls);
        assertThat(Set.copyOf(sdk.exchange.signatures)).as("distinct signatures of 50 concurrent calls")
                .hasSizeLessThan(calls);
    }

    @Test
    void aSignedRequestReSentLaterWithinTheSkewWindowIsAcceptedAndOneDatedOutsideIsNot() throws Exception {
        // Signed 14 minutes ago (as if captured then) and sent now, twice, byte for byte.
        String fourteenMinutesAgo = SDK_DATE.format(Instant.now().minus(Duration.ofMinutes(14)));
        Signed signed = sign(AK_SANDBOX, SK_SANDBOX, PROJECT_ID, Map.of("limit", List.of("3")),
                Map.of("X-Sdk-Date", fourteenMinutesAgo));
        assertThat(signed.headers).containsEntry("X-Sdk-Date", fourteenMinutesAgo);

        HttpResponse<String> first = get(signed.uri, signed.headers);
        HttpResponse<String> again = get(signed.uri, signed.headers);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches(REQUEST_ID));
        assertThat(again.statusCode()).as("the same signed request again: %s", again.body()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(taskField(JSON.readTree(again.body()), "id")).hasSize(3);

        // Signed by hand with the SDK's signer, 16 minutes ago: outside the window, refused.
        String sixteenMinutesAgo = SDK_DATE.format(Instant.now().minus(Duration.ofMinutes(16)));
        Signed stale = sign(AK_SANDBOX, SK_SANDBOX, PROJECT_ID, Map.of("limit", List.of("3")),
                Map.of("X-Sdk-Date", sixteenMinutesAgo));
        assertThat(stale.headers).containsEntry("X-Sdk-Date", sixteenMinutesAgo);
        HttpResponse<String> refused = get(stale.uri, stale.headers);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(assertErrorBody(refused, "APIG.0301").path("error_msg").asText()).contains("X-Sdk-Date");
    }

    @Test
    void noCredentialsOrGarbageCredentialsAre401() throws Exception {
        for (Map<String, String> headers : List.of(Map.<String, String>of(),
                Map.of("Authorization", "garbage"),
                Map.of("Authorization", "SDK-HMAC-SHA256 Access=" + AK_SANDBOX + ", SignedHeaders=host;x-sdk-date, Signature=00"),
                Map.of("X-Auth-Token", ""))) {
            HttpResponse<String> response = get(uri(PROJECT_ID, "limit=1"), headers);
            assertThat(response.statusCode()).as("with %s", headers.keySet()).isEqualTo(401);
            assertErrorBody(response, "APIG.0301");
        }
    }

    @Test
    void signaturesAndTokensWorkOverHttp2() throws Exception {
        // HTTPS, as the README's TLS section configures it: ALPN chooses HTTP/2, with a page longer than one frame.
        HttpClient http2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(CERTIFICATE.trustingIt()).connectTimeout(Duration.ofSeconds(5)).build();
        String https = AUTH.app().httpsBaseUri();
        Signed signed = sign(https, AK_SANDBOX, SK_SANDBOX, PROJECT_ID, Map.of("limit", List.of("100")), Map.of());
        HttpResponse<String> ok = get(http2, signed.uri, signed.headers);
        assertThat(ok.version()).as("the exchange was HTTP/2").isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(ok.statusCode()).as("a correctly signed request over HTTP/2: %s", ok.body()).isEqualTo(200);
        assertThat(taskField(JSON.readTree(ok.body()), "id")).hasSize(100);

        Signed wrong = sign(https, AK_SANDBOX, SK_SANDBOX + "x", PROJECT_ID, Map.of("limit", List.of("6")), Map.of());
        HttpResponse<String> rejected = get(http2, wrong.uri, wrong.headers);
        assertThat(rejected.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(rejected.statusCode()).isEqualTo(401);
        assertErrorBody(rejected, "APIG.0301");

        HttpResponse<String> byToken = get(http2, URI.create(https + path(PROJECT_ID) + "?limit=1"),
                Map.of("X-Auth-Token", TOKEN));
        assertThat(byToken.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(byToken.statusCode()).isEqualTo(200);

        // Plain HTTP stays HTTP/1.1 although the client offers the h2c upgrade (NoClearTextHttp2).
        Signed plain = sign(AK_SANDBOX, SK_SANDBOX, PROJECT_ID, Map.of("limit", List.of("100")), Map.of());
        HttpResponse<String> overPlainHttp = get(http2, plain.uri, plain.headers);
        assertThat(overPlainHttp.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(overPlainHttp.statusCode()).isEqualTo(200);
        assertThat(overPlainHttp.body()).isEqualTo(ok.body());
    }

    // ---------------------------------------------------------------- projects the key may not read: 403

    @Test
    void aKeyWithoutTheProjectIs403AndAProjectThatDoesNotExistLooksTheSame() throws Exception {
        Sdk other = sdk(AK_OTHER, SK_OTHER, PROJECT_ID);
        ClientRequestException existing = sdkError(other, () -> other.client.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest()));
        assertForbidden(existing, other);

        Sdk sandboxKeyElsewhere = sdk(AK_SANDBOX, SK_SANDBOX, UNKNOWN_PROJECT);
        ClientRequestException missing = sdkError(sandboxKeyElsewhere, () -> sandboxKeyElsewhere.client
                .showDesktopPoolsScriptExecTasks(new ShowDesktopPoolsScriptExecTasksRequest()));
        assertForbidden(missing, sandboxKeyElsewhere);
        assertThat(missing.getErrorMsg()).isEqualTo(existing.getErrorMsg());

        // The whole answers, byte for byte apart from the request id.
        HttpResponse<String> forbiddenExisting = signedGet(AK_OTHER, SK_OTHER, PROJECT_ID);
        HttpResponse<String> forbiddenMissing = signedGet(AK_SANDBOX, SK_SANDBOX, UNKNOWN_PROJECT);
        HttpResponse<String> forbiddenMissingToo = signedGet(AK_OTHER, SK_OTHER, UNKNOWN_PROJECT);
        for (HttpResponse<String> response : List.of(forbiddenExisting, forbiddenMissing, forbiddenMissingToo)) {
            assertThat(response.statusCode()).isEqualTo(403);
            assertErrorBody(response, "APIG.0302");
            assertThat(response.body()).isEqualTo(forbiddenExisting.body());
            assertThat(withoutRequestId(response)).isEqualTo(withoutRequestId(forbiddenExisting));
        }
        HttpResponse<String> tokenElsewhere = get(uri(UNKNOWN_PROJECT, ""), Map.of("X-Auth-Token", TOKEN));
        assertThat(tokenElsewhere.statusCode()).isEqualTo(403);
        assertThat(tokenElsewhere.body()).isEqualTo(forbiddenExisting.body());

        // A project the key may read but this instance does not serve is a plain 404.
        Sdk ownProject = sdk(AK_OTHER, SK_OTHER, OTHER_PROJECT);
        ClientRequestException notServed = sdkError(ownProject, () -> ownProject.client.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest()));
        assertThat(notServed.getHttpStatusCode()).isEqualTo(404);
        assertThat(notServed.getErrorCode()).isEqualTo("WKS.1002");
    }

    // ---------------------------------------------------------------- static tokens

    @Test
    void theStaticTokenWorksAndAWrongOneIs401() throws Exception {
        HttpResponse<String> ok = get(uri(PROJECT_ID, "limit=2&task_type=COMMAND"), Map.of("X-Auth-Token", TOKEN));
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(ok.body());
        assertThat(taskField(body, "command_type")).hasSize(2).doesNotContain("");
        assertThat(ok.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches(REQUEST_ID));

        for (String wrong : List.of(TOKEN + "x", TOKEN.substring(1), TOKEN.toUpperCase(Locale.ROOT), "x", SK_SANDBOX)) {
            HttpResponse<String> response = get(uri(PROJECT_ID, "limit=2"), Map.of("X-Auth-Token", wrong));
            assertThat(response.statusCode()).isEqualTo(401);
            assertErrorBody(response, "APIG.0301");
        }
        // A token in the query string is not a credential.
        HttpResponse<String> inQuery = get(uri(PROJECT_ID, "X-Auth-Token=" + TOKEN), Map.of());
        assertThat(inQuery.statusCode()).isEqualTo(401);
        assertErrorBody(inQuery, "APIG.0301");
    }

    // ---------------------------------------------------------------- rate limits: 429

    @Test
    void anAccessKeyOverItsRateLimitIs429WithRetryAfter() {
        Sdk sdk = sdk(AK_THROTTLED, SK_THROTTLED, PROJECT_ID);
        for (int i = 0; i < 3; i++) {
            ShowDesktopPoolsScriptExecTasksResponse page = sdk.client.showDesktopPoolsScriptExecTasks(
                    new ShowDesktopPoolsScriptExecTasksRequest().withLimit(1));
            assertThat(page.getHttpStatusCode()).as("request %d of 3", i + 1).isEqualTo(200);
        }
        ClientRequestException error = sdkError(sdk, () -> sdk.client.showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest().withLimit(1)));

        assertThat(error.getHttpStatusCode()).isEqualTo(429);
        assertThat(error.getErrorCode()).isEqualTo("APIG.0308");
        assertThat(error.getErrorMsg()).isNotBlank();
        assertThat(error.getRequestId()).matches(REQUEST_ID).isEqualTo(sdk.exchange.responseHeader("X-Request-Id"));
        assertThat(sdk.exchange.responseHeader("Retry-After")).as("Retry-After").isNotNull()
                .satisfies(seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
    }

    @Test
    void aTokenOverItsRateLimitIs429WithRetryAfter() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = get(uri(PROJECT_ID, "limit=1"), Map.of("X-Auth-Token", THROTTLED_TOKEN));
            assertThat(response.statusCode()).as("request %d of 3", i + 1).isEqualTo(200);
        }
        HttpResponse<String> fourth = get(uri(PROJECT_ID, "limit=1"), Map.of("X-Auth-Token", THROTTLED_TOKEN));

        assertThat(fourth.statusCode()).isEqualTo(429);
        assertErrorBody(fourth, "APIG.0308");
        assertThat(fourth.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        // The other token is not affected.
        assertThat(get(uri(PROJECT_ID, "limit=1"), Map.of("X-Auth-Token", TOKEN)).statusCode()).isEqualTo(200);
        // The rejection is counted, under the token's name (never its value).
        String metrics = get(URI.create(AUTH.app().managementUri() + "/q/metrics"), Map.of()).body();
        assertThat(metrics).containsPattern("pooltasks_caller_throttled_total\\{credential=\"throttled\"\\} [1-9]")
                .doesNotContain(THROTTLED_TOKEN);
    }

    // ---------------------------------------------------------------- helpers: the SDK

    /** What the SDK's listeners saw of a client's last exchange, and the signature of every request it sent. */
    static final class Exchange {
        final Queue<String> signatures = new ConcurrentLinkedQueue<>();
        volatile Map<String, List<String>> requestHeaders = Map.of();
        volatile int responseStatus;
        volatile Map<String, List<String>> responseHeaders = Map.of();

        String requestHeader(String name) {
            return first(requestHeaders, name);
        }

        String responseHeader(String name) {
            return first(responseHeaders, name);
        }

        private static String first(Map<String, List<String>> headers, String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    record Sdk(WorkspaceClient client, Exchange exchange) {
    }

    static Sdk sdk(String accessKey, String secretKey, String projectId) {
        return sdk(AUTH.app().baseUri(), HttpConfig.getDefaultHttpConfig(), accessKey, secretKey, projectId);
    }

    static Sdk sdk(String endpoint, HttpConfig base, String accessKey, String secretKey, String projectId) {
        Exchange exchange = new Exchange();
        HttpConfig config = base
                .withTimeout(30)
                .addHttpListener(HttpListener.forRequestListener(request -> {
                    exchange.requestHeaders = lowerCaseKeys(request.headers());
                    exchange.signatures.add(exchange.requestHeader("Authorization"));
                    exchange.responseStatus = 0;
                    exchange.responseHeaders = Map.of();
                }))
                .addHttpListener(HttpListener.forResponseListener(response -> {
                    exchange.responseStatus = response.statusCode();
                    exchange.responseHeaders = lowerCaseKeys(response.headers());
                }));
        BasicCredentials credentials = new BasicCredentials().withAk(accessKey).withSk(secretKey).withProjectId(projectId);
        WorkspaceClient client = WorkspaceClient.newBuilder()
                .withCredential(credentials)
                .withHttpConfig(config)
                .withEndpoints(List.of(endpoint))
                .build();
        return new Sdk(client, exchange);
    }

    private static ClientRequestException sdkError(Sdk sdk, Supplier<?> call) {
        ClientRequestException error = catchThrowableOfType(ClientRequestException.class, call::get);
        assertThat(error).as("a ClientRequestException").isNotNull();
        assertThat(sdk.exchange.responseStatus).isEqualTo(error.getHttpStatusCode());
        return error;
    }

    private static void assertUnauthenticated(ClientRequestException error, Sdk sdk) {
        assertThat(error.getHttpStatusCode()).isEqualTo(401);
        assertThat(error.getErrorCode()).isEqualTo("APIG.0301");
        assertThat(error.getErrorMsg()).isNotBlank();
        assertThat(error.getRequestId()).as("request id the SDK reports").matches(REQUEST_ID)
                .isEqualTo(sdk.exchange.responseHeader("X-Request-Id"));
    }

    private static void assertForbidden(ClientRequestException error, Sdk sdk) {
        assertThat(error.getHttpStatusCode()).isEqualTo(403);
        assertThat(error.getErrorCode()).isEqualTo("APIG.0302");
        assertThat(error.getErrorMsg()).isNotBlank();
        assertThat(error.getRequestId()).as("request id the SDK reports").matches(REQUEST_ID)
                .isEqualTo(sdk.exchange.responseHeader("X-Request-Id"));
    }

    // ---------------------------------------------------------------- helpers: raw HTTP, signed by the SDK's signer

    /** A request signed by the SDK's signer: the URI it signed and the headers to send (Host is implied by the URI). */
    record Signed(URI uri, Map<String, String> headers) {
    }

    static Signed sign(String accessKey, String secretKey, String projectId, Map<String, List<String>> query,
                       Map<String, String> headers) throws URISyntaxException {
        return sign(AUTH.app().baseUri(), accessKey, secretKey, projectId, query, headers);
    }

    static Signed sign(String endpoint, String accessKey, String secretKey, String projectId,
                       Map<String, List<String>> query, Map<String, String> headers) throws URISyntaxException {
        com.huaweicloud.sdk.core.http.HttpRequest.HttpRequestBuilder builder = com.huaweicloud.sdk.core.http.HttpRequest
                .newBuilder()
                .withEndpoint(endpoint)
                .withPath(path(projectId))
                .withMethod(HttpMethod.GET);
        query.forEach(builder::addQueryParam);
        headers.forEach(builder::addHeader);
        com.huaweicloud.sdk.core.http.HttpRequest request = builder.build();
        BasicCredentials credentials = new BasicCredentials().withAk(accessKey).withSk(secretKey).withProjectId(projectId);
        Map<String, String> added = AKSKSigner.getInstance().sign(request, credentials);

        Map<String, String> toSend = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.getHeaders().forEach((name, values) -> toSend.put(name, String.join(",", values)));
        toSend.putAll(added);
        // java.net.http sends Host itself (it may not be set); it must be what the signer signed.
        String host = toSend.remove("Host");
        assertThat(host).as("the Host the SDK signed").isIn(null, URI.create(endpoint).getAuthority());
        assertThat(toSend.get("Authorization")).startsWith("SDK-HMAC-SHA256 Access=" + accessKey + ",");
        return new Signed(request.getUrl().toURI(), Map.copyOf(toSend));
    }

    private static HttpResponse<String> signedGet(String accessKey, String secretKey, String projectId) throws Exception {
        Signed signed = sign(accessKey, secretKey, projectId, Map.of("limit", List.of("1")), Map.of());
        return get(signed.uri, signed.headers);
    }

    static String path(String projectId) {
        return "/v2/" + projectId + "/desktop-pools/script-execution-tasks/detail";
    }

    static URI uri(String projectId, String rawQuery) {
        return URI.create(AUTH.app().baseUri() + path(projectId) + (rawQuery.isEmpty() ? "" : "?" + rawQuery));
    }

    static HttpResponse<String> get(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
        return get(HTTP, uri, headers);
    }

    static HttpResponse<String> get(HttpClient client, URI uri, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The error shape: JSON with non-empty string error_code (as expected) and error_msg; a sane X-Request-Id. */
    static JsonNode assertErrorBody(HttpResponse<String> response, String errorCode) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error_code").isTextual()).as("error_code is a string in %s", response.body()).isTrue();
        assertThat(body.path("error_code").asText()).isEqualTo(errorCode);
        assertThat(body.path("error_msg").isTextual()).as("error_msg is a string in %s", response.body()).isTrue();
        assertThat(body.path("error_msg").asText()).isNotBlank();
        assertThat(response.headers().allValues("X-Request-Id")).singleElement()
                .satisfies(id -> assertThat(id).matches(REQUEST_ID));
        return body;
    }

    /** One field of every task of a page, "" where a task lacks it. */
    static List<String> taskField(JsonNode page, String field) {
        List<String> values = new ArrayList<>();
        page.path("script_execution_tasks").forEach(task -> values.add(task.path(field).asText("")));
        return values;
    }

    private static Map<String, List<String>> withoutRequestId(HttpResponse<String> response) {
        Map<String, List<String>> headers = new TreeMap<>(lowerCaseKeys(response.headers().map()));
        headers.remove("x-request-id");
        return headers;
    }

    private static Map<String, List<String>> lowerCaseKeys(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>();
        if (headers != null) {
            headers.forEach((name, values) -> copy.put(name.toLowerCase(Locale.ROOT), values));
        }
        return copy;
    }
}
