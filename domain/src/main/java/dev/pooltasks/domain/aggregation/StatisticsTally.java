package dev.pooltasks.domain.aggregation;

import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.query.Grouping;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Counts tasks one at a time, or adds up statistics counted elsewhere (a federation's members), by the rules of
 * {@link StatisticsRules}. Not thread-safe.
 */
public final class StatisticsTally {
    private final Grouping grouping;
    private final ZoneId timeZone;
    private final GroupTally total = new GroupTally();
    private final Map<String, GroupTally> groups = new HashMap<>();
    private final Set<String> missingSources = new TreeSet<>();
    private final Set<String> staleSources = new TreeSet<>();

    public StatisticsTally(Grouping grouping, ZoneId timeZone) {
        this.grouping = Objects.requireNonNull(grouping, "grouping");
        this.timeZone = Objects.requireNonNull(timeZone, "timeZone");
    }

    /** Counts one task: in the total, and in each of its groups. */
    public void add(ScriptExecutionTask task) {
        total.add(task);
        switch (grouping) {
            case DAY -> {
                String day = StatisticsRules.dayKey(task.startTime().atZone(timeZone).toLocalDate());
                group(day, day).add(task);
            }
            case POOL -> group(task.desktopPoolId(), null).add(task).offerName(task.startTime(), task.desktopPoolName());
            case SCRIPT -> addToScripts(task);
            case STATUS -> group(task.status().value(), StatisticsRules.statusName(task.status().value())).add(task);
            case TASK_TYPE -> {
                String type = StatisticsRules.typeKey(task.taskType());
                group(type, type).add(task);
            }
        }
    }

    private void addToScripts(ScriptExecutionTask task) {
        if (task.scripts().isEmpty()) {
            group(StatisticsRules.commandKey(task.commandType()), StatisticsRules.commandName(task.commandType()))
                    .add(task);
            return;
        }
        Set<String> counted = new LinkedHashSet<>();
        for (Script script : task.scripts()) {
            GroupTally group = group(script.id(), null);
            if (counted.add(script.id())) {
                group.add(task);
            }
            group.offerName(task.startTime(), script.name());
        }
    }

    /** Adds statistics counted elsewhere under the same grouping and time zone, and the sources they name. */
    public void add(TaskStatistics statistics) {
        total.add(statistics.total());
        for (TaskStatistics.Group group : statistics.groups()) {
            group(group.key(), null).add(group.counts()).offerName(group.counts().lastStart(), group.name());
        }
        missingSources.addAll(statistics.missingSources());
        staleSources.addAll(statistics.staleSources());
    }

    public void missing(String source) {
        missingSources.add(source);
    }

    public void stale(String source) {
        staleSources.add(source);
    }

    public TaskStatistics result() {
        List<TaskStatistics.Group> result = StatisticsRules.ordered(grouping, groups.entrySet().stream()
                .map(entry -> new TaskStatistics.Group(entry.getKey(), entry.getValue().name,
                        entry.getValue().counts()))
                .toList());
        return new TaskStatistics(total.counts(), result, missingSources, staleSources);
    }

    /** The group with this key; a fixed name (days, statuses, types) is set once, other names are offered. */
    private GroupTally group(String key, String fixedName) {
        GroupTally group = groups.computeIfAbsent(key, k -> new GroupTally());
        if (fixedName != null) {
            group.name = fixedName;
            group.nameStart = Instant.MAX;
        }
        return group;
    }

    /** Counts of one group (or of all tasks) as they add up, and its name so far. */
    private static final class GroupTally {
        private long tasks;
        private final Map<String, Long> byStatus = new HashMap<>();
        private long successNum;
        private long failedNum;
        private long skipNum;
        private Instant firstStart;
        private Instant lastStart;
        private String name;
        /** When the task that reported the name started; null while no name was offered. */
        private Instant nameStart;

        GroupTally add(ScriptExecutionTask task) {
            tasks++;
            byStatus.merge(task.status().value(), 1L, Long::sum);
            successNum += task.successNum();
            failedNum += task.failedNum();
            skipNum += task.skipNum();
            starts(task.startTime(), task.startTime());
            return this;
        }

        GroupTally add(TaskStatistics.Counts counts) {
            if (counts.tasks() == 0) {
                return this;
            }
            tasks += counts.tasks();
            counts.byStatus().forEach((status, count) -> byStatus.merge(status, count, Long::sum));
            successNum += counts.successNum();
            failedNum += counts.failedNum();
            skipNum += counts.skipNum();
            starts(counts.firstStart(), counts.lastStart());
            return this;
        }

        private void starts(Instant first, Instant last) {
            firstStart = firstStart == null || first.isBefore(firstStart) ? first : firstStart;
            lastStart = lastStart == null || last.isAfter(lastStart) ? last : lastStart;
        }

        void offerName(Instant start, String offered) {
            if (start != null && StatisticsRules.nameWins(start, offered, nameStart, name)) {
                name = offered;
                nameStart = start;
            }
        }

        TaskStatistics.Counts counts() {
            return new TaskStatistics.Counts(tasks, byStatus, successNum, failedNum, skipNum, firstStart, lastStart);
        }
    }
}
