package dev.pooltasks.domain.aggregation;

import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.model.TaskType;
import dev.pooltasks.domain.query.StatisticsQuery;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The statistics rules written the plainest way, for tests to check every real implementation against: filter every
 * task with {@code TaskQuery.matches}, put each into the groups its keys name, then count each group's list and pick
 * its name from the list. Shares no code with {@link StatisticsTally}, {@link StatisticsRules} or the task index.
 */
public final class StatisticsOracle {
    private static final List<String> KNOWN = List.of("FINISH", "FAILED", "RUNNING", "INIT");

    private StatisticsOracle() {
    }

    public static TaskStatistics of(List<ScriptExecutionTask> tasks, StatisticsQuery query) {
        List<ScriptExecutionTask> matching = tasks.stream().filter(query.filters()::matches).toList();
        Map<String, List<ScriptExecutionTask>> members = new HashMap<>();
        for (ScriptExecutionTask task : matching) {
            for (String key : keys(task, query)) {
                members.computeIfAbsent(key, k -> new ArrayList<>()).add(task);
            }
        }
        List<TaskStatistics.Group> groups = new ArrayList<>();
        members.forEach((key, list) -> groups.add(new TaskStatistics.Group(key, name(key, list, query), counts(list))));
        groups.sort(order(query));
        return new TaskStatistics(counts(matching), groups);
    }

    /** The distinct groups a task counts in. */
    private static Set<String> keys(ScriptExecutionTask task, StatisticsQuery query) {
        Set<String> keys = new LinkedHashSet<>();
        switch (query.grouping()) {
            case DAY -> keys.add(task.startTime().atZone(query.timeZone()).toLocalDate().toString());
            case POOL -> keys.add(task.desktopPoolId());
            case STATUS -> keys.add(task.status().value());
            case TASK_TYPE -> keys.add(task.taskType().name());
            case SCRIPT -> {
                if (task.scripts().isEmpty()) {
                    keys.add("command:" + (task.commandType() == null ? "" : task.commandType().value()));
                }
                task.scripts().forEach(script -> keys.add(script.id()));
            }
        }
        return keys;
    }

    private static String name(String key, List<ScriptExecutionTask> list, StatisticsQuery query) {
        switch (query.grouping()) {
            case DAY, TASK_TYPE -> {
                return key;
            }
            case STATUS -> {
                return switch (key) {
                    case "FINISH" -> "SUCCESS";
                    case "INIT" -> "WAITING";
                    default -> key;
                };
            }
            default -> {
                if (key.startsWith("command:")) {
                    String type = key.substring("command:".length());
                    return type.isEmpty() ? "Commands" : type + " commands";
                }
                Instant newest = list.stream().map(ScriptExecutionTask::startTime).max(Comparator.naturalOrder())
                        .orElseThrow();
                List<String> names = new ArrayList<>();
                for (ScriptExecutionTask task : list) {
                    if (!task.startTime().equals(newest)) {
                        continue;
                    }
                    if (query.grouping() == dev.pooltasks.domain.query.Grouping.POOL) {
                        names.add(task.desktopPoolName());
                    } else {
                        task.scripts().stream().filter(s -> s.id().equals(key)).map(Script::name).forEach(names::add);
                    }
                }
                return names.stream().filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
            }
        }
    }

    private static TaskStatistics.Counts counts(List<ScriptExecutionTask> list) {
        Map<String, Long> byStatus = new HashMap<>();
        list.forEach(task -> byStatus.merge(task.status().value(), 1L, Long::sum));
        return new TaskStatistics.Counts(list.size(), byStatus,
                list.stream().mapToLong(ScriptExecutionTask::successNum).sum(),
                list.stream().mapToLong(ScriptExecutionTask::failedNum).sum(),
                list.stream().mapToLong(ScriptExecutionTask::skipNum).sum(),
                list.stream().map(ScriptExecutionTask::startTime).min(Comparator.naturalOrder()).orElse(null),
                list.stream().map(ScriptExecutionTask::startTime).max(Comparator.naturalOrder()).orElse(null));
    }

    private static Comparator<TaskStatistics.Group> order(StatisticsQuery query) {
        return switch (query.grouping()) {
            case DAY -> Comparator.comparing(group -> LocalDate.parse(group.key()));
            case STATUS -> Comparator.comparing((TaskStatistics.Group group) ->
                    KNOWN.contains(group.key()) ? KNOWN.indexOf(group.key()) : KNOWN.size())
                    .thenComparing(TaskStatistics.Group::key);
            case TASK_TYPE -> Comparator.comparing(group -> TaskType.valueOf(group.key()));
            case POOL, SCRIPT -> Comparator.comparing((TaskStatistics.Group group) -> -group.counts().tasks())
                    .thenComparing(TaskStatistics.Group::key);
        };
    }
}
