package dev.pooltasks.aksk;

import com.huaweicloud.sdk.core.auth.AKSKSigner;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.http.HttpMethod;
import com.huaweicloud.sdk.core.http.HttpRequest;
import okhttp3.HttpUrl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our signer against the official SDK's own signer, {@code com.huaweicloud.sdk.core.auth.AKSKSigner}
 * (huaweicloud-sdk-core 3.1.143), on the same requests and the same fixed X-Sdk-Date.
 *
 * <p>The SDK request is built with the SDK's {@link HttpRequest} builder exactly as {@code HcClient} and
 * {@code BasicCredentials.processAuthRequest} build it for the Workspace calls (endpoint, path template with
 * {project_id}, query params in the order the SDK adds them, Content-Type, User-Agent, X-Project-Id). The SDK signer
 * takes X-Sdk-Date from the request when the header is present, so the date is pinned that way. Our side gets the
 * request as OkHttp puts it on the wire ({@code HttpUrl.get(url)} is what the SDK's OkHttp client does with the URL).
 * Besides the Authorization header, the canonical request itself is compared (captured from a subclass of the SDK
 * signer), so a difference shows exactly where it is.
 */
class SdkSignerEquivalenceTest {
    static final String AK = "HPUAEXAMPLEAK0000001";
    static final String SK = "sdk-equivalence-secret-KEY/+=0123456789";
    static final String PROJECT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    static final String SDK_DATE = "20240229T235958Z";
    static final String ENDPOINT = "https://workspace.cn-north-4.myhuaweicloud.com";
    static final String TASKS_PATH = "/v2/{project_id}/desktop-pools/script-execution-tasks/detail";

    /** The SDK signer, recording the canonical request it builds. */
    static final class CapturingSdkSigner extends AKSKSigner {
        String canonicalRequest;

        @Override
        protected String buildCanonicalRequest(String... parts) {
            canonicalRequest = super.buildCanonicalRequest(parts);
            return canonicalRequest;
        }
    }

    record Case(String name, HttpMethod method, String path, String projectId, Map<String, List<String>> query,
                String body) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Map<String, List<String>> query(Object... keyThenValues) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 0; i < keyThenValues.length; i += 2) {
            Object value = keyThenValues[i + 1];
            @SuppressWarnings("unchecked")
            List<String> values = value instanceof List<?> list ? (List<String>) list : List.of((String) value);
            query.put((String) keyThenValues[i], values);
        }
        return query;
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("no query", HttpMethod.GET, TASKS_PATH, PROJECT, Map.of(), null),
                new Case("repeated task_id, sorted", HttpMethod.GET, TASKS_PATH, PROJECT,
                        query("task_id", List.of("t-1", "t-2", "t-3"), "limit", "10", "offset", "0"), null),
                new Case("repeated task_id, unsorted values", HttpMethod.GET, TASKS_PATH, PROJECT,
                        query("task_id", List.of("t-9", "t-10", "t-1"), "limit", "100"), null),
                new Case("colons in execute_time_*", HttpMethod.GET, TASKS_PATH, PROJECT,
                        query("execute_time_start", "2021-10-01T12:00:00Z", "execute_time_end", "2021-10-02T00:00:00Z"),
                        null),
                new Case("space, &, = and unicode in script_name", HttpMethod.GET, TASKS_PATH, PROJECT,
                        query("script_name", "备份 & 清理=日志 ü", "status", "RUNNING"), null),
                new Case("reserved and special characters", HttpMethod.GET, TASKS_PATH, PROJECT,
                        query("script_name", "a+b*c~d/e?f%g'h(i)j!k;l,m@n$o#p[q]r", "task_type", "SCRIPT"), null),
                new Case("empty values", HttpMethod.GET, TASKS_PATH, PROJECT,
                        query("script_name", "", "desktop_pool_id", "", "limit", "5"), null),
                new Case("unsorted keys", HttpMethod.GET, TASKS_PATH, PROJECT,
                        query("task_type", "COMMAND", "status", "FAILED", "offset", "20", "limit", "10",
                                "execute_time_end", "2021-10-01T12:00:00Z", "desktop_pool_id", "pool-1",
                                "task_id", List.of("b", "a")), null),
                new Case("everything at once", HttpMethod.GET, TASKS_PATH, PROJECT,
                        query("task_id", List.of("t-2", "t-1", "t-2 b"), "script_name", "清理 日志:v2",
                                "execute_time_start", "2021-10-01T12:00:00Z", "script_id", "",
                                "desktop_pool_id", "pool&x"), null),
                new Case("space and unicode in a path parameter", HttpMethod.GET, TASKS_PATH, "proj 项目",
                        query("limit", "1"), null),
                new Case("POST with a JSON body", HttpMethod.POST,
                        "/v2/{project_id}/desktop-pools/pool-1/script-executions", PROJECT, Map.of(),
                        "{\"command_content\":\"echo 你好 & exit\",\"command_type\":\"SHELL\",\"execution_timeout\":5}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ourSignatureEqualsTheSdkSignature(Case c) throws Exception {
        HttpRequest.HttpRequestBuilder builder = HttpRequest.newBuilder()
                .withEndpoint(ENDPOINT)
                .withPath(c.path())
                .withMethod(c.method())
                .withContentType("application/json")
                .addPathParam("project_id", c.projectId())
                .addHeader("User-Agent", "huaweicloud-usdk-java/3.0")
                .addHeader("X-Project-Id", c.projectId())
                .addHeader("X-Sdk-Date", SDK_DATE);
        c.query().forEach(builder::addQueryParam);
        if (c.body() != null) {
            builder.withBodyAsString(c.body());
        }
        HttpRequest sdkRequest = builder.build();

        CapturingSdkSigner sdkSigner = new CapturingSdkSigner();
        Map<String, String> sdkAdded = sdkSigner.sign(sdkRequest, new BasicCredentials().withAk(AK).withSk(SK));

        // The same request as it travels: OkHttp's view of the SDK's URL, the SDK's headers (Content-Type included;
        // X-Sdk-Date is replaced by our signer anyway), and Host as OkHttp sends it.
        HttpUrl wire = HttpUrl.get(sdkRequest.getUrl().toString());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        sdkRequest.getHeaders().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
        headers.put("Host", List.of(wire.host()));
        byte[] body = c.body() == null ? new byte[0] : c.body().getBytes(StandardCharsets.UTF_8);
        SignableRequest ours = new SignableRequest(c.method().name(), wire.encodedPath(), wire.encodedQuery(), headers,
                body);
        Instant now = AkskSigner.parseSdkDate(SDK_DATE);

        Map<String, String> ourAdded = new AkskSigner().sign(ours, AK, SK, now);

        String signedHeaders = "host;user-agent;x-project-id;x-sdk-date";
        assertThat(sdkAdded.get("Authorization")).contains("SignedHeaders=" + signedHeaders + ",");
        assertThat(AkskSigner.canonicalRequest(ours.withHeaders(ourAdded), List.of(signedHeaders.split(";"))))
                .isEqualTo(sdkSigner.canonicalRequest);
        assertThat(ourAdded.get("Authorization")).isEqualTo(sdkAdded.get("Authorization"));
        assertThat(ourAdded.get("X-Sdk-Date")).isEqualTo(SDK_DATE);
        assertThat(ourAdded).containsOnlyKeys("X-Sdk-Date", "Authorization");

        // And the verifier accepts what the SDK produced.
        SignableRequest signedBySdk = ours.withHeaders(Map.of("Authorization", sdkAdded.get("Authorization")));
        VerificationResult result = new AkskVerifier(ak -> ak.equals(AK) ? java.util.Optional.of(SK)
                : java.util.Optional.empty(), java.time.Clock.fixed(now, java.time.ZoneOffset.UTC)).verify(signedBySdk);
        assertThat(result.isVerified()).as(result.toString()).isTrue();
    }
}
