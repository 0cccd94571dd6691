package dev.pooltasks.cli;

import com.huaweicloud.sdk.core.auth.AKSKSigner;
import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.core.http.HttpMethod;
import com.huaweicloud.sdk.core.http.HttpRequest;
import com.huaweicloud.sdk.workspace.v2.WorkspaceClient;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's signed requests against the official SDK (huaweicloud-sdk-workspace 3.1.143): the request the CLI sent,
 * as the stub received it, is rebuilt with the SDK's own {@link HttpRequest} builder, as the SDK's HcClient builds a
 * Workspace call, and signed by the SDK's {@link AKSKSigner} at the same X-Sdk-Date: its Authorization must equal
 * the CLI's byte for byte. And the SDK's WorkspaceClient, sending the same query to the same stub, sends the same
 * headers as the CLI.
 */
class SdkSigningTest {
    static final String AK = "HPUACLISIGNING000001";
    static final String SK = "cli-signing-secret-KEY/+=0123456789abcd";
    static final String SECURITY_TOKEN = "temporary-security-token-0123456789";
    static final String PROJECT = "5f8e6c1a2b3d4e5f60718293a4b5c6d7";
    static final String PATH = "/v2/{project_id}/desktop-pools/script-execution-tasks/detail";
    /** Headers that only the HTTP stacks add (OkHttp for the SDK, java.net.http for the CLI); none is signed. */
    static final Set<String> TRANSPORT = Set.of("accept-encoding", "connection", "content-length");

    @RegisterExtension
    static final StubApi api = StubApi.start();

