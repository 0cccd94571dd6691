package dev.pooltasks.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever happens (success, each kind of failure, bad credentials, bad options), neither output nor error shows a
 * secret key, a token, a security token or a signature.
 */
class SecretsNeverPrintedTest {
    static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    static final String AK = "HPUASECRETS000000001";
    static final String SK = "Sk-That-Must-Never-Be-Printed-0123456789";
    static final String SECURITY_TOKEN = "Security-Token-That-Must-Never-Be-Printed";
    static final String TOKEN = "X-Auth-Token-That-Must-Never-Be-Printed";

    @RegisterExtension
    static final StubApi api = StubApi.start();

    static CliRunner keys() {
        return new CliRunner().terminals(true, true).env("HUAWEICLOUD_SDK_AK", AK).env("HUAWEICLOUD_SDK_SK", SK)
                .env("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECURITY_TOKEN);
    }

    static CliRunner token() {
        return new CliRunner().terminals(true, true).env("PTCLI_AUTH_TOKEN", TOKEN);
    }

    @Test
    void noOutcomePrintsASecret() {
        List<Function<StubApi.Request, StubApi.Response>> answers = List.of(
                request -> StubApi.Response.json(200, GoldenOutputTest.PAGE),
                request -> StubApi.Response.error(401, "APIG.0301", "Incorrect IAM authentication information"),
                request -> StubApi.Response.error(403, "APIG.0302", "Forbidden"),
                request -> StubApi.Response.error(404, "WKS.1002", "No such project"),
                request -> StubApi.Response.error(429, "APIG.0308", "Throttled"),
                request -> StubApi.Response.error(500, "WKS.1099", "Internal error"),
                request -> StubApi.Response.json(200, "{\"total_count\":"));
        List<CliRunner.Result> results = new ArrayList<>();
        for (Function<StubApi.Request, StubApi.Response> answer : answers) {
            api.respond(answer);
            for (CliRunner runner : List.of(keys(), token())) {
                for (String output : List.of("table", "json", "csv")) {
                    results.add(runner.run("tasks", "--endpoint", api.url(), "--project", PROJECT, "--all",
                            "-o", output));
                }
            }
        }
        results.add(keys().run("tasks", "--endpoint", "http://127.0.0.1:1", "--project", PROJECT));
        List<CliRunner.Result> refused = List.of(
                new CliRunner().run("tasks", "--endpoint", api.url(), "--project", PROJECT, "--token", TOKEN,
                        "--bogus"),
                new CliRunner().run("tasks", "--endpoint", api.url(), "--project", PROJECT, "--token",
                        TOKEN + "\nX-Evil: 1"),
                new CliRunner().env("PTCLI_AUTH_TOKEN", TOKEN + " with spaces").run("tasks", "--endpoint",
                        api.url(), "--project", PROJECT),
                new CliRunner().env("HUAWEICLOUD_SDK_AK", "not a valid key " + SK).env("HUAWEICLOUD_SDK_SK", SK)
                        .run("tasks", "--endpoint", api.url(), "--project", PROJECT),
                new CliRunner().env("HUAWEICLOUD_SDK_SK", SK).run("tasks", "--endpoint", api.url(), "--project",
                        PROJECT),
                keys().env("HUAWEICLOUD_SDK_SECURITY_TOKEN", SECURITY_TOKEN + "\r\nX-Evil: 1")
                        .run("tasks", "--endpoint", api.url(), "--project", PROJECT));
        results.addAll(refused);

        List<String> signatures = api.requests().stream()
                .map(request -> request.header("Authorization").orElse(""))
                .filter(header -> header.contains("Signature="))
                .map(header -> header.substring(header.indexOf("Signature=") + "Signature=".length()))
                .toList();
        assertThat(signatures).isNotEmpty();
        assertThat(results).hasSizeGreaterThan(40);
        for (CliRunner.Result result : results) {
            for (String secret : List.of(SK, SECURITY_TOKEN, TOKEN)) {
                assertThat(result.all()).doesNotContain(secret);
            }
            for (String signature : signatures) {
                assertThat(result.all()).doesNotContain(signature);
            }
        }
        // The failures did happen, and were reported.
        assertThat(refused).extracting(CliRunner.Result::exitCode).containsOnly(ExitCodes.USAGE);
        assertThat(refused).extracting(CliRunner.Result::err).satisfiesExactly(
                err -> assertThat(err).contains("Unknown option: '--bogus'"),
                err -> assertThat(err).contains("--token must be printable ASCII without spaces"),
                err -> assertThat(err).contains("PTCLI_AUTH_TOKEN must be printable ASCII without spaces"),
                err -> assertThat(err).contains("HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK: accessKey must be 1-128"),
                err -> assertThat(err).contains("HUAWEICLOUD_SDK_SK is set, but HUAWEICLOUD_SDK_AK is not"),
                err -> assertThat(err).contains("HUAWEICLOUD_SDK_SECURITY_TOKEN must be printable ASCII"));
        assertThat(results).extracting(CliRunner.Result::exitCode).contains(0, 3, 4, 5);
    }

    @Test
    void credentialsDoNotPrintTheirSecrets() {
        assertThat(new Credentials.AccessKey(AK, SK, SECURITY_TOKEN).toString()).contains(AK)
                .doesNotContain(SK).doesNotContain(SECURITY_TOKEN);
        assertThat(new Credentials.Token(TOKEN).toString()).doesNotContain(TOKEN);
    }
}
