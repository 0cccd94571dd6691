package dev.pooltasks.aksk;

import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.workspace.v2.WorkspaceClient;
import com.huaweicloud.sdk.workspace.v2.model.ExecuteDesktopPoolScriptRequest;
import com.huaweicloud.sdk.workspace.v2.model.ExecuteDesktopPoolScriptsReq;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksRequest;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official {@link WorkspaceClient} (huaweicloud-sdk-workspace 3.1.143) sends real requests to a local
 * {@link HttpServer} that records them exactly as they arrive. The recorded request is then checked with
 * {@link AkskVerifier} (whose recomputation must equal the SDK's signature) and re-signed with {@link AkskSigner}
 * (which must produce the SDK's Authorization header byte for byte).
 */
class SdkWireTest {
    static final String AK = "HPUAWIREEXAMPLE00001";
    static final String SK = "wire-test-secret-0123456789abcdefghij";
    static final String PROJECT = "5f8e6c1a2b3d4e5f60718293a4b5c6d7";

    record Captured(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        SignableRequest toSignable() {
            return new SignableRequest(method, rawPath, rawQuery, headers, body);
        }

        String header(String name) {
            return toSignable().header(name).orElseThrow();
        }
    }

    static HttpServer server;
    static final AtomicReference<Captured> last = new AtomicReference<>();

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
            byte[] body = exchange.getRequestBody().readAllBytes();
            last.set(new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body));
            byte[] response = (exchange.getRequestMethod().equals("GET")
                    ? "{\"total_count\":0,\"script_execution_tasks\":[]}"
                    : "{\"task_id\":\"task-1\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("X-Request-Id", "req-1");
            exchange.sendResponseHeaders(200, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    @BeforeEach
    void forget() {
        last.set(null);
    }

    static WorkspaceClient client(BasicCredentials credentials) {
        return WorkspaceClient.newBuilder()
                .withCredential(credentials)
                .withHttpConfig(HttpConfig.getDefaultHttpConfig().withTimeout(10))
                .withEndpoints(List.of("http://127.0.0.1:" + server.getAddress().getPort()))
                .build();
    }

    static BasicCredentials credentials() {
        return new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT);
    }

    static AkskVerifier verifierAt(Captured captured) {
        Instant signedAt = AkskSigner.parseSdkDate(captured.header("X-Sdk-Date"));
        return new AkskVerifier(ak -> ak.equals(AK) ? Optional.of(SK) : Optional.empty(),
                Clock.fixed(signedAt, ZoneOffset.UTC));
    }

    /** Re-signs the captured request with our signer: every header as received, minus what the signer adds. */
    static Map<String, String> resign(Captured captured) {
        Map<String, List<String>> headers = new LinkedHashMap<>(captured.headers());
        headers.keySet().removeIf(name -> name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("X-Sdk-Date"));
        SignableRequest unsigned = new SignableRequest(captured.method(), captured.rawPath(), captured.rawQuery(),
                headers, captured.body());
        return new AkskSigner().sign(unsigned, AK, SK, AkskSigner.parseSdkDate(captured.header("X-Sdk-Date")));
    }

    @Test
    void listTasksWithAwkwardQueryIsVerifiedAndReproduced() {
        client(credentials()).showDesktopPoolsScriptExecTasks(new ShowDesktopPoolsScriptExecTasksRequest()
                .withTaskId(List.of("t-2", "t-10", "t-1"))
                .withScriptName("备份 & 清理: ü=1")
                .withExecuteTimeStart("2021-10-01T12:00:00Z")
                .withStatus("")
                .withLimit(100)
                .withOffset(0)
                .withDesktopPoolId("pool 1"));

        Captured captured = last.get();
        assertThat(captured.method()).isEqualTo("GET");
        assertThat(captured.rawPath()).isEqualTo("/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail");
        assertThat(captured.rawQuery())
                .contains("task_id=t-2&task_id=t-10&task_id=t-1")
                .contains("execute_time_start=2021-10-01T12%3A00%3A00Z")
                .contains("script_name=%E5%A4%87%E4%BB%BD%20%26%20%E6%B8%85%E7%90%86%3A%20%C3%BC%3D1")
                .contains("desktop_pool_id=pool%201")
                .contains("status=");
        String authorization = captured.header("Authorization");
        assertThat(authorization).matches("SDK-HMAC-SHA256 Access=" + AK
                + ", SignedHeaders=host;user-agent;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}");
        assertThat(captured.header("Content-Type")).startsWith("application/json");
        assertThat(captured.header("X-Project-Id")).isEqualTo(PROJECT);

        VerificationResult result = verifierAt(captured).verify(captured.toSignable());
        assertThat(result.isVerified()).as(result.toString()).isTrue();
        assertThat(result.accessKey()).contains(AK);
        assertThat(result.securityToken()).isEmpty();

        Map<String, String> ours = resign(captured);
        assertThat(ours.get("Authorization")).isEqualTo(authorization);
        assertThat(ours.get("X-Sdk-Date")).isEqualTo(captured.header("X-Sdk-Date"));
    }

    @Test
    void listWithoutQueryIsVerifiedAndReproduced() {
        client(credentials()).showDesktopPoolsScriptExecTasks(new ShowDesktopPoolsScriptExecTasksRequest());

        Captured captured = last.get();
        assertThat(captured.rawQuery()).isNull();
        assertThat(verifierAt(captured).verify(captured.toSignable()).isVerified()).isTrue();
        assertThat(resign(captured).get("Authorization")).isEqualTo(captured.header("Authorization"));
    }

    @Test
    void postWithJsonBodyIsVerifiedAndReproduced() {
        client(credentials()).executeDesktopPoolScript(new ExecuteDesktopPoolScriptRequest()
                .withPoolId("pool-1")
                .withBody(new ExecuteDesktopPoolScriptsReq()
                        .withCommandContent("echo 你好 && exit 0")
                        .withCommandType(ExecuteDesktopPoolScriptsReq.CommandTypeEnum.SHELL)
                        .withExecutionTimeout(5)));

        Captured captured = last.get();
        assertThat(captured.method()).isEqualTo("POST");
        // The SDK's Jackson writes non-ASCII characters as \\uXXXX escapes, so the body is pure ASCII.
        assertThat(new String(captured.body(), StandardCharsets.UTF_8)).contains("echo \\u4F60\\u597D && exit 0");
        assertThat(captured.header("Authorization"))
                .contains("SignedHeaders=host;user-agent;x-project-id;x-sdk-date,");
        assertThat(verifierAt(captured).verify(captured.toSignable()).isVerified()).isTrue();
        assertThat(resign(captured).get("Authorization")).isEqualTo(captured.header("Authorization"));

        // One byte of the body changed: the signature no longer holds.
        byte[] tampered = captured.body();
        tampered[tampered.length - 2] ^= 1;
        Captured altered = new Captured(captured.method(), captured.rawPath(), captured.rawQuery(),
                captured.headers(), tampered);
        assertThat(verifierAt(captured).verify(altered.toSignable()).failure()).contains(FailureReason.BAD_SIGNATURE);
    }

    @Test
    void temporaryCredentialsSignTheSecurityToken() {
        String token = "temporary-security-token-value-0123456789";
        client(credentials().withSecurityToken(token))
                .showDesktopPoolsScriptExecTasks(new ShowDesktopPoolsScriptExecTasksRequest().withLimit(1));

        Captured captured = last.get();
        assertThat(captured.header("X-Security-Token")).isEqualTo(token);
        assertThat(captured.header("Authorization"))
                .contains("SignedHeaders=host;user-agent;x-project-id;x-sdk-date;x-security-token,");

        VerificationResult result = verifierAt(captured).verify(captured.toSignable());
        assertThat(result.isVerified()).as(result.toString()).isTrue();
        assertThat(result.securityToken()).contains(token);
        assertThat(result.toString()).doesNotContain(token);
        assertThat(resign(captured).get("Authorization")).isEqualTo(captured.header("Authorization"));
    }
}
