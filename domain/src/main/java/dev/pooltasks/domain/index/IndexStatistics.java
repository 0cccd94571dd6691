package dev.pooltasks.domain.index;

import dev.pooltasks.domain.aggregation.StatisticsRules;
import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.model.TaskType;
import dev.pooltasks.domain.query.Grouping;
import dev.pooltasks.domain.query.StatisticsQuery;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task statistics counted from an index's columns: each matching position ({@link TaskIndex#forEachMatch}) adds its
 * status code, counts and start to the accumulators of its groups, which are numbered by the dictionaries' codes (a
 * pool id, a script id, a status, a type) or by day. No task object is made. The rules (keys, names, order) are
 * {@link StatisticsRules}'s.
 */
final class IndexStatistics {
    private final TaskColumns columns;
    private final TaskDictionaries dictionaries;
    private final Grouping grouping;
    private final ZoneId timeZone;
    private final ZoneRules zone;
    private final int statuses;
    private final Accumulator total;
    /** Accumulators by group code; a day's code is given when its first task is met. */
    private final List<Accumulator> groups = new ArrayList<>();

    // POOL: the pool id code of each pool code
    private int[] poolIdOfPool;
    // SCRIPT: the distinct group codes of each script list, and the name each entry offers; a command's group
    private int[][] groupsOfList;
    private String[][] namesOfList;
    private int[] groupOfCommand;
    // TASK_TYPE
    private int emptyScriptList;
    private boolean[] commandsWithContent;
    // DAY: the current day's range of epoch seconds [dayFrom, dayTo) and its group code
    private final Map<LocalDate, Integer> dayCodes = new HashMap<>();
    private long dayFrom = Long.MAX_VALUE;
    private long dayTo = Long.MIN_VALUE;
    private int dayCode;

    private IndexStatistics(TaskIndex index, StatisticsQuery query) {
        this.columns = index.columns();
        this.dictionaries = index.dictionaries();
        this.grouping = query.grouping();
        this.timeZone = query.timeZone();
        this.zone = timeZone.getRules();
        this.statuses = dictionaries.statuses.size();
        this.total = new Accumulator("", null, statuses);
        prepare();
    }

    static TaskStatistics compute(TaskIndex index, StatisticsQuery query) {
        IndexStatistics statistics = new IndexStatistics(index, query);
        index.forEachMatch(query.filters(), statistics::add);
        return statistics.result();
    }

    private void prepare() {
        switch (grouping) {
            case POOL -> {
                poolIdOfPool = dictionaries.poolIdOfPool();
                for (int id = 0; id < dictionaries.poolIds.size(); id++) {
                    groups.add(new Accumulator(dictionaries.poolIds.value(id), null, statuses));
                }
            }
            case STATUS -> {
                for (int status = 0; status < statuses; status++) {
                    String value = dictionaries.statuses.value(status).value();
                    groups.add(new Accumulator(value, StatisticsRules.statusName(value), statuses));
                }
            }
            case TASK_TYPE -> {
                emptyScriptList = dictionaries.emptyScriptList();
                commandsWithContent = dictionaries.commandsWithContent();
                for (TaskType type : TaskType.values()) {
                    String key = StatisticsRules.typeKey(type);
                    groups.add(new Accumulator(key, key, statuses));
                }
            }
            case SCRIPT -> prepareScripts();
            case DAY -> {
                // days are made as they are met
            }
        }
    }

