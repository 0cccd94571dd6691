package dev.pooltasks.e2e;

import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import dev.pooltasks.client.model.ScriptExecutionTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.pooltasks.e2e.ClientQuery.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateway mode with real instances: a pooltasks whose upstreams are two other pooltasks on sandboxes with different
 * seeds. Chained, it answers exactly what the upstream answers; federated, it answers their merged data.
 */
class GatewayChainingTest {
    private static final String EAST = "east-project";
    private static final String WEST = "west-project";

    private static RunningPooltasks east;
    private static RunningPooltasks west;
    private static RunningPooltasks gateway;

    @BeforeAll
    static void startThreeInstances() {
        east = RunningPooltasks.builder("chain-east").property("pooltasks.sandbox.project-id", EAST)
                .property("pooltasks.sandbox.seed", "11").property("pooltasks.sandbox.tasks", "700").start();
        west = RunningPooltasks.builder("chain-west").property("pooltasks.sandbox.project-id", WEST)
                .property("pooltasks.sandbox.seed", "12").property("pooltasks.sandbox.tasks", "500").start();
        RunningPooltasks.Builder builder = RunningPooltasks.builder("chain-gateway")
                .property("pooltasks.federations.all.members", "east:" + EAST + ",west:" + WEST);
        for (RunningPooltasks upstream : List.of(east, west)) {
            String name = upstream == east ? "east" : "west";
            String project = upstream == east ? EAST : WEST;
            builder.property("pooltasks.upstreams." + name + ".url", upstream.baseUri())
                    .property("pooltasks.upstreams." + name + ".projects." + project, project)
                    .property("pooltasks.upstreams." + name + ".rate-limit-per-minute", "0")
                    .property("pooltasks.upstreams." + name + ".deadline", "10s");
        }
        gateway = builder.start();
    }

    @AfterAll
    static void stopThem() {
        for (RunningPooltasks instance : new RunningPooltasks[] {gateway, east, west}) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Test
    void theGatewaysStartupLogNamesEachUpstreamAndHowItIsCalledInWords() {
        assertThat(gateway.logText())
                .contains("upstream east: " + east.baseUri() + ", projects [" + EAST + "], calls without credentials")
                .contains("upstream west: " + west.baseUri() + ", projects [" + WEST + "], calls without credentials")
                .doesNotContain("OutboundAuth[");
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

    private static DesktopPoolScriptTasksApi api(RunningPooltasks instance) {
        return JdkHttp.api(instance.baseUri());
    }
}
