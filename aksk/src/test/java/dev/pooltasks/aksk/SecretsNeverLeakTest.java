package dev.pooltasks.aksk;

import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * No secret key, expected signature, string-to-sign or canonical request ever shows up in a result, a toString or an
 * exception message, whatever the outcome.
 */
class SecretsNeverLeakTest {
    static final String AK = "HPUALEAKCHECK0000001";
    static final String SK = "Sup3r-Secret-Key-Value-That-Must-Not-Leak";
    static final String TOKEN = "security-token-that-must-not-be-printed";
    static final Instant T0 = Instant.parse("2024-05-06T07:08:09Z");

    final MutableClock clock = new MutableClock(T0);
    final AkskVerifier verifier = new AkskVerifier(ak -> ak.equals(AK) ? Optional.of(SK) : Optional.empty(), clock,
            Duration.ofMinutes(15));

    static SignableRequest unsigned(String query) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("h.example.com"));
        headers.put("X-Project-Id", List.of("p1"));
        headers.put("X-Security-Token", List.of(TOKEN));
        return new SignableRequest("GET", "/v2/p1/desktop-pools/script-execution-tasks/detail", query, headers, null);
    }

    /** Everything a careless caller could print or log that would reveal the secret side of this request. */
    static List<String> forbiddenFor(SignableRequest request) {
        SignableRequest dated = request.header("X-Sdk-Date").isPresent() ? request
                : request.withHeaders(Map.of("X-Sdk-Date", AkskSigner.sdkDate(T0)));
        String date = dated.header("X-Sdk-Date").orElseThrow();
        List<String> names = AkskSigner.signedHeaderNames(dated);
        String canonical = AkskSigner.canonicalRequest(dated, names);
        String stringToSign = AkskSigner.stringToSign(date, canonical);
        return List.of(SK, AkskSigner.signature(SK, stringToSign), stringToSign,
                stringToSign.substring(stringToSign.lastIndexOf('\n') + 1), canonical, TOKEN);
    }

    @Test
    void verificationResultsOfEveryKindRevealNothing() {
        SignableRequest good = unsigned("limit=1").withHeaders(new AkskSigner().sign(unsigned("limit=1"), AK, SK, T0));
        SignableRequest wrongSecret = unsigned("limit=2")
                .withHeaders(new AkskSigner().sign(unsigned("limit=2"), AK, "wrong-" + SK, T0));
        SignableRequest tampered = new SignableRequest(good.method(), good.rawPath(), "limit=3", good.headers(), null);

        Map<FailureReason, Supplier<VerificationResult>> scenarios = new LinkedHashMap<>();
        scenarios.put(FailureReason.MISSING, () -> verifier.verify(unsigned("limit=1")));
        scenarios.put(FailureReason.MALFORMED, () -> verifier.verify(good.withHeaders(Map.of("Authorization",
                authorization(good).replace("SignedHeaders=", "SignedHeaders=zzz;")))));
        scenarios.put(FailureReason.UNKNOWN_KEY, () -> verifier.verify(good.withHeaders(Map.of("Authorization",
                authorization(good).replace(AK, "HPUAUNKNOWN000000000")))));
        scenarios.put(FailureReason.BAD_SIGNATURE, () -> verifier.verify(tampered));
        scenarios.put(FailureReason.CLOCK_SKEW, () -> {
            clock.set(T0.plus(Duration.ofHours(1)));
            try {
                return verifier.verify(good);
            } finally {
                clock.set(T0);
            }
        });

        List<String> printed = new ArrayList<>();
        scenarios.forEach((reason, scenario) -> {
            VerificationResult result = scenario.get();
            assertThat(result.failure()).as(reason.name()).contains(reason);
            printed.add(result.toString());
            printed.add(result.detail());
        });
        VerificationResult wrong = verifier.verify(wrongSecret);
        assertThat(wrong.failure()).contains(FailureReason.BAD_SIGNATURE);
        printed.add(wrong.toString());
        printed.add(wrong.detail());

        VerificationResult ok = verifier.verify(good);
        assertThat(ok.isVerified()).isTrue();
        assertThat(ok.securityToken()).contains(TOKEN);
        printed.add(ok.toString());
        printed.add(verifier.toString());

        List<String> forbidden = new ArrayList<>(forbiddenFor(good));
        forbidden.addAll(forbiddenFor(tampered));
        forbidden.addAll(forbiddenFor(wrongSecret));
        for (String text : printed) {
            for (String secret : forbidden) {
                assertThat(text).doesNotContain(secret);
            }
        }
        assertThat(printed).anySatisfy(text -> assertThat(text).contains(AK));
    }

    @Test
    void signableRequestToStringRedactsCredentials() {
        SignableRequest signed = unsigned("limit=1").withHeaders(new AkskSigner().sign(unsigned("limit=1"), AK, SK, T0));

        String text = signed.toString();

        assertThat(text).contains("<redacted>").contains("X-Project-Id").contains("limit=1");
        assertThat(text).doesNotContain(TOKEN).doesNotContain("Signature=").doesNotContain(SK);
        forbiddenFor(signed).forEach(secret -> assertThat(text).doesNotContain(secret));
    }

    @Test
    void exceptionMessagesRevealNothing() {
        AkskSigner signer = new AkskSigner();
        SignableRequest ok = unsigned("");
        List<Throwable> thrown = List.of(
                catchThrowable(() -> signer.sign(ok, "bad key", SK, T0)),
                catchThrowable(() -> signer.sign(ok, AK, "", T0)),
                catchThrowable(() -> signer.sign(ok.withHeaders(Map.of("Authorization", "x")), AK, SK, T0)),
                catchThrowable(() -> signer.sign(ok.withHeaders(Map.of("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")),
                        AK, SK, T0)),
                catchThrowable(() -> signer.sign(new SignableRequest("GET", "/", "", Map.of(), null), AK, SK, T0)),
                catchThrowable(() -> signer.sign(new SignableRequest("GET", "/", "k=%ZZ" + SK,
                        Map.of("Host", List.of("h")), null), AK, SK, T0)),
                catchThrowable(() -> AkskSigner.signature("", SK)),
                catchThrowable(() -> AkskSigner.parseSdkDate(SK)));

        assertThat(thrown).allSatisfy(t -> {
            assertThat(t).isInstanceOf(IllegalArgumentException.class);
            assertThat(t.getMessage()).doesNotContain(SK);
            assertThat(String.valueOf(t)).doesNotContain(SK);
        });
    }

    @Test
    void parsedAuthorizationDoesNotPrintTheSignature() {
        String signature = "0123456789abcdef".repeat(4);
        AuthorizationHeader header = AuthorizationHeader.parse("SDK-HMAC-SHA256 Access=" + AK
                + ", SignedHeaders=host;x-sdk-date, Signature=" + signature);

        assertThat(header.signature()).isEqualTo(signature);
        assertThat(header.toString()).contains(AK).doesNotContain(signature);
    }

    static String authorization(SignableRequest request) {
        return request.header("Authorization").orElseThrow();
    }
}
