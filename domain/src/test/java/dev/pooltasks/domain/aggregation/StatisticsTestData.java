package dev.pooltasks.domain.aggregation;

import dev.pooltasks.domain.index.RandomTasks;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.query.Grouping;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tasks and queries for the statistics tests: {@link RandomTasks} (tasks of every shape, many sharing a second), plus
 * copies spread over 40 days around two daylight saving changes, so that days split differently in every zone.
 */
public final class StatisticsTestData {
    public static final String PROJECT = "project-1";
    /** UTC, a zone east and one west of it with daylight saving (Berlin Oct 25, New York Nov 1), half hours, +14. */
    public static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"),
            ZoneId.of("America/New_York"), ZoneId.of("Asia/Kolkata"), ZoneId.of("Pacific/Kiritimati"));

    private StatisticsTestData() {
    }

    public static List<ScriptExecutionTask> tasks(long seed, int count) {
        RandomTasks random = new RandomTasks(seed);
        Random spread = new Random(seed);
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        for (ScriptExecutionTask task : random.tasks(count)) {
            if (spread.nextInt(3) == 0) {
                Instant start = RandomTasks.EPOCH.minusSeconds(spread.nextInt(40 * 86_400))
                        .plusSeconds(spread.nextInt(20 * 86_400)).plusNanos(task.startTime().getNano());
                task = new ScriptExecutionTask(task.id(), task.desktopPoolId(), task.desktopPoolName(), task.scripts(),
                        task.commandContent(), task.commandType(), start, null, task.status(), task.successNum(),
                        task.failedNum(), task.skipNum());
            }
            tasks.add(task);
        }
        return tasks;
    }

    /** Filters of every kind, alone and together, drawn from the tasks. */
    public static List<TaskQuery> filters(List<ScriptExecutionTask> tasks) {
        List<TaskQuery> queries = new ArrayList<>();
        queries.add(q().build());
        for (String status : List.of("SUCCESS", "FAILED", "RUNNING", "WAITING")) {
            queries.add(q().status(status).build());
        }
        queries.add(q().taskType("SCRIPT").build());
        queries.add(q().taskType("COMMAND").build());
        queries.add(q().desktopPoolId("pool-a").build());
        queries.add(q().desktopPoolId("no-such-pool").build());
        queries.add(q().scriptId("s-renamed").build());
        queries.add(q().scriptName("chrome").status("FAILED").build());
        queries.add(q().scriptName("e").taskType("SCRIPT").desktopPoolId("pool-b").build());
        Instant from = RandomTasks.EPOCH.minusSeconds(10 * 86_400);
        queries.add(q().executeTimeStart(from).executeTimeEnd(RandomTasks.EPOCH.plusSeconds(300)).build());
        queries.add(q().taskIds(tasks.subList(0, 100).stream().map(ScriptExecutionTask::id).toList()).build());
        return queries;
    }

    public static StatisticsQuery query(TaskQuery filters, Grouping grouping, ZoneId zone) {
        return new StatisticsQuery(filters, grouping, zone);
    }

    private static TaskQuery.Builder q() {
        return TaskQuery.builder(PROJECT);
    }
}
