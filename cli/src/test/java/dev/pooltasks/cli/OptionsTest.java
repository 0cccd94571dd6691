package dev.pooltasks.cli;

import dev.pooltasks.testing.TestCertificate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Options as they reach the API's query, and every way to get them wrong (exit 2, nothing sent). */
class OptionsTest {
    static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";

    @RegisterExtension
    static final StubApi api = StubApi.start();

    int requestsBefore;

    @BeforeEach
    void countRequests() {
        requestsBefore = api.requests().size();
    }

    CliRunner.Result tasks(String... options) {
        return tasks(new CliRunner(), options);
    }

    CliRunner.Result tasks(CliRunner runner, String... options) {
        List<String> args = new ArrayList<>(List.of("tasks", "--endpoint", api.url(), "--project", PROJECT));
        args.addAll(List.of(options));
        return runner.run(args.toArray(String[]::new));
    }

    StubApi.Request sent(CliRunner.Result result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(api.requests()).hasSize(requestsBefore + 1);
        return api.lastRequest();
    }

    void assertUsageError(CliRunner.Result result, String message) {
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("pooltasks: ").contains(message).contains("--help' for usage.");
        assertThat(api.requests()).as("nothing is sent").hasSize(requestsBefore);
    }

    @Test
    void everyFilterBecomesItsQueryParameter() {
        StubApi.Request request = sent(tasks("--pool", "pool-1", "--script-id", "s-1", "--script", "备份 & 清理",
                "--status", "failed", "--type", "command", "--since", "2026-11-20T00:00:00Z",
                "--until", "2026-11-21T08:00:00+08:00", "--task-id", "t-2", "--task-id", "t-1", "--offset", "20",
                "--limit", "100"));

        assertThat(request.query()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "desktop_pool_id", List.of("pool-1"), "script_id", List.of("s-1"), "script_name", List.of("备份 & 清理"),
                "status", List.of("FAILED"), "task_type", List.of("COMMAND"),
                "execute_time_start", List.of("2026-11-20T00:00:00Z"),
                "execute_time_end", List.of("2026-11-21T00:00:00Z"),
                "task_id", List.of("t-2", "t-1"), "offset", List.of("20"), "limit", List.of("100")));
    }

    @Test
    void defaultsAreTheFirstTenTasksOfTheProjectInTheEnvironment() {
        StubApi.Request request = sent(new CliRunner().env(Credentials.PROJECT_ID_VARIABLE, "env-project")
                .run("tasks", "--endpoint", api.url() + "/"));

        assertThat(request.rawPath()).isEqualTo("/v2/env-project/desktop-pools/script-execution-tasks/detail");
        assertThat(request.rawQuery()).isEqualTo("offset=0&limit=10");
    }

    @ParameterizedTest(name = "--since {0}")
    @CsvSource({
            // relative to CliRunner.NOW, 2026-11-27T12:00:00Z
            "30m, 2026-11-27T11:30:00Z",
            "12h, 2026-11-27T00:00:00Z",
            "7d, 2026-11-20T12:00:00Z",
            "7D, 2026-11-20T12:00:00Z",
            "2026-11-01T00:00:00Z, 2026-11-01T00:00:00Z",
            "2026-11-01T08:00:00+08:00, 2026-11-01T00:00:00Z",
            // start times are whole seconds: a fraction rounds the lower bound up
            "2026-11-01T00:00:00.250Z, 2026-11-01T00:00:01Z",
    })
    void sinceTakesAnAgeOrAnInstant(String since, String expected) {
        StubApi.Request request = sent(tasks("--since", since));

        assertThat(request.param("execute_time_start")).isEqualTo(expected);
        assertThat(request.param("execute_time_end")).isNull();
    }

    @Test
    void untilRoundsAFractionDown() {
        assertThat(sent(tasks("--until", "2026-11-01T00:00:00.999Z")).param("execute_time_end"))
                .isEqualTo("2026-11-01T00:00:00Z");
    }

    @Test
    void untilTakesAnAgeToo() {
        StubApi.Request yesterday = sent(tasks("--since", "2d", "--until", "1d"));

        assertThat(yesterday.param("execute_time_start")).isEqualTo("2026-11-25T12:00:00Z");
        assertThat(yesterday.param("execute_time_end")).isEqualTo("2026-11-26T12:00:00Z");
    }

    @Test
    void untilAloneTakesAnAgeInAnyCase() {
        assertThat(sent(tasks("--until", "90M")).param("execute_time_end")).isEqualTo("2026-11-27T10:30:00Z");
    }

    @ParameterizedTest(name = "--since {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "7w|'7w' is neither an age (30m, 12h, 7d) nor an ISO-8601 instant",
            "-7d|'-7d' is neither an age",
            "yesterday|'yesterday' is neither an age",
            "2026-11-20|'2026-11-20' is neither an age",
            "2026-11-20T00:00:00|'2026-11-20T00:00:00' is not an ISO-8601 instant with Z or an offset",
            "2026-13-20T00:00:00Z|'2026-13-20T00:00:00Z' is not an ISO-8601 instant",
    })
    void badSinceValuesAreUsageErrors(String since, String message) {
        assertUsageError(tasks("--since", since), "Invalid value for option '--since': " + message);
    }

    @Test
    void badUntilValuesAreUsageErrors() {
        assertUsageError(tasks("--until", "7w"), "Invalid value for option '--until': '7w' is neither an age (30m, 12h,"
                + " 7d) nor an ISO-8601 instant (2026-11-20T00:00:00Z)");
        assertUsageError(tasks("--until", "2026-11-20T00:00"), "Invalid value for option '--until': '2026-11-20T00:00'"
                + " is not an ISO-8601 instant");
        assertUsageError(tasks("--since", "1d", "--until", "2d"),
                "--since (2026-11-26T12:00:00Z) is after --until (2026-11-25T12:00:00Z)");
        assertUsageError(tasks("--since", "2026-11-02T00:00:00Z", "--until", "2026-11-01T00:00:00Z"),
                "--since (2026-11-02T00:00:00Z) is after --until (2026-11-01T00:00:00Z)");
    }

    @Test
    void limitAndAllExcludeEachOther() {
        CliRunner.Result result = tasks("--limit", "5", "--all");

        assertUsageError(result, "--limit=N, --all are mutually exclusive");
        assertThat(result.err()).startsWith("pooltasks: --limit=N, --all are mutually exclusive (specify only one)\n");
    }

    @Test
    void outOfRangeNumbersAreUsageErrors() {
        assertUsageError(tasks("--limit", "101"), "--limit must be between 0 and 100 (--all lists every task)");
        assertUsageError(tasks("--limit", "-1"), "--limit must be between 0 and 100");
        assertUsageError(tasks("--offset", "-1"), "--offset must not be negative");
        assertUsageError(tasks("--limit", "ten"), "Invalid value for option '--limit': 'ten' is not an int");
    }

    @Test
    void otherUsageErrors() {
        assertUsageError(new CliRunner().run("tasks", "--endpoint", api.url()),
                "Missing the project: give --project ID or set HUAWEICLOUD_SDK_PROJECT_ID");
        assertUsageError(tasks("--output", "xml"), "Invalid value for option '--output'");
        assertUsageError(tasks("--colour"), "Unknown option: '--colour'");
        assertUsageError(tasks("extra"), "Unmatched argument at index 5: 'extra'");
        assertUsageError(new CliRunner().run("tasks", "--project", "a b"),
                "--project must not contain spaces or control characters");
        assertUsageError(new CliRunner().run(), "Missing the command: tasks or statistics");
        assertUsageError(new CliRunner().run("list"), "Unmatched argument at index 0: 'list'");
    }

    @ParameterizedTest(name = "--endpoint {0}")
    @CsvSource(delimiter = '|', value = {
            "ftp://example.com|--endpoint must be an http or https URL with a host",
            "localhost:8080|--endpoint must be an http or https URL with a host",
            "http://user:secret@example.com|--endpoint must be an http or https URL with a host",
            "http://example.com/?a=b|--endpoint must be an http or https URL with a host",
            "http://exa mple.com|--endpoint is not a URL (Illegal character in authority at index 7)",
    })
    void badEndpointsAreUsageErrors(String endpoint, String message) {
        CliRunner.Result result = new CliRunner().run("tasks", "--endpoint", endpoint, "--project", PROJECT);

        assertUsageError(result, message);
        assertThat(result.err()).doesNotContain("secret");
    }

    @Test
    void outputFormatsAreCaseInsensitive() {
        assertThat(tasks("--output", "JSON").exitCode()).isZero();
        assertThat(tasks("-o", "Csv").exitCode()).isZero();
    }

    @Test
    void versionAndHelp() {
        CliRunner.Result version = new CliRunner().run("--version");
        CliRunner.Result help = new CliRunner().run("--help");
        CliRunner.Result tasksHelp = new CliRunner().run("tasks", "--help");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("pooltasks " + CliVersion.VERSION + " (Java ");
        assertThat(CliVersion.VERSION).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: pooltasks [-hV] COMMAND", "tasks", "Exit codes:");
        assertThat(tasksHelp.exitCode()).isZero();
        assertThat(tasksHelp.out()).contains("--since=AGE|ISO", "--limit=N | --all", "--output=FORMAT",
                "HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN",
                "HUAWEICLOUD_SDK_PROJECT_ID", "PTCLI_AUTH_TOKEN", "PTCLI_CA_CERT", "--ca-cert=FILE", "NO_COLOR",
                "Exit codes:");
        for (String code : List.of("0", "1", "2", "3", "4", "5")) {
            assertThat(tasksHelp.out()).containsPattern("(?m)^ +" + code + " +\\S");
        }
        assertThat(tasksHelp.out().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
        assertThat(api.requests()).hasSize(requestsBefore);
    }

    @Test
    void aCaCertFileThatCannotServeIsAUsageError(@TempDir Path directory) throws Exception {
        Path missing = directory.resolve("missing.pem");
        Path empty = Files.createFile(directory.resolve("empty.pem"));
        Path garbage = Files.writeString(directory.resolve("garbage.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");

        assertUsageError(tasks("--ca-cert", missing.toString()),
                "--ca-cert " + missing + " cannot be read (NoSuchFileException)");
        assertUsageError(tasks("--ca-cert", empty.toString()), "--ca-cert " + empty + " holds no certificate");
        assertUsageError(tasks("--ca-cert", garbage.toString()),
                "--ca-cert " + garbage + " is not a PEM file of certificates");
        assertUsageError(tasks(new CliRunner().env("PTCLI_CA_CERT", missing.toString())),
                "--ca-cert " + missing + " cannot be read");
    }

    @Test
    void aCaCertFileOfCertificatesIsAccepted() {
        Path pem = TestCertificate.create().certificate();

        assertThat(sent(tasks("--ca-cert", pem.toString())).rawPath()).endsWith("/script-execution-tasks/detail");
        requestsBefore = api.requests().size();
        assertThat(sent(tasks(new CliRunner().env("PTCLI_CA_CERT", pem.toString()))).rawPath())
                .endsWith("/script-execution-tasks/detail");
    }
}