    /** A group per script id and per command type; each script list's distinct groups and offered names. */
    private void prepareScripts() {
        Map<String, Integer> codes = new HashMap<>();
        groupsOfList = new int[dictionaries.scriptLists.size()][];
        namesOfList = new String[groupsOfList.length][];
        for (int list = 0; list < groupsOfList.length; list++) {
            Map<Integer, String> names = new LinkedHashMap<>();
            for (Script script : dictionaries.scriptLists.value(list)) {
                int code = code(codes, script.id(), null);
                // of one id listed twice under two names, the task offers the smaller
                names.merge(code, script.name(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
            groupsOfList[list] = names.keySet().stream().mapToInt(Integer::intValue).toArray();
            namesOfList[list] = names.values().toArray(String[]::new);
        }
        groupOfCommand = new int[dictionaries.commands.size()];
        for (int command = 0; command < groupOfCommand.length; command++) {
            CommandType type = dictionaries.commands.value(command).type();
            groupOfCommand[command] = code(codes, StatisticsRules.commandKey(type), StatisticsRules.commandName(type));
        }
    }

    private int code(Map<String, Integer> codes, String key, String fixedName) {
        return codes.computeIfAbsent(key, k -> {
            groups.add(new Accumulator(k, fixedName, statuses));
            return groups.size() - 1;
        });
    }

    private void add(int p) {
        total.add(columns, p);
        switch (grouping) {
            case POOL -> {
                int pool = columns.pool[p];
                groups.get(poolIdOfPool[pool]).add(columns, p).offerName(columns, p, dictionaries.pools.value(pool).name());
            }
            case STATUS -> groups.get(columns.status[p]).add(columns, p);
            case TASK_TYPE -> {
                boolean command = columns.scripts[p] == emptyScriptList && commandsWithContent[columns.command[p]];
                groups.get((command ? TaskType.COMMAND : TaskType.SCRIPT).ordinal()).add(columns, p);
            }
            case SCRIPT -> {
                int list = columns.scripts[p];
                int[] codes = groupsOfList[list];
                if (codes.length == 0) {
                    groups.get(groupOfCommand[columns.command[p]]).add(columns, p);
                    return;
                }
                String[] names = namesOfList[list];
                for (int k = 0; k < codes.length; k++) {
                    groups.get(codes[k]).add(columns, p).offerName(columns, p, names[k]);
                }
            }
            case DAY -> groups.get(day(columns.startSecond[p])).add(columns, p);
        }
    }

    /** The group code of the day a task started in: matches come newest first, so a day's tasks come together. */
    private int day(long second) {
        if (second < dayFrom || second >= dayTo) {
            Instant start = Instant.ofEpochSecond(second);
            LocalDate day = LocalDateTime.ofEpochSecond(second, 0, zone.getOffset(start)).toLocalDate();
            dayFrom = startOf(day);
            dayTo = startOf(day.plusDays(1));
            dayCode = dayCodes.computeIfAbsent(day, d -> {
                String key = StatisticsRules.dayKey(d);
                groups.add(new Accumulator(key, key, statuses));
                return groups.size() - 1;
            });
        }
        return dayCode;
    }

    private long startOf(LocalDate day) {
        return day.atStartOfDay(timeZone).toEpochSecond();
    }

    private TaskStatistics result() {
        List<TaskStatistics.Group> result = new ArrayList<>();
        for (Accumulator group : groups) {
            if (group.tasks > 0) {
                result.add(new TaskStatistics.Group(group.key, group.name, group.counts(columns, dictionaries)));
            }
        }
        return new TaskStatistics(total.counts(columns, dictionaries), StatisticsRules.ordered(grouping, result));
    }

    /** Counts of one group, or of all matches, by position. */
    private static final class Accumulator {
        final String key;
        String name;
        final boolean fixedName;
        long tasks;
        final long[] byStatus;
        long successNum;
        long failedNum;
        long skipNum;
        /** Positions of the newest and oldest task (API order: the lowest and highest), -1 while none. */
        int newest = -1;
        int oldest = -1;
        /** The position of the task that offered the name, -1 while none did. */
        int named = -1;

        Accumulator(String key, String fixedName, int statuses) {
            this.key = key;
            this.name = fixedName;
            this.fixedName = fixedName != null;
            this.byStatus = new long[statuses];
        }

        Accumulator add(TaskColumns columns, int p) {
            tasks++;
            byStatus[columns.status[p]]++;
            successNum += columns.successNum[p];
            failedNum += columns.failedNum[p];
            skipNum += columns.skipNum[p];
            if (newest < 0 || p < newest) {
                newest = p;
            }
            if (p > oldest) {
                oldest = p;
            }
            return this;
        }

        /** The rule of {@link StatisticsRules#nameWins}, with starts compared in the columns. */
        void offerName(TaskColumns columns, int p, String offered) {
            if (fixedName) {
                return;
            }
            if (named < 0) {
                named = p;
                name = offered;
                return;
            }
            int byStart = columns.compareStart(p, columns.startSecond[named], columns.startNano(named));
            if (byStart > 0 || byStart == 0 && (name == null ? offered != null
                    : offered != null && offered.compareTo(name) < 0)) {
                named = p;
                name = offered;
            }
        }

        TaskStatistics.Counts counts(TaskColumns columns, TaskDictionaries dictionaries) {
            Map<String, Long> statuses = new HashMap<>();
            for (int status = 0; status < byStatus.length; status++) {
                if (byStatus[status] > 0) {
                    statuses.put(dictionaries.statuses.value(status).value(), byStatus[status]);
                }
            }
            return new TaskStatistics.Counts(tasks, statuses, successNum, failedNum, skipNum,
                    tasks == 0 ? null : columns.start(oldest), tasks == 0 ? null : columns.start(newest));
        }
    }
}
