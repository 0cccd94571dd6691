package dev.pooltasks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pooltasks.client.ApiClient;
import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import dev.pooltasks.client.model.ScriptExecutionTask;
import dev.pooltasks.testing.TestCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.pooltasks.e2e.ClientQuery.query;
import static dev.pooltasks.e2e.RunningPooltasks.PROJECT_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line's jar, run as a separate process, against a pooltasks instance with caller authentication on: an
 * access key and tokens with fresh random secrets, a sandbox of 3,000 tasks. What the CLI lists and counts is
 * compared with what the API itself answers (read with the generated client and a token).
 */
class CliEndToEndTest {
    static final int TASKS = 3000;
    static final String AK = "E2ECLIACCESSKEY00001";
    static final String SK = TestSecrets.random(40);
    static final String TOKEN = "e2e-cli-token-" + TestSecrets.random(40);
    /** May read every project, so that an unknown one is a 404 rather than a 403. */
    static final String ANY_PROJECT_TOKEN = "e2e-cli-any-" + TestSecrets.random(40);
    static final String REQUEST_ID = "[A-Za-z0-9._-]{1,64}";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The instance also serves HTTPS with this certificate, which no CA signed. */
    static final TestCertificate CERTIFICATE = TestCertificate.create();

    @RegisterExtension
    static final PooltasksInstance APP = new PooltasksInstance(RunningPooltasks.builder("cli")
            .https(CERTIFICATE)
            .property("pooltasks.sandbox.tasks", String.valueOf(TASKS))
            .accessKey(AK, SK, PROJECT_ID, null)
            .token("cli", TOKEN, PROJECT_ID, null)
            .token("any", ANY_PROJECT_TOKEN, "*", null));

    /** Every task, as the API's own walk of all pages gives it. */
    static List<ScriptExecutionTask> all;

    @BeforeAll
    static void readEverything() throws ApiException {
        all = query().headers(Map.of("X-Auth-Token", TOKEN)).fetchAll(api(), 100);
        assertThat(all).hasSize(TASKS);
    }

    static DesktopPoolScriptTasksApi api() {
        return JdkHttp.api(APP.app().baseUri());
    }

    static Map<String, String> signed(String secretKey) {
        return Map.of("HUAWEICLOUD_SDK_AK", AK, "HUAWEICLOUD_SDK_SK", secretKey);
    }

    static CliProcess.Result tasks(Map<String, String> environment, String... options) {
        List<String> args = new ArrayList<>(List.of("tasks", "--endpoint", APP.app().baseUri()));
        args.addAll(List.of(options));
        return CliProcess.run(environment, args.toArray(String[]::new));
    }

    static List<JsonNode> jsonLines(String out) {
        return out.lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    @Test
    void aSignedCallWithTheRightKeysIsAcceptedAndListsTasks() throws ApiException {
        CliProcess.Result result = tasks(signed(SK), "--project", PROJECT_ID, "--status", "FAILED", "--limit", "7",
                "--output", "json");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.err()).isEmpty();
        List<ScriptExecutionTask> expected = query().headers(Map.of("X-Auth-Token", TOKEN)).status("FAILED").limit(7)
                .call(api()).getScriptExecutionTasks();
        assertThat(jsonLines(result.out())).hasSize(7)
                .allSatisfy(task -> assertThat(task.get("status").asText()).isEqualTo("FAILED"))
                .extracting(task -> task.get("id").asText())
                .containsExactlyElementsOf(expected.stream().map(ScriptExecutionTask::getId).toList());
    }

    @Test
    void overHttpsTheServersCertificateIsTrustedFromCaCertOrTheCallFailsSayingHow() {
        List<String> args = List.of("tasks", "--endpoint", APP.app().httpsBaseUri(), "--project", PROJECT_ID,
                "--status", "FAILED", "--limit", "7", "--output", "json");
        List<String> trusting = new ArrayList<>(args);
        trusting.addAll(List.of("--ca-cert", CERTIFICATE.certificate().toString()));

        CliProcess.Result listed = CliProcess.run(signed(SK), trusting.toArray(String[]::new));
        CliProcess.Result fromVariable = CliProcess.run(Map.of("HUAWEICLOUD_SDK_AK", AK, "HUAWEICLOUD_SDK_SK", SK,
                "PTCLI_CA_CERT", CERTIFICATE.certificate().toString()), args.toArray(String[]::new));
        CliProcess.Result untrusted = CliProcess.run(signed(SK), args.toArray(String[]::new));

        CliProcess.Result overHttp = tasks(signed(SK), "--project", PROJECT_ID, "--status", "FAILED", "--limit", "7",
                "--output", "json");
        assertThat(overHttp.exitCode()).as("%s", overHttp).isZero();
        for (CliProcess.Result trusted : List.of(listed, fromVariable)) {
            assertThat(trusted.exitCode()).as("%s", trusted).isZero();
            assertThat(trusted.out()).isEqualTo(overHttp.out());
        }
        assertThat(untrusted.exitCode()).as("%s", untrusted).isEqualTo(5);
        assertThat(untrusted.out()).isEmpty();
        assertThat(untrusted.err()).startsWith("pooltasks: cannot connect to " + APP.app().httpsBaseUri()
                + ": its certificate is not trusted (").endsWith("can be trusted with --ca-cert FILE\n");
    }

