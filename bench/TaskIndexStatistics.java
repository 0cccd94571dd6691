import dev.pooltasks.adapter.out.sandbox.SandboxSettings;
import dev.pooltasks.adapter.out.sandbox.SandboxTaskStore;
import dev.pooltasks.domain.query.Grouping;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/**
 * What task statistics cost when the sandbox's TaskIndex counts them from its columns: every grouping, over all tasks
 * and over a filtered selection. Not a test: numbers for the README. Build the modules first
 * (mvn -B -ntp -pl adapters/sandbox -am package -DskipTests), then:
 *
 * <p>java -Xmx2g -cp domain/target/classes:adapters/sandbox/target/classes bench/TaskIndexStatistics.java [TASKS]
 */
public class TaskIndexStatistics {
    private static final int WARM_UPS = 5;
    private static final int RUNS = 9;

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        SandboxTaskStore store = SandboxTaskStore.generate(new SandboxSettings("bench", 42,
                size, Instant.parse("2026-11-27T12:00:00Z")));
        List<TaskQuery> filters = List.of(TaskQuery.builder("bench").build(),
                TaskQuery.builder("bench").status("FAILED").scriptName("chrome").build());
        for (TaskQuery filter : filters) {
            for (Grouping grouping : Grouping.values()) {
                StatisticsQuery query = new StatisticsQuery(filter, grouping, ZoneId.of("Asia/Shanghai"));
                double[] millis = new double[RUNS];
                long tasks = 0;
                for (int run = -WARM_UPS; run < RUNS; run++) {
                    long t0 = System.nanoTime();
                    tasks = store.statistics(query).total().tasks();
                    if (run >= 0) {
                        millis[run] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                Arrays.sort(millis);
                System.out.printf("%-45s group_by=%-9s %,9d tasks: median %6.1f ms (min %.1f, max %.1f)%n",
                        filter.status() == null ? "all tasks" : "status=FAILED&script_name=chrome",
                        grouping.wireValue(), tasks, millis[RUNS / 2], millis[0], millis[RUNS - 1]);
            }
        }
    }
}
