package dev.pooltasks.aksk;

import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AkskVerifierTest {
    static final String AK = "HPUAVERIFIER00000001";
    static final String SK = "verifier-secret-0123456789-abcdefghij";
    static final String OTHER_AK = "HPUAVERIFIER00000002";
    static final String OTHER_SK = "another-secret-for-the-second-key-00";
    static final String PROJECT = "0123456789abcdef0123456789abcdef";
    static final String PATH = "/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail";
    static final String QUERY = "task_id=t-1&task_id=t-2&limit=10&execute_time_start=2021-10-01T12%3A00%3A00Z"
            + "&script_name=%E5%A4%87%E4%BB%BD%20a";
    static final Instant T0 = Instant.parse("2024-05-06T07:08:09Z");

    final AkskSigner signer = new AkskSigner();
    MutableClock clock;
    AkskVerifier verifier;

    @BeforeEach
    void setUp() {
        clock = new MutableClock(T0);
        Map<String, String> keys = Map.of(AK, SK, OTHER_AK, OTHER_SK);
        verifier = new AkskVerifier(ak -> Optional.ofNullable(keys.get(ak)), clock, Duration.ofMinutes(15));
    }

    static Map<String, List<String>> headers(String... nameThenValue) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameThenValue.length; i += 2) {
            headers.put(nameThenValue[i], List.of(nameThenValue[i + 1]));
        }
        return headers;
    }

    static SignableRequest unsignedGet(String rawQuery) {
        return new SignableRequest("GET", PATH, rawQuery, headers(
                "Host", "pooltasks.example.com:8443",
                "User-Agent", "huaweicloud-usdk-java/3.0",
                "X-Project-Id", PROJECT,
                "Content-Type", "application/json"), null);
    }

    SignableRequest signed(SignableRequest unsigned, String ak, String sk, Instant at) {
        return unsigned.withHeaders(signer.sign(unsigned, ak, sk, at));
    }

    SignableRequest signedGet() {
        return signed(unsignedGet(QUERY), AK, SK, T0);
    }

    static SignableRequest without(SignableRequest request, String header) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.keySet().removeIf(header::equalsIgnoreCase);
        return new SignableRequest(request.method(), request.rawPath(), request.rawQuery(), headers, request.body());
    }

    static SignableRequest withExtra(SignableRequest request, String header, String value) {
        Map<String, List<String>> headers = new LinkedHashMap<>(request.headers());
        headers.merge(header, List.of(value), (a, b) -> Stream.concat(a.stream(), b.stream()).toList());
        return new SignableRequest(request.method(), request.rawPath(), request.rawQuery(), headers, request.body());
    }

    static SignableRequest withQuery(SignableRequest request, String rawQuery) {
        return new SignableRequest(request.method(), request.rawPath(), rawQuery, request.headers(), request.body());
    }

    static String authorization(SignableRequest request) {
        return request.header("Authorization").orElseThrow();
    }

    static String signatureOf(SignableRequest request) {
        String auth = authorization(request);
        return auth.substring(auth.indexOf("Signature=") + "Signature=".length());
    }

    @Test
    void acceptsACorrectlySignedRequest() {
        VerificationResult result = verifier.verify(signedGet());

        assertThat(result.isVerified()).as(result.toString()).isTrue();
        assertThat(result.accessKey()).contains(AK);
        assertThat(result.claimedAccessKey()).contains(AK);
        assertThat(result.signedAt()).contains(T0);
        assertThat(result.securityToken()).isEmpty();
        assertThat(result.failure()).isEmpty();
        assertThat(authorization(signedGet()))
                .startsWith("SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=host;user-agent;x-project-id;x-sdk-date, Signature=");
    }

    @Test
    void acceptsASignedPostWithABody() {
        byte[] body = "{\"command_content\":\"echo hi\",\"command_type\":\"SHELL\"}".getBytes(StandardCharsets.UTF_8);
        SignableRequest post = new SignableRequest("POST", "/v2/" + PROJECT + "/desktop-pools/pool-1/script-executions",
                null, headers("Host", "pooltasks.example.com", "X-Project-Id", PROJECT), body);

        assertThat(verifier.verify(signed(post, AK, SK, T0)).isVerified()).isTrue();
    }

    @Test
    void rejectsTheWrongSecret() {
        VerificationResult result = verifier.verify(signed(unsignedGet(QUERY), AK, OTHER_SK, T0));

        assertThat(result.failure()).contains(FailureReason.BAD_SIGNATURE);
        assertThat(result.isVerified()).isFalse();
        assertThat(result.accessKey()).isEmpty();
        assertThat(result.claimedAccessKey()).contains(AK);
    }

    @Test
    void rejectsAnUnknownKey() {
        VerificationResult result = verifier.verify(signed(unsignedGet(QUERY), "HPUAUNKNOWN000000000", SK, T0));

        assertThat(result.failure()).contains(FailureReason.UNKNOWN_KEY);
        assertThat(result.accessKey()).isEmpty();
    }

    @Test
    void aKeyWhoseLookupYieldsAnEmptySecretIsUnknown() {
        AkskVerifier emptySecret = new AkskVerifier(ak -> Optional.of(""), clock);

        assertThat(emptySecret.verify(signedGet()).failure()).contains(FailureReason.UNKNOWN_KEY);
    }

    @ParameterizedTest(name = "signed {0} s from the verifier clock")
    @ValueSource(ints = {901, -901, 960, -960, 3600, -86400})
    void rejectsClockSkewBeyondFifteenMinutes(int seconds) {
        SignableRequest request = signed(unsignedGet(QUERY), AK, SK, T0.plusSeconds(seconds));

        VerificationResult result = verifier.verify(request);

        assertThat(result.failure()).contains(FailureReason.CLOCK_SKEW);
    }

    @ParameterizedTest(name = "signed {0} s from the verifier clock")
    @ValueSource(ints = {900, -900, 0, 1, -1})
    void acceptsSkewUpToFifteenMinutesInclusive(int seconds) {
        SignableRequest request = signed(unsignedGet(QUERY), AK, SK, T0.plusSeconds(seconds));

        assertThat(verifier.verify(request).isVerified()).isTrue();
    }

    @Test
    void theSkewIsConfigurable() {
        AkskVerifier strict = new AkskVerifier(ak -> Optional.of(SK), clock, Duration.ofMinutes(5));

        assertThat(strict.verify(signed(unsignedGet(QUERY), AK, SK, T0.minusSeconds(301))).failure())
                .contains(FailureReason.CLOCK_SKEW);
        assertThat(strict.verify(signed(unsignedGet(QUERY), AK, SK, T0.minusSeconds(300))).isVerified()).isTrue();
    }

    static Stream<Arguments> tamperings() {
        return Stream.of(
                Arguments.of("changed query value", (UnaryOperator<SignableRequest>) r ->
                        withQuery(r, r.rawQuery().replace("limit=10", "limit=11"))),
                Arguments.of("added query pair", (UnaryOperator<SignableRequest>) r ->
                        withQuery(r, r.rawQuery() + "&status=FAILED")),
                Arguments.of("added repeated value", (UnaryOperator<SignableRequest>) r ->
                        withQuery(r, r.rawQuery() + "&task_id=t-3")),
                Arguments.of("added empty pair", (UnaryOperator<SignableRequest>) r ->
                        withQuery(r, r.rawQuery() + "&status=")),
                Arguments.of("removed query pair", (UnaryOperator<SignableRequest>) r ->
                        withQuery(r, r.rawQuery().replace("&limit=10", ""))),
                Arguments.of("removed query", (UnaryOperator<SignableRequest>) r -> withQuery(r, null)),
                Arguments.of("changed unicode value", (UnaryOperator<SignableRequest>) r ->
                        withQuery(r, r.rawQuery().replace("%E5%A4%87", "%E5%A4%88"))),
                Arguments.of("changed path", (UnaryOperator<SignableRequest>) r -> new SignableRequest(r.method(),
                        r.rawPath().replace(PROJECT, "fedcba9876543210fedcba9876543210"), r.rawQuery(), r.headers(),
                        r.body())),
                Arguments.of("path with extra segment", (UnaryOperator<SignableRequest>) r -> new SignableRequest(
                        r.method(), r.rawPath() + "/x", r.rawQuery(), r.headers(), r.body())),
                Arguments.of("changed method", (UnaryOperator<SignableRequest>) r -> new SignableRequest("DELETE",
                        r.rawPath(), r.rawQuery(), r.headers(), r.body())),
                Arguments.of("changed signed header", (UnaryOperator<SignableRequest>) r ->
                        r.withHeaders(Map.of("X-Project-Id", "fedcba9876543210fedcba9876543210"))),
                Arguments.of("changed host", (UnaryOperator<SignableRequest>) r ->
                        r.withHeaders(Map.of("Host", "evil.example.com:8443"))),
                Arguments.of("changed date within the window", (UnaryOperator<SignableRequest>) r ->
                        r.withHeaders(Map.of("X-Sdk-Date", AkskSigner.sdkDate(T0.plusSeconds(1))))),
                Arguments.of("added body", (UnaryOperator<SignableRequest>) r -> new SignableRequest(r.method(),
                        r.rawPath(), r.rawQuery(), r.headers(), "{}".getBytes(StandardCharsets.UTF_8))),
                Arguments.of("other access key", (UnaryOperator<SignableRequest>) r -> r.withHeaders(Map.of(
                        "Authorization", authorization(r).replace(AK, OTHER_AK)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void rejectsATamperedRequest(String name, UnaryOperator<SignableRequest> tamper) {
        VerificationResult result = verifier.verify(tamper.apply(signedGet()));

        assertThat(result.failure()).as(name).contains(FailureReason.BAD_SIGNATURE);
    }

    @Test
    void anUnsignedHeaderMayChangeFreely() {
        SignableRequest request = signedGet().withHeaders(Map.of("Accept", "text/plain", "Content-Type", "text/xml"));

        assertThat(verifier.verify(request).isVerified()).isTrue();
    }

    @Test
    void rejectsAMissingAuthorization() {
        assertThat(verifier.verify(unsignedGet(QUERY)).failure()).contains(FailureReason.MISSING);
    }

    @Test
    void rejectsAMissingDate() {
        VerificationResult result = verifier.verify(without(signedGet(), "X-Sdk-Date"));

        assertThat(result.failure()).contains(FailureReason.MISSING);
        assertThat(result.detail()).contains("X-Sdk-Date");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-05-06T07:08:09Z", "20240506T070809", "20240506 070809Z", "20240230T000000Z",
            "20240506T250000Z", "", "yesterday"})
    void rejectsAMalformedDate(String date) {
        SignableRequest request = signedGet().withHeaders(Map.of("X-Sdk-Date", date));

        assertThat(verifier.verify(request).failure()).contains(FailureReason.MALFORMED);
    }

    static Stream<String> malformedAuthorizations() {
        String sig = "a".repeat(64);
        String good = ", SignedHeaders=host;user-agent;x-project-id;x-sdk-date, Signature=" + sig;
        return Stream.of(
                "",
                "   ",
                "SDK-HMAC-SHA256",
                "Basic dXNlcjpwYXNz",
                "Bearer abc",
                "SDK-HMAC-SM3 Access=" + AK + good,
                "V11-HMAC-SHA256 Access=" + AK + good,
                "sdk-hmac-sha256 Access=" + AK + good,
                "SDK-HMAC-SHA256Access=" + AK + good,
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=host;x-sdk-date",
                "SDK-HMAC-SHA256 Access=" + AK + ", Signature=" + sig,
                "SDK-HMAC-SHA256 SignedHeaders=host;x-sdk-date, Signature=" + sig,
                "SDK-HMAC-SHA256 Access=, SignedHeaders=host;x-sdk-date, Signature=" + sig,
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=host;x-sdk-date, Signature=" + sig.substring(1),
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=host;x-sdk-date, Signature=" + sig + "0",
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=host;x-sdk-date, Signature=" + "g".repeat(64),
                "SDK-HMAC-SHA256 Access=" + AK + ", Access=" + AK + good,
                "SDK-HMAC-SHA256 Access=" + AK + good + ", Region=cn-north-4",
                "SDK-HMAC-SHA256 Access=" + AK + good + ",",
                "SDK-HMAC-SHA256 Access=" + AK + " SignedHeaders=host;x-sdk-date Signature=" + sig,
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=host;x-sdk-date;, Signature=" + sig,
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=x-sdk-date;host, Signature=" + sig,
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=host;host;x-sdk-date, Signature=" + sig,
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=Host;X-Sdk-Date, Signature=" + sig,
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=host;user-agent, Signature=" + sig,
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=x-project-id;x-sdk-date, Signature=" + sig,
                "SDK-HMAC-SHA256 Access=HPUA AK, SignedHeaders=host;x-sdk-date, Signature=" + sig,
                "SDK-HMAC-SHA256 Access=" + "A".repeat(129) + good,
                "SDK-HMAC-SHA256 Access=" + AK + good + " ".repeat(AuthorizationHeader.MAX_LENGTH));
    }

    @ParameterizedTest
    @MethodSource("malformedAuthorizations")
    void rejectsAMalformedAuthorizationHeader(String authorization) {
        VerificationResult result = verifier.verify(signedGet().withHeaders(Map.of("Authorization", authorization)));

        assertThat(result.failure()).as(authorization).contains(FailureReason.MALFORMED);
    }

    @Test
    void rejectsTwoAuthorizationHeaders() {
        SignableRequest request = signedGet();

        assertThat(verifier.verify(withExtra(request, "authorization", authorization(request))).failure())
                .contains(FailureReason.MALFORMED);
    }

    @Test
    void rejectsASignedHeaderThatIsAbsentOrRepeated() {
        assertThat(verifier.verify(without(signedGet(), "User-Agent")).failure()).contains(FailureReason.MALFORMED);
        assertThat(verifier.verify(withExtra(signedGet(), "X-Project-Id", "other")).failure())
                .contains(FailureReason.MALFORMED);
    }

    @Test
    void requiresHostAndDateAmongTheSignedHeadersEvenIfTheSignatureIsRight() {
        SignableRequest dated = unsignedGet(QUERY).withHeaders(Map.of("X-Sdk-Date", AkskSigner.sdkDate(T0)));
        List<String> onlyHost = List.of("host");
        String signature = AkskSigner.signature(SK,
                AkskSigner.stringToSign(AkskSigner.sdkDate(T0), AkskSigner.canonicalRequest(dated, onlyHost)));
        SignableRequest request = dated.withHeaders(Map.of("Authorization",
                "SDK-HMAC-SHA256 Access=" + AK + ", SignedHeaders=host, Signature=" + signature));

        VerificationResult result = verifier.verify(request);

        assertThat(result.failure()).contains(FailureReason.MALFORMED);
        assertThat(result.detail()).contains("host and x-sdk-date");
    }

    @Test
    void toleratesSpacingAndParameterOrderInTheAuthorizationHeader() {
        SignableRequest request = signedGet();
        String signature = signatureOf(request);
        String relaxed = "  SDK-HMAC-SHA256   Signature = " + signature.toUpperCase()
                + " ,SignedHeaders=host;user-agent;x-project-id;x-sdk-date ,\taccess=" + AK + "  ";

        VerificationResult result = verifier.verify(request.withHeaders(Map.of("Authorization", relaxed)));

        assertThat(result.isVerified()).as(result.toString()).isTrue();
    }

    @Test
    void rejectsABrokenPercentEscape() {
        SignableRequest request = signed(unsignedGet("limit=10"), AK, SK, T0);

        assertThat(verifier.verify(withQuery(request, "limit=10%")).failure()).contains(FailureReason.MALFORMED);
        assertThat(verifier.verify(withQuery(request, "limit=%zz")).failure()).contains(FailureReason.MALFORMED);
        assertThat(verifier.verify(withQuery(request, "limit=%C3%28")).failure()).contains(FailureReason.MALFORMED);
    }

    @Test
    void aSecurityTokenMustBeSignedAndIsPassedThrough() {
        String token = "sts-token-" + "x".repeat(100);
        SignableRequest unsigned = unsignedGet(QUERY).withHeaders(Map.of("X-Security-Token", token));
        SignableRequest request = signed(unsigned, AK, SK, T0);
        assertThat(authorization(request)).contains("x-security-token");

        VerificationResult result = verifier.verify(request);
        assertThat(result.isVerified()).isTrue();
        assertThat(result.securityToken()).contains(token);

        SignableRequest smuggled = signedGet().withHeaders(Map.of("X-Security-Token", token));
        VerificationResult unsignedToken = verifier.verify(smuggled);
        assertThat(unsignedToken.failure()).contains(FailureReason.MALFORMED);
        assertThat(unsignedToken.detail()).contains("X-Security-Token");
        assertThat(unsignedToken.securityToken()).isEmpty();
    }

    @Test
    void aDeclaredPayloadHashMustMatchTheBody() {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        SignableRequest post = new SignableRequest("POST", "/v2/p/x", null,
                headers("Host", "h", "X-Sdk-Content-Sha256", Canonical.sha256Hex(body)), body);
        assertThat(verifier.verify(signed(post, AK, SK, T0)).isVerified()).isTrue();

        // UNSIGNED-PAYLOAD would leave the body unprotected: refused even with a signature over it.
        SignableRequest unsignedPayload = post.withHeaders(Map.of("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"));
        SignableRequest dated = unsignedPayload.withHeaders(Map.of("X-Sdk-Date", AkskSigner.sdkDate(T0)));
        List<String> names = List.of("host", "x-sdk-content-sha256", "x-sdk-date");
        String signature = AkskSigner.signature(SK,
                AkskSigner.stringToSign(AkskSigner.sdkDate(T0), AkskSigner.canonicalRequest(dated, names)));
        SignableRequest request = dated.withHeaders(Map.of("Authorization", "SDK-HMAC-SHA256 Access=" + AK
                + ", SignedHeaders=" + String.join(";", names) + ", Signature=" + signature));

        assertThat(verifier.verify(request).failure()).contains(FailureReason.MALFORMED);
    }

    @Test
    void acceptsRepeatedValuesSignedInSortedOrderAsTheGoSdkDoes() {
        // Sent as t-2, t-1; signed (by hand, independently of our canonicaliser) with the values sorted.
        SignableRequest unsigned = unsignedGet("task_id=t-2&task_id=t-1&limit=5")
                .withHeaders(Map.of("X-Sdk-Date", AkskSigner.sdkDate(T0)));
        String canonical = "GET\n" + PATH + "/\n"
                + "limit=5&task_id=t-1&task_id=t-2\n"
                + "host:pooltasks.example.com:8443\nuser-agent:huaweicloud-usdk-java/3.0\nx-project-id:" + PROJECT
                + "\nx-sdk-date:" + AkskSigner.sdkDate(T0) + "\n\n"
                + "host;user-agent;x-project-id;x-sdk-date\n"
                + Canonical.EMPTY_BODY_SHA256;
        String signature = AkskSigner.signature(SK, AkskSigner.stringToSign(AkskSigner.sdkDate(T0), canonical));
        SignableRequest goStyle = unsigned.withHeaders(Map.of("Authorization", "SDK-HMAC-SHA256 Access=" + AK
                + ", SignedHeaders=host;user-agent;x-project-id;x-sdk-date, Signature=" + signature));

        assertThat(verifier.verify(goStyle).isVerified()).isTrue();
        // The Java SDK's way (values as sent) is accepted as well.
        assertThat(verifier.verify(signed(unsignedGet("task_id=t-2&task_id=t-1&limit=5"), AK, SK, T0)).isVerified())
                .isTrue();
    }

    @Test
    void reorderingRepeatedValuesIsTheOnlyChangeTheSortedFallbackLetsThrough() {
        SignableRequest original = signed(unsignedGet("task_id=t-1&task_id=t-2"), AK, SK, T0);
        SignableRequest reordered = withQuery(original, "task_id=t-2&task_id=t-1");
        SignableRequest differentValues = withQuery(original, "task_id=t-2&task_id=t-3");

        assertThat(verifier.verify(differentValues).failure()).contains(FailureReason.BAD_SIGNATURE);
        assertThat(verifier.verify(reordered).isVerified()).isTrue();
        assertThat(verifier.verify(original).isVerified()).isTrue();
    }

    @Test
    void theSameSignedRequestIsAcceptedAsOftenAsItIsSentWithinTheWindow() {
        // A polling client: the SDK signs with one-second resolution, so identical requests carry identical signatures.
        SignableRequest request = signedGet();
        for (int i = 0; i < 20; i++) {
            assertThat(verifier.verify(request).isVerified()).as("sent %d times", i + 1).isTrue();
        }

        clock.advance(Duration.ofMinutes(10));
        assertThat(verifier.verify(request).isVerified()).as("re-sent 10 minutes later").isTrue();
        clock.set(T0.plus(Duration.ofMinutes(15)));
        assertThat(verifier.verify(request).isVerified()).as("re-sent at the end of the window").isTrue();

        clock.set(T0.plus(Duration.ofMinutes(15)).plusSeconds(1));
        VerificationResult late = verifier.verify(request);
        assertThat(late.failure()).as("re-sent after the window").contains(FailureReason.CLOCK_SKEW);
        assertThat(late.accessKey()).isEmpty();
    }

    @Test
    void aRequestDatedAheadIsValidUntilFifteenMinutesAfterItsDate() {
        SignableRequest ahead = signed(unsignedGet(QUERY), AK, SK, T0.plus(Duration.ofMinutes(14)));
        assertThat(verifier.verify(ahead).isVerified()).isTrue();

        clock.set(T0.plus(Duration.ofMinutes(29)));
        assertThat(verifier.verify(ahead).isVerified()).isTrue();

        clock.set(T0.plus(Duration.ofMinutes(29)).plusSeconds(1));
        assertThat(verifier.verify(ahead).failure()).contains(FailureReason.CLOCK_SKEW);
    }

    @Test
    void manyThreadsVerifyTheSameAndDistinctSignaturesAtOnce() throws Exception {
        SignableRequest same = signedGet();
        List<SignableRequest> distinct = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            distinct.add(signed(unsignedGet("limit=" + i), AK, SK, T0));
        }
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Integer>> verified = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                verified.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    int count = 0;
                    for (SignableRequest request : distinct) {
                        count += verifier.verify(same).isVerified() ? 1 : 0;
                        count += verifier.verify(request).isVerified() ? 1 : 0;
                    }
                    return count;
                }));
            }
            for (Future<Integer> count : verified) {
                assertThat(count.get(60, TimeUnit.SECONDS)).isEqualTo(2 * distinct.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
