package dev.pooltasks.examples;

import dev.pooltasks.domain.aggregation.ExecutionTally;
import dev.pooltasks.domain.aggregation.RecordState;
import dev.pooltasks.domain.aggregation.TaskOutcome;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskOrder;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.query.InvalidParameterException;
import dev.pooltasks.domain.query.ProjectNotFoundException;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.service.FederatedTaskSource;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static dev.pooltasks.domain.aggregation.RecordState.FAILED;
import static dev.pooltasks.domain.aggregation.RecordState.PENDING;
import static dev.pooltasks.domain.aggregation.RecordState.RUNNING;
import static dev.pooltasks.domain.aggregation.RecordState.SKIPPED_BY_THRESHOLD;
import static dev.pooltasks.domain.aggregation.RecordState.SKIPPED_UNAVAILABLE;
import static dev.pooltasks.domain.aggregation.RecordState.SUCCEEDED;
import static dev.pooltasks.domain.aggregation.RecordState.TIMED_OUT;

/**
 * The domain module ({@code dev.pooltasks:pooltasks-domain}) as a plain Java library: no Quarkus, no HTTP, nothing
 * but the JDK. It validates a query given as raw wire values, federates two in-memory task sources into one project,
 * and applies the aggregation rule that turns per-desktop execution records into a task's status and counts.
 *
 * <pre>
 * java -cp examples/target/pooltasks-examples.jar dev.pooltasks.examples.DomainAsLibrary
 * </pre>
 */
public final class DomainAsLibrary {
    private static final Script INSTALL_CHROME = new Script("script-chrome", "Install Chrome");
    private static final Script COLLECT_LOGS = new Script("script-logs", "Collect system logs");

    private DomainAsLibrary() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out));
    }

    /** Prints what each step did; returns 0. */
    public static int run(PrintStream out) {
        // 1. A query from raw parameters, exactly as they arrive on the wire (strings, any case). An invalid value
        //    is refused with the offending parameter named: what the API answers as 400 WKS.1001.
        out.println("1. Queries from raw parameters");
        TaskQuery failedScripts = TaskQuery.builder("all-regions").status("failed").taskType("script")
                .executeTimeStart("2026-11-20T00:00:00+08:00").limit(5).build();
        out.printf("   accepted: status %s, type %s, from %s, offset %d, limit %d%n", failedScripts.status(),
                failedScripts.taskType(), failedScripts.executeTimeStart(), failedScripts.offset(), failedScripts.limit());
        try {
            TaskQuery.builder("all-regions").status("DONE").build();
        } catch (InvalidParameterException e) {
            out.printf("   refused: parameter %s: %s%n", e.parameter(), e.getMessage());
        }

        // 2. Two task sources (here in memory; in the service, upstream regions behind their caches) federated as
        //    one project: tasks merged into the API order, total_count summed, the window applied to the merge.
        InMemoryTasks east = new InMemoryTasks("east-project", List.of(
                task("e1", "finance-win11", INSTALL_CHROME, "2026-11-26T10:00:00Z", SUCCEEDED, FAILED, TIMED_OUT),
                task("e2", "finance-win11", COLLECT_LOGS, "2026-11-25T08:30:00Z", SUCCEEDED, SUCCEEDED),
                task("e3", "finance-win11", INSTALL_CHROME, "2026-11-21T16:00:00Z", FAILED, SKIPPED_BY_THRESHOLD)));
        InMemoryTasks west = new InMemoryTasks("west-project", List.of(
                task("w1", "dev-ubuntu2204", COLLECT_LOGS, "2026-11-26T11:15:00Z", FAILED, SKIPPED_UNAVAILABLE),
                task("w2", "dev-ubuntu2204", INSTALL_CHROME, "2026-11-24T09:00:00Z", SUCCEEDED, RUNNING, PENDING),
                task("w3", "dev-ubuntu2204", COLLECT_LOGS, "2026-11-10T12:00:00Z", FAILED, FAILED)));
        FederatedTaskSource allRegions = new FederatedTaskSource("all-regions", List.of(
                new FederatedTaskSource.Member("east", "east-project", east, true),
                new FederatedTaskSource.Member("west", "west-project", west, true)),
                false, FederatedTaskSource.Reading.UP_TO_PAGE_END);
        TaskPage page = allRegions.loadTasks(failedScripts, Caller.ANONYMOUS).toCompletableFuture().join();
        out.printf("2. Failed script tasks since %s in the federation all-regions: %d%n",
                failedScripts.executeTimeStart(), page.totalCount());
        for (ScriptExecutionTask task : page.tasks()) {
            out.printf("   %s  %-3s %-15s %-20s success %d, failed %d, skipped %d%n", task.startTime(), task.id(),
                    task.desktopPoolName(), task.scripts().get(0).name(), task.successNum(), task.failedNum(),
                    task.skipNum());
        }

        // 3. The aggregation rule: a task's status and counts from the states of its per-desktop records.
        out.println("3. Status and counts from per-desktop records");
        List<RecordState[]> runs = List.of(
                new RecordState[] {SUCCEEDED, SUCCEEDED, SKIPPED_UNAVAILABLE},
                new RecordState[] {SUCCEEDED, FAILED, TIMED_OUT},
                new RecordState[] {FAILED, SKIPPED_BY_THRESHOLD, SKIPPED_BY_THRESHOLD},
                new RecordState[] {SUCCEEDED, RUNNING, PENDING},
                new RecordState[] {PENDING, PENDING});
        for (RecordState[] records : runs) {
            TaskOutcome outcome = ExecutionTally.of(records).outcome();
            out.printf("   %-55s -> %-7s success %d, failed %d, skipped %d%n", Arrays.toString(records),
                    outcome.status(), outcome.successNum(), outcome.failedNum(), outcome.skipNum());
        }
        return 0;
    }

    /** A SCRIPT task whose status and counts the aggregation rule derives from its records. */
    private static ScriptExecutionTask task(String id, String poolName, Script script, String start,
                                            RecordState... records) {
        TaskOutcome outcome = ExecutionTally.of(records).outcome();
        Instant startTime = Instant.parse(start);
        boolean finished = !outcome.status().equals(TaskStatus.RUNNING) && !outcome.status().equals(TaskStatus.INIT);
        return new ScriptExecutionTask(id, "pool-" + poolName, poolName, List.of(script), null, null, startTime,
                finished ? startTime.plusSeconds(600) : null, outcome.status(), outcome.successNum(),
                outcome.failedNum(), outcome.skipNum());
    }

    /**
     * A task source over a list in memory: one project, the query's filters, the API order, the window and the total
     * count, as every {@link LoadScriptExecutionTasksPort} answers.
     */
    private record InMemoryTasks(String projectId, List<ScriptExecutionTask> tasks)
            implements LoadScriptExecutionTasksPort {
        @Override
        public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
            if (!projectId.equals(query.projectId())) {
                return CompletableFuture.failedFuture(new ProjectNotFoundException(query.projectId()));
            }
            List<ScriptExecutionTask> matching = tasks.stream().filter(query::matches).sorted(TaskOrder.NEWEST_FIRST)
                    .toList();
            int from = Math.min(query.offset(), matching.size());
            int to = Math.min(from + query.limit(), matching.size());
            return CompletableFuture.completedFuture(new TaskPage(matching.size(), matching.subList(from, to)));
        }
    }
}