    static StubApi.Request cliRequest(CliRunner runner, String... filters) {
        runner.env("HUAWEICLOUD_SDK_AK", AK).env("HUAWEICLOUD_SDK_SK", SK);
        runner.clock = Clock.fixed(Instant.parse("2026-11-27T08:09:10Z"), ZoneOffset.UTC);
        List<String> args = new ArrayList<>(List.of("tasks", "--endpoint", api.url(), "--project", PROJECT,
                "-o", "json"));
        args.addAll(List.of(filters));
        CliRunner.Result result = runner.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.err()).isZero();
        return api.lastRequest();
    }

    /** The SDK's signature over the same request: its builder, its signer, the CLI's X-Sdk-Date and User-Agent. */
    static String sdkAuthorization(StubApi.Request cli, String securityToken) {
        HttpRequest.HttpRequestBuilder builder = HttpRequest.newBuilder()
                .withEndpoint(api.url())
                .withPath(PATH)
                .withMethod(HttpMethod.GET)
                .withContentType("application/json")
                .addPathParam("project_id", PROJECT)
                .addHeader("User-Agent", cli.header("User-Agent").orElseThrow())
                .addHeader("X-Project-Id", PROJECT)
                .addHeader("X-Sdk-Date", cli.header("X-Sdk-Date").orElseThrow());
        if (securityToken != null) {
            builder.addHeader("X-Security-Token", securityToken);
        }
        cli.query().forEach(builder::addQueryParam);
        BasicCredentials credentials = new BasicCredentials().withAk(AK).withSk(SK);
        return AKSKSigner.getInstance().sign(builder.build(), credentials).get("Authorization");
    }

    @Test
    void theCliSignsAsTheSdkSigns() {
        StubApi.Request cli = cliRequest(new CliRunner(), "--status", "FAILED", "--script", "备份 & 清理: ü=1",
                "--pool", "pool 1", "--since", "2026-11-20T00:00:00Z", "--task-id", "t-2", "--task-id", "t-10",
                "--task-id", "t-1", "--limit", "100");

        String authorization = cli.header("Authorization").orElseThrow();
        assertThat(authorization).matches("SDK-HMAC-SHA256 Access=" + AK
                + ", SignedHeaders=host;user-agent;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}");
        assertThat(cli.header("X-Sdk-Date")).contains("20261127T080910Z");
        assertThat(authorization).isEqualTo(sdkAuthorization(cli, null));
    }

    @Test
    void temporaryKeysSignTheSecurityTokenAsTheSdkDoes() {
        StubApi.Request cli = cliRequest(new CliRunner().env("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECURITY_TOKEN),
                "--type", "SCRIPT");

        assertThat(cli.header("X-Security-Token")).contains(SECURITY_TOKEN);
        assertThat(cli.header("Authorization").orElseThrow())
                .contains("SignedHeaders=host;user-agent;x-project-id;x-sdk-date;x-security-token,")
                .isEqualTo(sdkAuthorization(cli, SECURITY_TOKEN));
    }

    @Test
    void theCliSendsTheSdksHeaders() {
        StubApi.Request cli = cliRequest(new CliRunner(), "--status", "RUNNING", "--limit", "7");
        BasicCredentials credentials = new BasicCredentials().withAk(AK).withSk(SK).withProjectId(PROJECT);
        WorkspaceClient.newBuilder().withCredential(credentials)
                .withHttpConfig(HttpConfig.getDefaultHttpConfig().withTimeout(10))
                .withEndpoints(List.of(api.url())).build()
                .showDesktopPoolsScriptExecTasks(new ShowDesktopPoolsScriptExecTasksRequest().withStatus("RUNNING")
                        .withLimit(7).withOffset(0));
        StubApi.Request sdk = api.lastRequest();

        assertThat(headerNames(cli)).isEqualTo(headerNames(sdk))
                .containsExactlyInAnyOrder("authorization", "content-type", "host", "user-agent", "x-project-id",
                        "x-sdk-date");
        for (String name : List.of("Content-Type", "Host", "X-Project-Id")) {
            assertThat(cli.header(name)).as(name).isEqualTo(sdk.header(name));
        }
        assertThat(cli.header("User-Agent")).contains("pooltasks-cli/" + CliVersion.VERSION);
        assertThat(cli.rawPath()).isEqualTo(sdk.rawPath());
        assertThat(cli.query()).as("the same parameters, in any order").isEqualTo(sdk.query());
    }

    @Test
    void aTokenIsSentAsXAuthTokenWithoutSigning() {
        CliRunner runner = new CliRunner().env("PTCLI_AUTH_TOKEN", "env-token-value")
                .env("HUAWEICLOUD_SDK_AK", AK).env("HUAWEICLOUD_SDK_SK", SK);
        assertThat(runner.run("tasks", "--endpoint", api.url(), "--project", PROJECT).exitCode()).isZero();
        StubApi.Request byVariable = api.lastRequest();
        assertThat(runner.run("tasks", "--endpoint", api.url(), "--project", PROJECT, "--token", "option-token")
                .exitCode()).isZero();
        StubApi.Request byOption = api.lastRequest();

        assertThat(byVariable.header("X-Auth-Token")).contains("env-token-value");
        assertThat(byOption.header("X-Auth-Token")).contains("option-token");
        for (StubApi.Request request : List.of(byVariable, byOption)) {
            assertThat(request.header("Authorization")).isEmpty();
            assertThat(request.header("X-Sdk-Date")).isEmpty();
            assertThat(request.header("X-Project-Id")).contains(PROJECT);
        }
    }

    @Test
    void withoutCredentialsNothingIsAdded() {
        assertThat(new CliRunner().run("tasks", "--endpoint", api.url(), "--project", PROJECT).exitCode()).isZero();

        assertThat(headerNames(api.lastRequest())).containsExactlyInAnyOrder("content-type", "host", "user-agent",
                "x-project-id");
    }

    static Set<String> headerNames(StubApi.Request request) {
        return request.headers().keySet().stream().map(name -> name.toLowerCase(Locale.ROOT))
                .filter(name -> !TRANSPORT.contains(name)).collect(Collectors.toCollection(TreeSet::new));
    }
}
