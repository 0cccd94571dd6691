package dev.pooltasks.e2e;

import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import dev.pooltasks.client.model.ScriptExecutionTask;
import dev.pooltasks.client.model.ShowScriptExecutionTaskStatisticsResponse;
import dev.pooltasks.client.model.TaskCountsGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.pooltasks.e2e.ClientQuery.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Gateway mode with real instances: a pooltasks whose upstreams are two other pooltasks on sandboxes with different
 * seeds. Chained, it answers exactly what the upstream answers; federated, it answers their merged data. Statistics:
 * east serves them and is asked; west is walked, within a limit (600 tasks) that east's 700 would exceed, as they do
 * when the same east is reached through an upstream not marked as serving them (east-walked). A partial federation
 * whose second member is gone (some) is reached through an outer gateway, which says what is missing behind it.
 */
class GatewayChainingTest {
    private static final String EAST = "east-project";
    private static final String WEST = "west-project";
    private static final String EAST_WALKED = "east-walked-project";
    private static final String MISSING = "X-Pooltasks-Missing-Upstreams";
    private static final Pattern FIRST_ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final List<String> GROUPINGS = List.of("day", "pool", "script", "status", "task_type");

    private static RunningPooltasks east;
    private static RunningPooltasks west;
    private static RunningPooltasks gateway;
    private static RunningPooltasks outer;

    @BeforeAll
    static void startTheInstances() throws IOException {
        east = RunningPooltasks.builder("chain-east").property("pooltasks.sandbox.project-id", EAST)
                .property("pooltasks.sandbox.seed", "11").property("pooltasks.sandbox.tasks", "700").start();
        west = RunningPooltasks.builder("chain-west").property("pooltasks.sandbox.project-id", WEST)
                .property("pooltasks.sandbox.seed", "12").property("pooltasks.sandbox.tasks", "500").start();
        RunningPooltasks.Builder builder = RunningPooltasks.builder("chain-gateway")
                .property("pooltasks.federations.all.members", "east:" + EAST + ",west:" + WEST)
                .property("pooltasks.statistics.max-listed-tasks", "600");
        builder.upstream("east", east, EAST).property("pooltasks.upstreams.east.deadline", "10s")
                .upstream("west", west, WEST).property("pooltasks.upstreams.west.deadline", "10s");
        builder.property("pooltasks.upstreams.east.serves-statistics", "true")
                .property("pooltasks.upstreams.east-walked.url", east.baseUri())
                .property("pooltasks.upstreams.east-walked.projects." + EAST_WALKED, EAST)
                .property("pooltasks.upstreams.east-walked.rate-limit-per-minute", "0")
                .property("pooltasks.upstreams.gone.url", "http://127.0.0.1:" + closedPort())
                .property("pooltasks.upstreams.gone.projects.gone-project", "gone-project")
                .property("pooltasks.federations.some.members", "east:" + EAST + ",gone:gone-project")
                .property("pooltasks.federations.some.partial", "true");
        gateway = builder.start();
        outer = RunningPooltasks.builder("chain-outer")
                .property("pooltasks.upstreams.inner.url", gateway.baseUri())
                .property("pooltasks.upstreams.inner.projects.some", "some")
                .property("pooltasks.upstreams.inner.projects.all", "all")
                .property("pooltasks.upstreams.inner.rate-limit-per-minute", "0")
                .property("pooltasks.upstreams.inner.serves-statistics", "true").start();
    }

