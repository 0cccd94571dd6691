package dev.pooltasks.domain.aggregation;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.model.TaskType;
import dev.pooltasks.domain.query.Grouping;
import dev.pooltasks.domain.query.StatusFilter;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The rules of task statistics, shared by every way of counting ({@link StatisticsTally} over task objects, the task
 * index over its columns):
 * <ul>
 *   <li>group keys: a day as {@code yyyy-MM-dd} in the query's zone; a pool id; each distinct script id a task ran,
 *       or, for a task that ran no script, {@code command:<command type>} ({@code command:} alone without a type);
 *       a task status; a task type;</li>
 *   <li>names: for pools and scripts, the name reported by the group's newest task (of several started at that
 *       instant, the smallest of their names; a name before none); a status group is named by the filter value that
 *       selects it; days and task types by their key;</li>
 *   <li>order: days ascending; statuses FINISH, FAILED, RUNNING, INIT, then others by key; SCRIPT before COMMAND;
 *       pools and scripts by task count descending, then key ascending. Groups without tasks are left out.</li>
 * </ul>
 */
public final class StatisticsRules {
    /** Keys of the groups of tasks that ran no script. */
    public static final String COMMAND_KEY_PREFIX = "command:";

    private static final Comparator<String> BY_NAME_NONE_LAST = Comparator.nullsLast(Comparator.naturalOrder());

    private StatisticsRules() {
    }

    public static String dayKey(LocalDate day) {
        return day.toString();
    }

    /** The script group of a task that ran no script. */
    public static String commandKey(CommandType type) {
        return COMMAND_KEY_PREFIX + (type == null ? "" : type.value());
    }

    public static String commandName(CommandType type) {
        return type == null || type.value().isEmpty() ? "Commands" : type.value() + " commands";
    }

    /** A status group's name: the {@code status} filter value that selects it. */
    public static String statusName(String status) {
        return StatusFilter.documentedValue(new TaskStatus(status));
    }

    public static String typeKey(TaskType type) {
        return type.name();
    }

    /**
     * Whether a name reported by a task started at {@code start} takes the place of the current choice, reported by a
     * task started at {@code currentStart} (null when there is none yet): a newer task's name wins; at the same
     * instant, the smaller name, a name before none.
     */
    public static boolean nameWins(Instant start, String name, Instant currentStart, String currentName) {
        if (currentStart == null) {
            return true;
        }
        int byStart = start.compareTo(currentStart);
        return byStart > 0 || byStart == 0 && BY_NAME_NONE_LAST.compare(name, currentName) < 0;
    }

    /** The groups with tasks, in the grouping's order. */
    public static List<TaskStatistics.Group> ordered(Grouping grouping, Collection<TaskStatistics.Group> groups) {
        return groups.stream().filter(group -> group.counts().tasks() > 0).sorted(order(grouping)).toList();
    }

    private static Comparator<TaskStatistics.Group> order(Grouping grouping) {
        Comparator<TaskStatistics.Group> byKey = Comparator.comparing(TaskStatistics.Group::key);
        return switch (grouping) {
            case DAY -> Comparator.comparing((TaskStatistics.Group group) -> LocalDate.parse(group.key()));
            case STATUS -> Comparator.comparingInt((TaskStatistics.Group group) -> knownRank(group.key()))
                    .thenComparing(byKey);
            case TASK_TYPE -> Comparator.comparing((TaskStatistics.Group group) -> TaskType.valueOf(group.key()));
            case POOL, SCRIPT -> Comparator.comparingLong((TaskStatistics.Group group) -> group.counts().tasks())
                    .reversed().thenComparing(byKey);
        };
    }

    private static int knownRank(String status) {
        int rank = TaskStatistics.Counts.KNOWN_STATUSES.indexOf(status);
        return rank < 0 ? Integer.MAX_VALUE : rank;
    }
}
