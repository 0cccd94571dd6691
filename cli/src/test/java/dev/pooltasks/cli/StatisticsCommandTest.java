package dev.pooltasks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.pooltasks.cli.GoldenOutputTest.assertGolden;
import static dev.pooltasks.cli.GoldenOutputTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pooltasks statistics}: the query it sends, each output format against a golden file (a page of pools with a
 * long name, CJK names, one without a name and one with an escape sequence), and what it does with the answer's
 * notes, refusals, rate limits and answers that are not statistics.
 */
class StatisticsCommandTest {
    static final String PROJECT = GoldenOutputTest.PROJECT;
    static final String BY_POOL = resource("statistics-by-pool.json");
    static final String PATH = "/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/statistics";

    @RegisterExtension
    static final StubApi api = StubApi.start();

    int requestsBefore;

    @BeforeEach
    void answerByPool() {
        api.respond(request -> StubApi.Response.json(200, BY_POOL));
        requestsBefore = api.requests().size();
    }

    CliRunner.Result statistics(String... options) {
        return statistics(new CliRunner(), options);
    }

    CliRunner.Result statistics(CliRunner runner, String... options) {
        List<String> args = new ArrayList<>(List.of("statistics", "--endpoint", api.url(), "--project", PROJECT));
        args.addAll(List.of(options));
        return runner.run(args.toArray(String[]::new));
    }

    StubApi.Request sent(CliRunner.Result result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(api.requests()).hasSize(requestsBefore + 1);
        return api.lastRequest();
    }