    /** A port nothing listens on: connections to it are refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @AfterAll
    static void stopThem() {
        for (RunningPooltasks instance : new RunningPooltasks[] {outer, gateway, east, west}) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Test
    void theGatewaysStartupLogNamesEachUpstreamAndHowItIsCalledInWords() {
        assertThat(gateway.logText())
                .contains("upstream east: " + east.baseUri() + ", projects [" + EAST + "], calls without credentials; "
                        + "statistics asked of it (a pooltasks)")
                .contains("upstream west: " + west.baseUri() + ", projects [" + WEST + "], calls without credentials\n")
                .doesNotContain("OutboundAuth[");
        // an upstream's projects in order, the same line at every start
        assertThat(outer.logText()).contains("upstream inner: " + gateway.baseUri() + ", projects [all, some], calls "
                + "without credentials; statistics asked of it (a pooltasks)");
    }

    @Test
    void aChainedGatewayAnswersExactlyWhatItsUpstreamAnswers() throws ApiException {
        List<ClientQuery> queries = List.of(
                query(), query().limit(37).offset(95), query().status("FAILED").limit(100),
                query().taskType("COMMAND").scriptName("").limit(3).offset(10), query().scriptName("install").limit(50),
                query().status("WAITING").limit(0), query().offset(100_000).limit(5));
        for (ClientQuery q : queries) {
            assertThat(q.project(EAST).call(api(gateway))).as("gateway vs upstream").isEqualTo(q.project(EAST).call(api(east)));
        }
        assertThat(query().project(EAST).fetchAll(api(gateway), 33)).isEqualTo(query().project(EAST).fetchAll(api(east), 100));
    }

    @Test
    void aFederationOfTwoSandboxesAnswersTheirMergedData() throws ApiException {
        List<ScriptExecutionTask> expected = new ArrayList<>(query().project(EAST).fetchAll(api(east), 100));
        expected.addAll(query().project(WEST).fetchAll(api(west), 100));
        expected.sort(ClientEndToEndTest.API_ORDER);

        assertThat(query().project("all").limit(0).call(api(gateway)).getTotalCount()).isEqualTo(1200);
        for (int pageSize : new int[] {7, 100}) {
            assertThat(query().project("all").fetchAll(api(gateway), pageSize)).as("walk with limit %d", pageSize)
                    .isEqualTo(expected);
        }
        List<ScriptExecutionTask> failed = expected.stream().filter(t -> "FAILED".equals(t.getStatus())).toList();
        assertThat(query().project("all").status("FAILED").fetchAll(api(gateway), 25)).isEqualTo(failed);
    }

    @Test
    void anUpstreamThatServesStatisticsIsAskedForThemBeyondTheWalkLimit() throws ApiException {
        for (String groupBy : GROUPINGS) {
            assertThat(statistics(gateway, EAST, groupBy)).as(groupBy).isEqualTo(statistics(east, EAST, groupBy));
        }
        ShowScriptExecutionTaskStatisticsResponse filtered = api(gateway).showScriptExecutionTaskStatistics(EAST,
                "day", null, "Asia/Shanghai", null, null, "install", "FAILED", "SCRIPT", null, null, null);
        assertThat(filtered).isEqualTo(api(east).showScriptExecutionTaskStatistics(EAST, "day", null,
                "Asia/Shanghai", null, null, "install", "FAILED", "SCRIPT", null, null, null));
        assertThat(filtered.getTotal().getTaskCount()).isPositive();

        ApiException walked = catchThrowableOfType(ApiException.class,
                () -> statistics(gateway, EAST_WALKED, "status"));
        assertThat(walked.getCode()).isEqualTo(400);
        assertThat(walked.getResponseBody()).contains("WKS.1010", "700 tasks match");
    }

    @Test
    void statisticsAskedOfAnUpstreamAreReusedForTheCachesTtl() throws ApiException {
        double callsBefore = gateway.metric("pooltasks_upstream_calls_seconds_count", "upstream=\"east\"");
        double hitsBefore = gateway.metric("pooltasks_cache_lookups_total", "upstream=\"east\"", "result=\"hit\"");
        List<ShowScriptExecutionTaskStatisticsResponse> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {   // well within the default ttl of 3 s
            answers.add(api(gateway).showScriptExecutionTaskStatistics(EAST, "pool", null, "Europe/Berlin", null,
                    null, null, null, "COMMAND", null, null, null));
        }
        double calls = gateway.metric("pooltasks_upstream_calls_seconds_count", "upstream=\"east\"") - callsBefore;
        double hits = gateway.metric("pooltasks_cache_lookups_total", "upstream=\"east\"", "result=\"hit\"")
                - hitsBefore;

        assertThat(calls).isEqualTo(1);
        assertThat(hits).isEqualTo(4);
        assertThat(answers).containsOnly(api(east).showScriptExecutionTaskStatistics(EAST, "pool", null,
                "Europe/Berlin", null, null, null, null, "COMMAND", null, null, null));
    }

    @Test
    void aFederationSumsAnAskedAndAWalkedMember() throws ApiException {
        for (String groupBy : GROUPINGS) {
            ShowScriptExecutionTaskStatisticsResponse eastCounts = statistics(east, EAST, groupBy);
            ShowScriptExecutionTaskStatisticsResponse westCounts = statistics(west, WEST, groupBy);
            assertThat(statistics(gateway, WEST, groupBy)).as("walked %s", groupBy).isEqualTo(westCounts);

            ShowScriptExecutionTaskStatisticsResponse all = statistics(gateway, "all", groupBy);
            assertThat(all.getTotal().getTaskCount()).isEqualTo(1200);
            assertThat(all.getTotal().getSuccessNum())
                    .isEqualTo(eastCounts.getTotal().getSuccessNum() + westCounts.getTotal().getSuccessNum());
            assertThat(all.getTotal().getStatusCounts()).as(groupBy).isEqualTo(
                    summed(eastCounts.getTotal().getStatusCounts(), westCounts.getTotal().getStatusCounts()));
            assertThat(taskCountByKey(all)).as(groupBy)
                    .isEqualTo(summed(taskCountByKey(eastCounts), taskCountByKey(westCounts)));
        }
    }

    @Test
    void aGatewayInFrontOfAPartialFederationSaysWhatIsMissingBehindIt() throws Exception {
        for (String path : List.of("detail?status=FAILED&limit=7", "statistics?group_by=status")) {
            HttpResponse<String> inner = get(gateway, "some", path);
            HttpResponse<String> chained = get(outer, "some", path);

            assertThat(inner.statusCode()).as(path).isEqualTo(200);
            assertThat(inner.headers().firstValue(MISSING)).as(path).hasValue("gone");
            assertThat(chained.statusCode()).as(path).isEqualTo(200);
            assertThat(chained.headers().firstValue(MISSING)).as(path).hasValue("inner/gone");
            assertThat(chained.body()).as(path).isEqualTo(inner.body());
        }
    }

    @Test
    void theCommandLineListsWhatAPartialFederationAnsweredAndExitsSix() throws ApiException {
        CliProcess.Result result = CliProcess.run(Map.of(), "tasks", "--endpoint", gateway.baseUri(), "--project",
                "some", "--all", "--output", "json");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(6);
        assertThat(result.err()).contains("incomplete: the answer left out upstream(s) gone, which failed");
        List<String> listed = result.out().lines().map(line -> {
            Matcher id = FIRST_ID.matcher(line);
            assertThat(id.find()).as(line).isTrue();
            return id.group(1);
        }).toList();
        assertThat(listed).isEqualTo(query().project(EAST).fetchAll(api(east), 100).stream()
                .map(ScriptExecutionTask::getId).toList());
    }

    private static HttpResponse<String> get(RunningPooltasks instance, String project, String path)
            throws IOException, InterruptedException {
        URI uri = URI.create(instance.baseUri() + "/v2/" + project + "/desktop-pools/script-execution-tasks/" + path);
        return JdkHttp.client().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ShowScriptExecutionTaskStatisticsResponse statistics(RunningPooltasks instance, String project,
                                                                        String groupBy) throws ApiException {
        return api(instance).showScriptExecutionTaskStatistics(project, groupBy, null, null, null, null, null, null,
                null, null, null, null);
    }

    private static Map<String, Long> taskCountByKey(ShowScriptExecutionTaskStatisticsResponse statistics) {
        return statistics.getGroups().stream().collect(Collectors.toMap(TaskCountsGroup::getKey,
                TaskCountsGroup::getTaskCount));
    }

    private static Map<String, Long> summed(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> sum = new TreeMap<>(a);
        b.forEach((key, count) -> sum.merge(key, count, Long::sum));
        return sum;
    }

    private static DesktopPoolScriptTasksApi api(RunningPooltasks instance) {
        return JdkHttp.api(instance.baseUri());
    }
}