    @Test
    void aWrongSecretExits3WithApig0301AndARequestId() {
        CliProcess.Result result = tasks(signed(SK + "x"), "--project", PROJECT_ID, "--type", "SCRIPT");

        assertThat(result.exitCode()).as("%s", result).isEqualTo(3);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).matches("pooltasks: HTTP 401 APIG\\.0301: .+ \\(request id " + REQUEST_ID + "\\)\n");
        assertThat(result.err()).doesNotContain(SK);
    }

    @Test
    void allListsExactlyTheApisOwnFullWalk() throws IOException {
        CliProcess.Result result = tasks(signed(SK), "--project", PROJECT_ID, "--all", "--output", "json");

        assertThat(result.exitCode()).as("%s", result.err()).isZero();
        List<JsonNode> listed = jsonLines(result.out());
        assertThat(listed).extracting(task -> task.get("id").asText())
                .containsExactlyElementsOf(all.stream().map(ScriptExecutionTask::getId).toList());
        ObjectMapper client = ApiClient.createDefaultObjectMapper();
        for (int i = 0; i < TASKS; i++) {
            assertThat(listed.get(i)).as("task %d", i).isEqualTo(client.readTree(client.writeValueAsString(all.get(i))));
        }
        assertThat(result.err()).as("standard error is no terminal here: no progress").isEmpty();
    }

    @Test
    void allExportsEveryTaskAsCsv() {
        // --since before all of the sandbox's tasks: the same tasks as the JSON walk, but other (signed) requests.
        CliProcess.Result result = tasks(signed(SK), "--project", PROJECT_ID, "--all", "--since", "2000-01-01T00:00:00Z",
                "--output", "csv");

        assertThat(result.exitCode()).as("%s", result.err()).isZero();
        List<String> rows = List.of(result.out().split("\r\n"));
        assertThat(rows.get(0)).startsWith("id,desktop_pool_id,desktop_pool_name,script_ids,script_names,");
        assertThat(rows.subList(1, rows.size())).extracting(row -> row.substring(0, row.indexOf(',')))
                .containsExactlyElementsOf(all.stream().map(ScriptExecutionTask::getId).toList());
    }

    @Test
    void aTokenWorksToo() {
        CliProcess.Result byVariable = tasks(Map.of("PTCLI_AUTH_TOKEN", TOKEN), "--project", PROJECT_ID,
                "--since", "2026-10-15T00:00:00Z");
        CliProcess.Result byOption = tasks(Map.of(), "--project", PROJECT_ID, "--token", TOKEN, "--limit", "3");
        CliProcess.Result wrong = tasks(Map.of("PTCLI_AUTH_TOKEN", TOKEN + "x"), "--project", PROJECT_ID);

        assertThat(byVariable.exitCode()).as("%s", byVariable).isZero();
        long since = all.stream().filter(t -> t.getStartTime().compareTo("2026-10-15T00:00:00Z") >= 0).count();
        assertThat(byVariable.out().lines().toList()).hasSize(1 + 10 + 1).last()
                .isEqualTo("tasks 1-10 of " + since);
        assertThat(byOption.exitCode()).as("%s", byOption).isZero();
        assertThat(byOption.out().lines().toList()).hasSize(1 + 3 + 1).last().isEqualTo("tasks 1-3 of " + TASKS);
        assertThat(byOption.out().lines().skip(1).limit(3).map(line -> line.substring(line.length() - 8)).toList())
                .containsExactlyElementsOf(all.subList(0, 3).stream().map(t -> t.getId().substring(0, 8)).toList());
        assertThat(wrong.exitCode()).isEqualTo(3);
        assertThat(wrong.err()).startsWith("pooltasks: HTTP 401 APIG.0301: ").doesNotContain(TOKEN);
    }

    @Test
    void aForbiddenProjectExits3AndAnUnknownOneExits4() {
        CliProcess.Result forbidden = tasks(signed(SK), "--project", "ffffffffffffffffffffffffffffffff");
        CliProcess.Result unknown = tasks(Map.of("PTCLI_AUTH_TOKEN", ANY_PROJECT_TOKEN), "--project",
                "ffffffffffffffffffffffffffffffff");

        assertThat(forbidden.exitCode()).as("%s", forbidden).isEqualTo(3);
        assertThat(forbidden.err()).matches("pooltasks: HTTP 403 APIG\\.0302: .+ \\(request id " + REQUEST_ID
                + "\\)\n");
        assertThat(unknown.exitCode()).as("%s", unknown).isEqualTo(4);
        assertThat(unknown.err()).matches("pooltasks: HTTP 404 WKS\\.1002: .+ \\(request id " + REQUEST_ID + "\\)\n");
    }

    @Test
    void statisticsSignedAsTheSdksSignAreTheApisOwnCountsOfTheListedTasks() throws Exception {
        CliProcess.Result result = CliProcess.run(signed(SK), "statistics", "--endpoint", APP.app().baseUri(),
                "--project", PROJECT_ID, "--group-by", "pool", "--status", "FAILED", "--output", "json");

        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(result.err()).isEmpty();
        ObjectMapper client = ApiClient.createDefaultObjectMapper();
        JsonNode expected = client.readTree(client.writeValueAsString(api().showScriptExecutionTaskStatistics(
                PROJECT_ID, "pool", TOKEN, null, null, null, null, "FAILED", null, null, null, null)));
        assertThat(JSON.readTree(result.out())).isEqualTo(expected);
        Map<String, Long> failedPerPool = all.stream().filter(task -> task.getStatus().equals("FAILED"))
                .collect(Collectors.groupingBy(ScriptExecutionTask::getDesktopPoolId, Collectors.counting()));
        assertThat(expected.get("total").get("task_count").asLong())
                .isEqualTo(failedPerPool.values().stream().mapToLong(Long::longValue).sum());
        expected.get("groups").forEach(group -> assertThat(group.get("task_count").asLong())
                .as(group.get("key").asText()).isEqualTo(failedPerPool.get(group.get("key").asText())));

        // every task's counts as a table: the records' sums run to six digits, and it still fits 79 columns
        CliProcess.Result table = CliProcess.run(signed(SK), "statistics", "--endpoint", APP.app().baseUri(),
                "--project", PROJECT_ID, "--group-by", "pool");
        assertThat(table.exitCode()).as("%s", table).isZero();
        assertThat(table.out().lines()).hasSizeGreaterThan(3)
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(79));
        assertThat(table.out()).containsPattern("(?m)^total +" + TASKS + " .*  \\d{6}/\\d+/\\d+$");
    }

    @Test
    void statisticsPerDayInATimeZoneAddUpTheListedTasksStartedOnEachDay() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        String since = "2026-10-20T00:00:00Z";
        CliProcess.Result result = CliProcess.run(Map.of("PTCLI_AUTH_TOKEN", TOKEN), "statistics", "--endpoint",
                APP.app().baseUri(), "--project", PROJECT_ID, "--group-by", "day", "--time-zone", shanghai.getId(),
                "--since", since);

        assertThat(result.exitCode()).as("%s", result).isZero();
        List<ScriptExecutionTask> listed = all.stream().filter(task -> task.getStartTime().compareTo(since) >= 0)
                .toList();
        Map<String, Long> perDay = listed.stream().collect(Collectors.groupingBy(
                task -> LocalDate.ofInstant(Instant.parse(task.getStartTime()), shanghai).toString(), TreeMap::new,
                Collectors.counting()));
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).startsWith("DAY (Asia/Shanghai) ").contains("TASKS", "FINISH", "FAILED");
        Map<String, Long> shown = new TreeMap<>();
        lines.subList(1, lines.size() - 2).forEach(line -> {
            String[] cells = line.trim().split(" +");
            shown.put(cells[0], Long.parseLong(cells[1]));
        });
        assertThat(shown).isEqualTo(perDay);
        assertThat(lines.get(lines.size() - 2)).startsWith("total").contains(" " + listed.size() + " ");
        assertThat(lines.get(lines.size() - 1)).startsWith(listed.size() + " tasks, started ");
    }

    @Test
    void versionAndUsageErrorsNeedNoService() {
        CliProcess.Result version = CliProcess.run(Map.of(), "--version");
        CliProcess.Result usage = CliProcess.run(Map.of(), "tasks", "--project", PROJECT_ID, "--limit", "5", "--all");

        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("pooltasks ");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).startsWith("pooltasks: --limit=N, --all are mutually exclusive");
    }
}