    @Test
    void withoutOptionsItCountsByStatusAndSendsNoFilter() {
        StubApi.Request request = sent(statistics());

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawPath()).isEqualTo(PATH);
        assertThat(request.query()).containsOnlyKeys("group_by");
        assertThat(request.param("group_by")).isEqualTo("status");
    }

    @Test
    void theFiltersAreTheListsAndReachTheQueryAsTheyDoForTasks() {
        StubApi.Request request = sent(statistics("--group-by", "Day", "--time-zone", "Asia/Shanghai",
                "--pool", "p-1", "--script-id", "s-1", "--script", "chrome", "--status", "failed", "--type", "script",
                "--since", "7d", "--until", "2026-11-27T10:00:00Z", "--task-id", "t-1", "--task-id", "t-2"));

        assertThat(request.param("group_by")).isEqualTo("day");
        assertThat(request.param("time_zone")).isEqualTo("Asia/Shanghai");
        assertThat(request.param("desktop_pool_id")).isEqualTo("p-1");
        assertThat(request.param("script_id")).isEqualTo("s-1");
        assertThat(request.param("script_name")).isEqualTo("chrome");
        assertThat(request.param("status")).isEqualTo("FAILED");
        assertThat(request.param("task_type")).isEqualTo("SCRIPT");
        assertThat(request.param("execute_time_start")).isEqualTo("2026-11-20T12:00:00Z");
        assertThat(request.param("execute_time_end")).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(request.query().get("task_id")).containsExactly("t-1", "t-2");
        assertThat(request.query()).doesNotContainKeys("offset", "limit");
    }

    @ParameterizedTest
    @CsvSource({"day,day", "POOL,pool", "script,script", "Status,status", "task_type,task_type",
            "TASK_TYPE,task_type"})
    void everyGroupingOfTheApiCanBeAskedForInAnyCase(String option, String sent) {
        assertThat(sent(statistics("--group-by", option)).param("group_by")).isEqualTo(sent);
    }

    @Test
    void anUnknownGroupingIsAUsageErrorAndNothingIsSent() {
        CliRunner.Result result = statistics("--group-by", "desktop");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("pooltasks: ").contains("--group-by").contains("DAY, POOL, SCRIPT, STATUS, "
                + "TASK_TYPE").contains("'pooltasks statistics --help' for usage.");
        assertThat(api.requests()).hasSize(requestsBefore);
    }

    @Test
    void theListsPagingIsNotAnOptionHere() {
        CliRunner.Result result = statistics("--limit", "5");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("Unknown option", "'--limit'");
        assertThat(api.requests()).hasSize(requestsBefore);
    }

    @Test
    void theConnectionAndFilterOptionsAreCheckedAsForTasks() {
        CliRunner.Result noProject = new CliRunner().run("statistics", "--endpoint", api.url());
        CliRunner.Result badSince = statistics("--since", "yesterday");
        CliRunner.Result badEndpoint = new CliRunner().run("statistics", "--endpoint", "ftp://x", "--project", PROJECT);

        assertThat(noProject.err()).contains("Missing the project");
        assertThat(badSince.err()).contains("--since");
        assertThat(badEndpoint.err()).contains("--endpoint must be an http or https URL");
        assertThat(List.of(noProject.exitCode(), badSince.exitCode(), badEndpoint.exitCode()))
                .containsOnly(ExitCodes.USAGE);
        assertThat(api.requests()).hasSize(requestsBefore);
    }

    @Test
    void table() {
        CliRunner.Result result = statistics("--group-by", "pool");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertGolden("statistics-table.txt", result.out());
        assertThat(result.out().lines()).allSatisfy(line -> assertThat(TextCells.width(line)).isLessThanOrEqualTo(79));
        assertThat(result.out()).doesNotContain("\u001b");
    }

    @Test
    void jsonIsTheApisAnswer() throws IOException {
        CliRunner.Result result = statistics("--group-by", "pool", "-o", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertGolden("statistics.json", result.out());
        assertThat(result.out()).endsWith("}\n").hasLineCount(1);
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(result.out())).isEqualTo(json.readTree(BY_POOL));
    }

    @Test
    void csvHasARowPerGroupWithAColumnPerStatus() throws IOException {
        CliRunner.Result result = statistics("--group-by", "pool", "-o", "csv");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertGolden("statistics.csv", result.out());
        List<List<String>> rows = csvRows(result.out());
        assertThat(rows.get(0)).containsExactly("key", "name", "task_count", "FINISH", "FAILED", "RUNNING", "INIT",
                "success_num", "failed_num", "skip_num", "first_start_time", "last_start_time");
        JsonNode groups = new ObjectMapper().readTree(BY_POOL).get("groups");
        assertThat(rows).hasSize(1 + groups.size());
        for (int i = 0; i < groups.size(); i++) {
            JsonNode group = groups.get(i);
            List<String> row = rows.get(i + 1);
            assertThat(row.get(0)).isEqualTo(group.get("key").asText());
            assertThat(row.get(1)).isEqualTo(group.has("name") ? group.get("name").asText() : "");
            assertThat(row.get(2)).isEqualTo(group.get("task_count").asText());
            assertThat(row.get(4)).isEqualTo(group.get("status_counts").get("FAILED").asText());
            assertThat(row.get(8)).isEqualTo(group.get("failed_num").asText());
            assertThat(row.get(11)).isEqualTo(group.get("last_start_time").asText());
        }
    }

    @Test
    void aStatusBeyondTheFourGetsAColumnOfItsOwn() throws IOException {
        api.respond(request -> StubApi.Response.json(200, """
                {"group_by":"task_type","time_zone":"UTC",
                 "total":{"task_count":3,"status_counts":{"FINISH":1,"FAILED":0,"RUNNING":0,"INIT":0,"CANCELLED":2},
                          "success_num":5,"failed_num":0,"skip_num":0},
                 "groups":[{"key":"SCRIPT","name":"SCRIPT","task_count":3,
                            "status_counts":{"FINISH":1,"FAILED":0,"RUNNING":0,"INIT":0,"CANCELLED":2},
                            "success_num":5,"failed_num":0,"skip_num":0}]}"""));

        CliRunner.Result table = statistics("--group-by", "task_type");
        CliRunner.Result csv = statistics("--group-by", "task_type", "-o", "csv");

        assertThat(table.out().lines().toList()).containsExactly(
                "TASK TYPE   TASKS  FINISH  FAILED RUNNING    INIT CANCELLED  OK/FAIL/SKIP",
                "SCRIPT          3       1       0       0       0         2  5/0/0",
                "total           3       1       0       0       0         2  5/0/0",
                "3 tasks");
        assertThat(csvRows(csv.out()).get(0)).containsSequence("INIT", "CANCELLED", "success_num");
        assertThat(csvRows(csv.out()).get(1)).containsSequence("0", "2", "5");
    }

    @Test
    void largeCountsWidenTheirColumnsWholeAndLongNamesGiveWay() {
        api.respond(request -> StubApi.Response.json(200, """
                {"group_by":"pool","time_zone":"UTC",
                 "total":{"task_count":12345678,
                          "status_counts":{"FINISH":12000000,"FAILED":345678,"RUNNING":0,"INIT":0},
                          "success_num":987654321,"failed_num":12345678,"skip_num":7654321},
                 "groups":[{"key":"p-1","name":"a-pool-with-a-name-much-longer-than-twenty","task_count":12345678,
                            "status_counts":{"FINISH":12000000,"FAILED":345678,"RUNNING":0,"INIT":0},
                            "success_num":987654321,"failed_num":12345678,"skip_num":7654321}]}"""));

        List<String> lines = statistics("--group-by", "pool").out().lines().toList();

        // numbers are never cut: past 79 columns the label column is down to its 12
        assertThat(lines).containsExactly(
                "POOL            TASKS   FINISH  FAILED RUNNING    INIT  OK/FAIL/SKIP",
                "a-pool-with… 12345678 12000000  345678       0       0  987654321/12345678/7654321",
                "total        12345678 12000000  345678       0       0  987654321/12345678/7654321",
                "12345678 tasks");
    }

    @Test
    void aTaskWithSeveralScriptsIsSaidToCountInEachRow() {
        api.respond(request -> StubApi.Response.json(200, """
                {"group_by":"script","time_zone":"UTC",
                 "total":{"task_count":1,"status_counts":{"FINISH":1,"FAILED":0,"RUNNING":0,"INIT":0},
                          "success_num":2,"failed_num":0,"skip_num":0,
                          "first_start_time":"2026-11-27T02:59:12Z","last_start_time":"2026-11-27T02:59:12Z"},
                 "groups":[{"key":"s-1","name":"Install Chrome","task_count":1,
                            "status_counts":{"FINISH":1,"FAILED":0,"RUNNING":0,"INIT":0},
                            "success_num":2,"failed_num":0,"skip_num":0},
                           {"key":"s-2","task_count":1,
                            "status_counts":{"FINISH":1,"FAILED":0,"RUNNING":0,"INIT":0},
                            "success_num":2,"failed_num":0,"skip_num":0}]}"""));

        List<String> lines = statistics("--group-by", "script").out().lines().toList();

        assertThat(lines.get(1)).startsWith("Install Chrome ");
        assertThat(lines.get(2)).startsWith("s-2 ");
        assertThat(lines.subList(4, lines.size())).containsExactly(
                "1 task, started 2026-11-27 02:59 to 2026-11-27 02:59 UTC",
                "(a task that ran several scripts counts in each of their rows)");
    }

    @Test
    void noTasksSaySoInEveryFormat() {
        api.respond(request -> StubApi.Response.json(200, """
                {"group_by":"day","time_zone":"Asia/Shanghai",
                 "total":{"task_count":0,"status_counts":{"FINISH":0,"FAILED":0,"RUNNING":0,"INIT":0},
                          "success_num":0,"failed_num":0,"skip_num":0},"groups":[]}"""));

        CliRunner.Result table = statistics("--group-by", "day");
        CliRunner.Result csv = statistics("--group-by", "day", "-o", "csv");

        assertThat(table.out().lines().toList()).containsExactly(
                "DAY (Asia/Shanghai)   TASKS  FINISH  FAILED RUNNING    INIT  OK/FAIL/SKIP",
                "total                     0       0       0       0       0  0/0/0",
                "no tasks");
        assertThat(csv.out()).isEqualTo("key,name,task_count,FINISH,FAILED,RUNNING,INIT,success_num,failed_num,"
                + "skip_num,first_start_time,last_start_time\r\n");
        assertThat(List.of(table.exitCode(), csv.exitCode())).containsOnly(ExitCodes.OK);
    }

    @Test
    void aPartialFederationsCountsExit6AndNameTheMissingUpstreams() {
        api.respond(request -> StubApi.Response.json(200, BY_POOL)
                .withHeader("X-Pooltasks-Missing-Upstreams", "west")
                .withHeader("X-Pooltasks-Stale-Upstreams", "east"));

        CliRunner.Result result = statistics("-o", "json");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.PARTIAL);
        assertThat(result.out()).hasLineCount(1);
        assertThat(result.err()).isEqualTo("pooltasks: warning: part of the answer is an older cached copy of "
                + "upstream(s) east (X-Pooltasks-Stale-Upstreams)\n"
                + "pooltasks: incomplete: the answer left out upstream(s) west, which failed "
                + "(X-Pooltasks-Missing-Upstreams); the counts are the other upstreams'\n");
    }

    @Test
    void aRateLimitIsWaitedOutAndTheCallRepeated() {
        AtomicInteger calls = new AtomicInteger();
        api.respond(request -> calls.incrementAndGet() <= 2
                ? StubApi.Response.error(429, "WKS.1007", "walk out of budget").withHeader("Retry-After", "3")
                : StubApi.Response.json(200, BY_POOL));
        CliRunner runner = new CliRunner();

        CliRunner.Result result = statistics(runner, "-o", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(calls).hasValue(3);
        assertThat(runner.waits).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    @Test
    void aRefusalIsTheApisErrorOnStandardErrorWithItsExitCode() {
        api.respond(request -> StubApi.Response.error(400, "WKS.1010", "more than 2000 tasks to count; narrow the "
                + "filters or mirror the project"));

        CliRunner.Result tooMany = statistics();
        api.respond(request -> StubApi.Response.error(401, "APIG.0301", "Incorrect IAM authentication information"));
        CliRunner.Result refused = statistics();

        assertThat(tooMany.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooMany.out()).isEmpty();
        assertThat(tooMany.err()).matches("pooltasks: HTTP 400 WKS\\.1010: more than 2000 tasks to count; narrow the "
                + "filters or mirror the project \\(request id stub-request-\\d+\\)\n");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.AUTH);
        assertThat(refused.out()).isEmpty();
    }

    @Test
    void anEndpointWithoutTheOperationIsSaidToBeNoPooltasks() {
        api.respond(request -> StubApi.Response.error(404, "APIG.0101", "The API does not exist or has not been "
                + "published in the environment"));
        CliRunner.Result noSuchOperation = statistics();
        api.respond(request -> StubApi.Response.error(404, "WKS.1002", "project not found"));
        CliRunner.Result noSuchProject = statistics();

        assertThat(noSuchOperation.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noSuchOperation.err()).startsWith("pooltasks: HTTP 404 APIG.0101: ")
                .endsWith("\npooltasks: statistics are a pooltasks extension: is " + api.url() + " a pooltasks? A "
                        + "Workspace region has no such operation.\n");
        assertThat(noSuchProject.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noSuchProject.err()).startsWith("pooltasks: HTTP 404 WKS.1002: project not found")
                .doesNotContain("extension");
    }

    @Test
    void anAnswerThatIsNotStatisticsExits5AndSaysSo() {
        // A Workspace region has no statistics: what it answers on that path is not statistics.
        api.respond(request -> StubApi.Response.json(200, "{\"total_count\":0,\"script_execution_tasks\":[]}"));
        CliRunner.Result wrongShape = statistics();
        api.respond(request -> StubApi.Response.json(200, "<html>not json</html>"));
        CliRunner.Result notJson = statistics();

        for (CliRunner.Result result : List.of(wrongShape, notJson)) {
            assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(result.out()).isEmpty();
            assertThat(result.err())
                    .startsWith("pooltasks: the answer from " + api.url() + " is not task statistics: ");
        }
    }

    @Test
    void theHelpNamesTheGroupingsTheExitCodesAndTheCredentials() {
        CliRunner.Result help = new CliRunner().run("statistics", "--help");
        CliRunner.Result top = new CliRunner().run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--group-by", "day, pool, script, status or task_type", "--time-zone",
                "PTCLI_AUTH_TOKEN", "HUAWEICLOUD_SDK_AK", "Exit codes:", "pooltasks statistics --project ID");
        assertThat(top.out()).contains("tasks", "statistics");
    }

    static List<List<String>> csvRows(String csv) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY).readerForListOf(String.class)
                .<List<String>>readValues(csv).forEachRemaining(rows::add);
        return rows;
    }
}
