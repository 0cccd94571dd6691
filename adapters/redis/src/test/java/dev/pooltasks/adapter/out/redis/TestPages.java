package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Pages shaped like a project's answers: UUID ids, a handful of pools and a library of scripts that tasks share, one to
 * three scripts or a command each, counts from a pool's desktops, whole-second times.
 */
final class TestPages {
    static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
    private static final String[] POOLS = {"finance-win11", "testlab-ubuntu2004", "design-win10", "support-rocky9",
            "callcenter-win11", "dev-ubuntu2204", "training-win10", "lab-gpu-win11"};
    private static final String[] SCRIPTS = {"Collect system logs", "Install Chrome", "Rotate local admin password",
            "Clean temp files", "Update Windows Defender signatures", "Install VS Code", "Restart print spooler",
            "Map network drives", "Install Office updates", "Check disk health"};
    private static final String[] COMMANDS = {"Get-Service | Where-Object Status -eq Stopped", "ipconfig /flushdns",
            "systemctl restart sssd", "df -h /"};
    private static final String[] STATUSES = {"FINISH", "FINISH", "FINISH", "FAILED", "RUNNING", "INIT"};

    private TestPages() {
    }

    static TaskPage page(long seed, int size) {
        Random random = new Random(seed);
        String[] poolIds = ids(random, POOLS.length);
        String[] scriptIds = ids(random, SCRIPTS.length);
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        Instant start = NOW;
        for (int i = 0; i < size; i++) {
            start = start.minusSeconds(1 + random.nextInt(900));
            int pool = random.nextInt(POOLS.length);
            String status = STATUSES[random.nextInt(STATUSES.length)];
            boolean finished = status.equals("FINISH") || status.equals("FAILED");
            List<Script> scripts = new ArrayList<>();
            String command = null;
            CommandType type = null;
            if (random.nextInt(5) == 0) {
                command = COMMANDS[random.nextInt(COMMANDS.length)];
                type = new CommandType(random.nextBoolean() ? "POWERSHELL" : "SHELL");
            } else {
                for (int s = 0, count = 1 + random.nextInt(3); s < count; s++) {
                    int script = random.nextInt(SCRIPTS.length);
                    scripts.add(new Script(scriptIds[script], SCRIPTS[script]));
                }
            }
            int desktops = 12 + random.nextInt(228);
            int failed = random.nextInt(Math.max(1, desktops / 10));
            tasks.add(new ScriptExecutionTask(uuid(random), poolIds[pool], POOLS[pool], scripts, command, type, start,
                    finished ? start.plusSeconds(60 + random.nextInt(3600)) : null, new TaskStatus(status),
                    finished ? desktops - failed : 0, failed, random.nextInt(3)));
        }
        return new TaskPage(3000 + size, tasks);
    }

    static PageCache.Key key(String source, int offset, int limit, String callerToken) {
        return new PageCache.Key(source, TaskQuery.builder(PROJECT).offset(offset).limit(limit).build(), callerToken);
    }

    private static String[] ids(Random random, int count) {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = uuid(random);
        }
        return ids;
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
