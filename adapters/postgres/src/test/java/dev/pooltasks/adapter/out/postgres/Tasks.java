package dev.pooltasks.adapter.out.postgres;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/** Varied test tasks: scripts (one to three, names with any characters) or commands, every status, null fields. */
final class Tasks {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    private static final String[] NAMES = {"Install Chrome", "Collect logs, \"quoted\" {braces} \\ back", "Ünïcødé 名前",
            "NULL", "  spaces  ", ""};
    private static final TaskStatus[] STATUSES = {TaskStatus.FINISH, TaskStatus.FAILED, TaskStatus.RUNNING,
            TaskStatus.INIT, new TaskStatus("PAUSED")};

    private Tasks() {
    }

    static List<ScriptExecutionTask> random(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<ScriptExecutionTask> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(random(random, new UUID(random.nextLong(), random.nextLong()).toString()));
        }
        return tasks;
    }

    static ScriptExecutionTask random(SplittableRandom random, String id) {
        Instant start = NOW.minusSeconds(random.nextLong(30 * 86_400L)).plusMillis(random.nextInt(3) * 250L);
        TaskStatus status = STATUSES[random.nextInt(STATUSES.length)];
        boolean finished = status.equals(TaskStatus.FINISH) || status.equals(TaskStatus.FAILED);
        String pool = "pool-" + random.nextInt(8);
        if (random.nextInt(3) == 0) {
            return new ScriptExecutionTask(id, pool, random.nextBoolean() ? null : pool + "-name", List.of(),
                    "echo " + random.nextInt(100), new CommandType(random.nextBoolean() ? "SHELL" : "POWERSHELL"),
                    start, finished ? start.plusSeconds(random.nextInt(3600)) : null, status, random.nextInt(200),
                    random.nextInt(20), random.nextInt(5));
        }
        List<Script> scripts = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int s = 0; s < count; s++) {
            int k = random.nextInt(NAMES.length);
            scripts.add(new Script("script-" + k + "-" + s, NAMES[k]));
        }
        return new ScriptExecutionTask(id, pool, pool + "-name", scripts, null, null, start,
                finished ? start.plusSeconds(random.nextInt(3600)) : null, status, random.nextInt(200),
                random.nextInt(20), random.nextInt(5));
    }

    static ScriptExecutionTask withStatus(ScriptExecutionTask t, TaskStatus status, int success) {
        return new ScriptExecutionTask(t.id(), t.desktopPoolId(), t.desktopPoolName(), t.scripts(), t.commandContent(),
                t.commandType(), t.startTime(), t.endTime(), status, success, t.failedNum(), t.skipNum());
    }
}
