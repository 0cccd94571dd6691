package dev.pooltasks.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

/** The API's filters, the same for every command: which tasks are listed or counted. */
final class FilterOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--pool", paramLabel = "ID", order = 10, description = "desktop pool id")
    String poolId;

    @Option(names = "--script-id", paramLabel = "ID", order = 11, description = "script id")
    String scriptId;

    @Option(names = "--script", paramLabel = "NAME", order = 12,
            description = "a script name containing NAME (case-insensitive)")
    String scriptName;

    @Option(names = "--status", paramLabel = "S", order = 13,
            description = "SUCCESS, FAILED, RUNNING or WAITING (tasks show FINISH, FAILED, RUNNING, INIT)")
    String status;

    @Option(names = "--type", paramLabel = "T", order = 14, description = "SCRIPT or COMMAND")
    String taskType;

    @Option(names = "--since", paramLabel = "AGE|ISO", order = 15,
            description = "started at or after: an age (30m, 12h, 7d) or an instant (2026-11-20T00:00:00Z)")
    String since;

    @Option(names = "--until", paramLabel = "AGE|ISO", order = 16,
            description = "started at or before: an age (1d: a day ago) or an instant (2026-11-21T00:00:00Z)")
    String until;

    @Option(names = "--task-id", paramLabel = "ID", order = 17,
            description = "only this task; repeat for several (at most 100)")
    List<String> taskIds;

    /**
     * The filters as the API's query parameters, relative times counted from {@code clock}'s now.
     *
     * @throws ParameterException (a usage error, nothing sent) if a time cannot be read
     */
    TaskFilter filter(Clock clock) {
        TimeBounds time;
        try {
            time = TimeBounds.parse(since, until, clock);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
        return new TaskFilter(poolId, scriptId, scriptName, upper(status), upper(taskType), time,
                taskIds == null || taskIds.isEmpty() ? null : List.copyOf(taskIds));
    }

    private static String upper(String value) {
        return value == null ? null : value.trim().toUpperCase(Locale.ROOT);
    }
}
