import dev.pooltasks.adapter.out.sandbox.SandboxSettings;
import dev.pooltasks.adapter.out.sandbox.SandboxTaskStore;
import dev.pooltasks.domain.index.TaskIndex;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * What the domain's TaskIndex costs at sandbox scale: the heap it holds, and the time withChanges takes for a handful
 * to thousands of changes of the kinds a sync brings (unfinished tasks finishing, new newest tasks, tasks replaced).
 * Not a test: numbers for the README. Build the modules first (mvn -B -ntp -pl adapters/sandbox -am package
 * -DskipTests), then:
 *
 * <p>java -Xmx2g -cp domain/target/classes:adapters/sandbox/target/classes bench/TaskIndexChanges.java [TASKS]
 */
public class TaskIndexChanges {
    private static final int[] CHANGES = {1, 5, 100, 1000, 10_000};
    private static final int WARM_UPS = 3;
    private static final int RUNS = 7;

    public static void main(String[] args) throws InterruptedException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Instant now = Instant.parse("2026-11-27T12:00:00Z");
        List<ScriptExecutionTask> tasks = SandboxTaskStore.generate(
                new SandboxSettings("bench", 42, size, now)).allTasks();
        long before = usedAfterGc();
        long started = System.nanoTime();
        TaskIndex.Builder builder = TaskIndex.builder(size);
        tasks.forEach(builder::add);
        TaskIndex index = builder.build();
        double buildMs = (System.nanoTime() - started) / 1e6;
        long withIndex = usedAfterGc();
        System.out.printf("%,d tasks: built from task objects in %.0f ms; the index holds %.1f MB "
                + "(%.0f bytes a task)%n", size, buildMs, (withIndex - before) / 1048576.0,
                (double) (withIndex - before) / size);

        Random random = new Random(7);
        for (int count : CHANGES) {
            double[] millis = new double[RUNS];
            for (int run = -WARM_UPS; run < RUNS; run++) {
                List<ScriptExecutionTask> changes = changes(tasks, count, random, now);
                long t0 = System.nanoTime();
                TaskIndex changed = index.withChanges(changes);
                double ms = (System.nanoTime() - t0) / 1e6;
                if (changed.size() < index.size()) {
                    throw new IllegalStateException("lost tasks");
                }
                if (run >= 0) {
                    millis[run] = ms;
                }
            }
            Arrays.sort(millis);
            System.out.printf("withChanges, %,6d changes: median %.0f ms (min %.0f, max %.0f, %d runs)%n", count,
                    millis[RUNS / 2], millis[0], millis[RUNS - 1], RUNS);
        }
    }

    /** Half of them existing tasks finishing (same start, new status and end), half new tasks newer than any. */
    private static List<ScriptExecutionTask> changes(List<ScriptExecutionTask> tasks, int count, Random random,
                                                     Instant now) {
        List<ScriptExecutionTask> changes = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            ScriptExecutionTask t = tasks.get(random.nextInt(tasks.size()));
            if (c % 2 == 0) {
                changes.add(new ScriptExecutionTask(t.id(), t.desktopPoolId(), t.desktopPoolName(), t.scripts(),
                        t.commandContent(), t.commandType(), t.startTime(), t.startTime().plusSeconds(90),
                        TaskStatus.FINISH, t.successNum() + 1, t.failedNum(), t.skipNum()));
            } else {
                changes.add(new ScriptExecutionTask(new UUID(random.nextLong(), random.nextLong()).toString(),
                        t.desktopPoolId(), t.desktopPoolName(), t.scripts(), t.commandContent(), t.commandType(),
                        now.plusSeconds(1 + random.nextInt(60)), null, TaskStatus.RUNNING, 0, 0, 0));
            }
        }
        return changes;
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
