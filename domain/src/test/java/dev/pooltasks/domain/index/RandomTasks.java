package dev.pooltasks.domain.index;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Test data: tasks of every shape an upstream may report, drawn from a seed. Ids: canonical UUIDs mostly, some in
 * upper case, some of any other form. Start times: many tasks share a second, some have fractions of a second. Any
 * status (those the domain knows, and others), SCRIPT and COMMAND tasks (and tasks with both scripts and a command),
 * pools without a name or renamed, scripts whose names overlap, or with one id under two names, missing end times.
 */
public final class RandomTasks {
    public static final Instant EPOCH = Instant.parse("2026-11-01T00:00:00Z");
    static final List<TaskStatus> STATUSES = List.of(TaskStatus.FINISH, TaskStatus.FAILED, TaskStatus.RUNNING,
            TaskStatus.INIT, new TaskStatus("PAUSED"), new TaskStatus("finish"));
    static final List<Script> SCRIPTS = List.of(
            new Script("s-chrome", "Install Chrome"),
            new Script("s-chrome-deb", "Install Chrome (deb)"),
            new Script("s-chrome-short", "chrome"),
            new Script("s-logs", "Collect system logs"),
            new Script("s-event-logs", "Collect event LOGS"),
            new Script("s-7zip", "Install 7-Zip"),
            new Script("s-temp", "Clear temp files"),
            // one id under two names: a script renamed in the library
            new Script("s-renamed", "Reset Windows Update"),
            new Script("s-renamed", "Reset Windows Update (v2)"),
            new Script("0f2a1c7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b", "Map network drive"),
            new Script("s-utc", "Set time zone to UTC+8"),
            new Script("s-rare", "Rotate local admin password"));
    static final List<String> POOL_IDS = List.of("pool-a", "pool-b", "6c9d3e2f-1a4b-4c5d-9e8f-7a6b5c4d3e2f",
            "POOL-A", "pool-rare");
    private static final String[] COMMANDS = {"ipconfig /flushdns", "sudo reboot", "Get-Service | Restart-Service"};
    private static final CommandType[] COMMAND_TYPES = {CommandType.BAT, CommandType.SHELL, CommandType.POWERSHELL,
            new CommandType("PYTHON"), null};

    private final Random random;
    private int sequence;

    public RandomTasks(long seed) {
        this.random = new Random(seed);
    }

    public List<ScriptExecutionTask> tasks(int count) {
        List<ScriptExecutionTask> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tasks.add(task(id()));
        }
        return tasks;
    }

    /** A new id, unique within this generator. */
    String id() {
        int n = sequence++;
        return switch (random.nextInt(20)) {
            case 0 -> new UUID(random.nextLong(), n).toString().toUpperCase(Locale.ROOT);
            case 1 -> "task-" + n;
            case 2 -> "T" + n;
            case 3 -> "zz-" + n + "-" + UUID.nameUUIDFromBytes(new byte[]{(byte) n}).toString().substring(0, 30);
            default -> new UUID(random.nextLong(), random.nextLong() ^ n).toString();
        };
    }

    /** A task of any shape with the given id. */
    ScriptExecutionTask task(String id) {
        Instant start = start();
        List<Script> scripts = new ArrayList<>();
        String commandContent = null;
        CommandType commandType = null;
        int shape = random.nextInt(10);
        if (shape < 6) {
            int count = 1 + random.nextInt(3);
            for (int s = 0; s < count; s++) {
                scripts.add(script());
            }
            if (shape == 0) {
                commandContent = COMMANDS[random.nextInt(COMMANDS.length)]; // scripts and a command: a SCRIPT task
            }
        } else if (shape < 9) {
            commandContent = COMMANDS[random.nextInt(COMMANDS.length)];
            commandType = COMMAND_TYPES[random.nextInt(COMMAND_TYPES.length)];
        } else {
            commandType = random.nextBoolean() ? CommandType.BAT : null; // neither scripts nor a command line
        }
        String pool = pool();
        String poolName = switch (random.nextInt(6)) {
            case 0 -> null;
            case 1 -> pool + " (renamed)";
            default -> pool + "-name";
        };
        Instant end = random.nextInt(4) == 0 ? null
                : start.plusSeconds(random.nextInt(3600)).plusNanos(random.nextInt(5) == 0 ? fraction() : 0);
        return new ScriptExecutionTask(id, pool, poolName, scripts, commandContent, commandType, start, end,
                status(), random.nextInt(200), random.nextInt(20), random.nextInt(5));
    }

    /** Within a few hours, so that many tasks share a second; now and then with a fraction of a second. */
    Instant start() {
        Instant start = EPOCH.plusSeconds(random.nextInt(random.nextBoolean() ? 600 : 20_000));
        return random.nextInt(8) == 0 ? start.plusNanos(random.nextBoolean() ? 500_000_000 : fraction()) : start;
    }

    private int fraction() {
        return 1 + random.nextInt(999_999_999);
    }

    TaskStatus status() {
        int pick = random.nextInt(100);
        return pick < 55 ? TaskStatus.FINISH : pick < 75 ? TaskStatus.FAILED
                : STATUSES.get(2 + random.nextInt(STATUSES.size() - 2));
    }

    private Script script() {
        // the last script is rare: a sparse filter among dense ones
        int last = SCRIPTS.size() - 1;
        return SCRIPTS.get(random.nextInt(200) == 0 ? last : random.nextInt(last));
    }

    private String pool() {
        int last = POOL_IDS.size() - 1;
        return POOL_IDS.get(random.nextInt(300) == 0 ? last : random.nextInt(last));
    }
}
