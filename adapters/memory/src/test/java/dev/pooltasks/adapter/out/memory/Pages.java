package dev.pooltasks.adapter.out.memory;

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
import java.util.Set;
import java.util.UUID;

/**
 * Test data shaped like real answers: UUID ids, pool and script names, one to three scripts or a command, each task
 * with its own status and strings (as an upstream's parsed answer has them).
 */
final class Pages {
    static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    private static final Instant BASE = Instant.parse("2026-11-01T00:00:00Z");
    private static final String[] POOLS = {"finance-win11", "testlab-ubuntu2004", "design-win10", "support-rocky9"};
    private static final String[] SCRIPTS = {"Collect system logs", "Install Chrome", "Rotate local admin password",
            "Clean temp files", "Update Windows Defender signatures"};
    private static final String[] STATUSES = {"FINISH", "FAILED", "RUNNING", "INIT"};

    private Pages() {
    }

    /** A page of {@code size} tasks, the same for the same seed. */
    static TaskPage page(long seed, int size) {
        return page(seed, size, false);
    }

    /** A page whose names are not Latin-1 (two bytes a character in a String). */
    static TaskPage page(long seed, int size, boolean chineseNames) {
        Random random = new Random(seed);
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            tasks.add(random.nextInt(4) == 0 ? commandTask(random, i) : scriptTask(random, i, chineseNames));
        }
        return new TaskPage(1000 + size, tasks);
    }

    static TaskQuery query(int offset, int limit) {
        return TaskQuery.builder(PROJECT).offset(offset).limit(limit).build();
    }

    static PageCache.Key key(int offset, int limit) {
        return new PageCache.Key("east", query(offset, limit), null);
    }

    /** The largest key a caller can make: every filter at its longest and a caller token. */
    static PageCache.Key largestKey() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < TaskQuery.MAX_TASK_IDS; i++) {
            ids.add(String.format("%0255d", i));
        }
        TaskQuery query = TaskQuery.builder(PROJECT).desktopPoolId("p".repeat(TaskQuery.MAX_ID_LENGTH))
                .scriptId("s".repeat(TaskQuery.MAX_ID_LENGTH)).scriptName("名".repeat(TaskQuery.MAX_NAME_LENGTH))
                .status("FAILED").taskType("SCRIPT").executeTimeStart("2026-01-01T00:00:00Z")
                .executeTimeEnd("2026-02-01T00:00:00Z").taskIds(ids).offset(100).limit(100).build();
        return new PageCache.Key("east", query, "t".repeat(4000));
    }

    private static ScriptExecutionTask scriptTask(Random random, int i, boolean chineseNames) {
        List<Script> scripts = new ArrayList<>();
        for (int s = 0, count = 1 + random.nextInt(3); s < count; s++) {
            String name = SCRIPTS[random.nextInt(SCRIPTS.length)];
            scripts.add(new Script(uuid(random), chineseNames ? "收集系统日志" + name : new String(name)));
        }
        String pool = POOLS[random.nextInt(POOLS.length)];
        Instant start = BASE.minusSeconds(i * 37L);
        return new ScriptExecutionTask(uuid(random), uuid(random), chineseNames ? "财务桌面池" + pool : new String(pool),
                scripts, null, null, start, start.plusSeconds(300), status(random), random.nextInt(240),
                random.nextInt(10), random.nextInt(5));
    }

    private static ScriptExecutionTask commandTask(Random random, int i) {
        Instant start = BASE.minusSeconds(i * 37L);
        String command = "Get-ChildItem -Path C:\\Windows\\Temp -Recurse | Remove-Item -Force -ErrorAction "
                + "SilentlyContinue; Write-Output done-" + random.nextInt(1000);
        return new ScriptExecutionTask(uuid(random), uuid(random), null, List.of(), command,
                new CommandType(new String("POWERSHELL")), start, null, status(random), random.nextInt(240), 0, 0);
    }

    /** A status of its own, as each parsed upstream answer has (not the shared constants). */
    private static TaskStatus status(Random random) {
        return new TaskStatus(new String(STATUSES[random.nextInt(STATUSES.length)]));
    }

    private static String uuid(Random random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    static TaskPage withSources(TaskPage page, Set<String> missing, Set<String> stale) {
        return new TaskPage(page.totalCount(), page.tasks(), missing, stale);
    }
}
