package dev.pooltasks.app.gateway;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pooltasks.aksk.AkskVerifier;
import dev.pooltasks.aksk.SignableRequest;
import dev.pooltasks.aksk.VerificationResult;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** How the gateway authenticates to upstreams: AK/SK signing, a static token, or the caller's own token. */
@QuarkusTest
@TestProfile(GatewayProfiles.NoCache.class)
class OutboundAuthTest extends GatewayTestBase {

    @Test
    void akskModeSignsEachCallSoThatTheSignatureVerifies() {
        assertThat(tasks(get("p-signed", "status", "FAILED", "limit", 5, "task_id", "a", "task_id", "b",
                "script_name", "Install Chrome:x&y"))).isNotNull();

        LoggedRequest sent = lastRequestTo(west);
        assertThat(sent.getHeader("Authorization"))
                .startsWith("SDK-HMAC-SHA256 Access=" + WireMockUpstreams.OUTBOUND_ACCESS_KEY + ", SignedHeaders=");
        assertThat(sent.getHeader("X-Sdk-Date")).matches("\\d{8}T\\d{6}Z");
        assertThat(sent.getHeader("X-Project-Id")).isEqualTo("p-west");
        assertThat(sent.containsHeader("X-Auth-Token")).isFalse();

        VerificationResult verified = verify(sent, WireMockUpstreams.OUTBOUND_SECRET_KEY);
        assertThat(verified.isVerified()).as("signature of %s", sent.getUrl()).isTrue();
        assertThat(verified.accessKey()).contains(WireMockUpstreams.OUTBOUND_ACCESS_KEY);
        assertThat(verify(sent, "another-secret").isVerified()).isFalse();
    }

    @Test
    void tokenModeSendsTheConfiguredToken() {
        assertOk(get("p-tokened", "limit", 1));

        LoggedRequest sent = lastRequestTo(west);
        assertThat(sent.getHeader("X-Auth-Token")).isEqualTo(WireMockUpstreams.OUTBOUND_TOKEN);
        assertThat(sent.containsHeader("Authorization")).isFalse();
    }

    @Test
    void passThroughModeSendsTheCallersOwnTokenAndNothingWithoutOne() {
        given().header("X-Auth-Token", "callers-iam-token").pathParam("project_id", "p-passing")
                .queryParam("limit", 1).get(PATH).then().statusCode(200);
        assertThat(lastRequestTo(west).getHeader("X-Auth-Token")).isEqualTo("callers-iam-token");

        assertOk(get("p-passing", "limit", 2));
        assertThat(lastRequestTo(west).containsHeader("X-Auth-Token")).isFalse();
    }

    private static LoggedRequest lastRequestTo(FakeUpstream upstream) {
        List<LoggedRequest> requests = upstream.requests();
        assertThat(requests).isNotEmpty();
        return requests.get(requests.size() - 1);
    }

    private static VerificationResult verify(LoggedRequest sent, String secret) {
        URI uri = URI.create(sent.getUrl());
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sent.getHeaders().all().forEach(header -> headers.put(header.key(), header.values()));
        SignableRequest request = new SignableRequest("GET", uri.getRawPath(), uri.getRawQuery(), headers, new byte[0]);
        return new AkskVerifier(accessKey -> WireMockUpstreams.OUTBOUND_ACCESS_KEY.equals(accessKey)
                ? Optional.of(secret) : Optional.empty(), Clock.systemUTC()).verify(request);
    }
}
