package dev.pooltasks.e2e;

import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.model.ScriptExecutionTask;
import dev.pooltasks.examples.ListFailedTasks;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.pooltasks.e2e.ClientQuery.query;
import static org.assertj.core.api.Assertions.assertThat;

/** The README's client example (examples/), run against a live instance. */
@PooltasksE2E
class ClientExampleTest {
    /** Far enough back to cover all of the instance's data, which is generated relative to a fixed instant. */
    private static final int ALL_DAYS = 3650;

    @Test
    void theExampleListsEveryFailedScriptTaskPageByPage(RunningPooltasks app) throws ApiException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int exitCode = ListFailedTasks.run(app.baseUri(), RunningPooltasks.PROJECT_ID, ALL_DAYS, null,
                new PrintStream(output, true, StandardCharsets.UTF_8));

        List<ScriptExecutionTask> failed = query().project(RunningPooltasks.PROJECT_ID).status("FAILED")
                .taskType("SCRIPT").fetchAll(JdkHttp.api(app.baseUri()), 100);
        assertThat(failed).as("the instance's data has failed script tasks").hasSizeGreaterThan(10);
        List<String> lines = output.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(exitCode).isZero();
        assertThat(lines).hasSize(failed.size() + 1);
        for (int i = 0; i < failed.size(); i++) {
            assertThat(lines.get(i)).startsWith(failed.get(i).getStartTime())
                    .contains(failed.get(i).getDesktopPoolName())
                    .contains("failed " + failed.get(i).getFailedNum() + " of ");
        }
        int failedExecutions = failed.stream().mapToInt(ScriptExecutionTask::getFailedNum).sum();
        assertThat(lines.get(failed.size())).startsWith(failed.size() + " failed script tasks since ")
                .endsWith(failedExecutions + " failed executions");
    }

    @Test
    void theReadmeCommandRunsTheExampleFromItsJarWithoutMaven(RunningPooltasks app) throws Exception {
        ByteArrayOutputStream inProcess = new ByteArrayOutputStream();
        ListFailedTasks.run(app.baseUri(), RunningPooltasks.PROJECT_ID, ALL_DAYS, null,
                new PrintStream(inProcess, true, StandardCharsets.UTF_8));

        Examples.Run run = Examples.run(List.of("-jar", Examples.jar().toString(), app.baseUri(),
                RunningPooltasks.PROJECT_ID, String.valueOf(ALL_DAYS)));

        assertThat(run.exitCode()).as(run.output()).isZero();
        List<String> expected = inProcess.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> lines = run.output().lines().toList();
        assertThat(lines).hasSameSizeAs(expected);
        // Every task line alike; the summary names a "since" instant taken from the clock at each run.
        assertThat(lines.subList(0, lines.size() - 1)).isEqualTo(expected.subList(0, expected.size() - 1));
        assertThat(lines.get(lines.size() - 1)).startsWith(expected.get(expected.size() - 1).split(" since ")[0]);
    }

    @Test
    void theExampleReportsARefusedQuery(RunningPooltasks app) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int exitCode = ListFailedTasks.run(app.baseUri(), "no-such-project", 7, null,
                new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(1);
        assertThat(output.toString(StandardCharsets.UTF_8)).startsWith("query refused: HTTP 404, request id ")
                .contains("\"error_code\":\"WKS.1002\"");
    }
}
