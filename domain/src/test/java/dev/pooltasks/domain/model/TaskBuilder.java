package dev.pooltasks.domain.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test data: a fluent builder for {@link ScriptExecutionTask}. Defaults to a finished SCRIPT task with one script in
 * pool {@code pool-1}; every field can be overridden.
 */
public final class TaskBuilder {
    public static final Instant DEFAULT_START = Instant.parse("2021-10-01T12:00:00Z");

    private String id = "task-1";
    private String desktopPoolId = "pool-1";
    private String desktopPoolName = "finance-win11";
    private List<Script> scripts = new ArrayList<>(List.of(new Script("script-1", "Install Chrome")));
    private String commandContent;
    private CommandType commandType;
    private Instant startTime = DEFAULT_START;
    private Instant endTime = DEFAULT_START.plusSeconds(300);
    private TaskStatus status = TaskStatus.FINISH;
    private int successNum = 10;
    private int failedNum;
    private int skipNum;

    private TaskBuilder() {
    }

    public static TaskBuilder aTask() {
        return new TaskBuilder();
    }

    /** A COMMAND task: the given command line and shell, and no scripts. */
    public static TaskBuilder aCommandTask(String content, CommandType type) {
        return aTask().withNoScripts().withCommand(content, type);
    }

    public TaskBuilder withId(String value) {
        id = value;
        return this;
    }

    public TaskBuilder inPool(String poolId) {
        desktopPoolId = poolId;
        return this;
    }

    public TaskBuilder inPool(String poolId, String poolName) {
        desktopPoolId = poolId;
        desktopPoolName = poolName;
        return this;
    }

    public TaskBuilder withScripts(Script... values) {
        scripts = new ArrayList<>(Arrays.asList(values));
        return this;
    }

    /** Scripts given as alternating id, name pairs. */
    public TaskBuilder withScripts(String... idNamePairs) {
        if (idNamePairs.length % 2 != 0) {
            throw new IllegalArgumentException("id/name pairs expected");
        }
        List<Script> list = new ArrayList<>();
        for (int i = 0; i < idNamePairs.length; i += 2) {
            list.add(new Script(idNamePairs[i], idNamePairs[i + 1]));
        }
        scripts = list;
        return this;
    }

    public TaskBuilder withNoScripts() {
        scripts = new ArrayList<>();
        return this;
    }

    public TaskBuilder withCommand(String content, CommandType type) {
        commandContent = content;
        commandType = type;
        return this;
    }

    public TaskBuilder startedAt(Instant value) {
        startTime = value;
        return this;
    }

    public TaskBuilder startedAt(String isoInstant) {
        return startedAt(Instant.parse(isoInstant));
    }

    public TaskBuilder endedAt(Instant value) {
        endTime = value;
        return this;
    }

    public TaskBuilder withStatus(TaskStatus value) {
        status = value;
        return this;
    }

    public TaskBuilder withCounts(int success, int failed, int skip) {
        successNum = success;
        failedNum = failed;
        skipNum = skip;
        return this;
    }

    public ScriptExecutionTask build() {
        return new ScriptExecutionTask(id, desktopPoolId, desktopPoolName, scripts, commandContent, commandType,
                startTime, endTime, status, successNum, failedNum, skipNum);
    }
}
