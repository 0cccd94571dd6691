package dev.pooltasks.cli;

import dev.pooltasks.client.ApiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code pooltasks statistics}: counts the tasks the list would give, per group (a pooltasks extension). */
@Command(name = "statistics", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = PooltasksCommand.Version.class,
        description = {
                "Counts the tasks 'pooltasks tasks' would list, per day, pool, script, status or task type.",
                "",
                "For each group: the tasks in each status, and the execution records (desktop x script) that "
                        + "succeeded, failed and were skipped. A pooltasks extension: ask pooltasks, not a Workspace "
                        + "region.",
                "",
                ApiOptions.CREDENTIALS_HELP},
        footerHeading = "%nEnvironment:%n",
        footer = {
                ApiOptions.ENVIRONMENT_HELP,
                "",
                "Examples:",
                "  pooltasks statistics --project ID --since 7d",
                "  pooltasks statistics --project ID --group-by day --time-zone Asia/Shanghai \\",
                "      --since 30d",
                "  pooltasks statistics --project ID --group-by script --status FAILED -o csv"})
final class StatisticsCommand implements Callable<Integer> {
    /** pooltasks' error code for a project it does not serve. */
    private static final String PROJECT_NOT_FOUND = "WKS.1002";

    /** The API's group_by values. */
    enum Grouping {
        DAY, POOL, SCRIPT, STATUS, TASK_TYPE;

        /** As the API takes it. */
        String parameter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Mixin
    ApiOptions connection;

    @Mixin
    FilterOptions filters;

    @Option(names = "--group-by", paramLabel = "G", order = 20, defaultValue = "status",
            description = "day, pool, script, status or task_type (default: ${DEFAULT-VALUE}); by script, a task "
                    + "counts once for each script it ran")
    Grouping groupBy;

    @Option(names = "--time-zone", paramLabel = "ZONE", order = 21,
            description = "the IANA time zone whose calendar days --group-by day counts, e.g. Asia/Shanghai "
                    + "(default: UTC)")
    String timeZone;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", order = 40, defaultValue = "table",
            description = "table (default; a row per group and the total), json (the API's answer as one JSON "
                    + "object) or csv (RFC 4180, header row, a row per group)")
    OutputFormat output;

    private final CliEnvironment environment;

    StatisticsCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        ApiOptions.Connection api = connection.connect(environment);
        TaskSource source = api.tasks(filters.filter(environment.clock()));
        try {
            TaskSource.Counts counts = source.statistics(groupBy.parameter(),
                    timeZone == null ? null : timeZone.trim());
            StatisticsOutput.write(output, counts.response(), environment.out());
            return UpstreamNotes.report(environment.err(), counts.stale(), counts.missing(), "the counts");
        } catch (ApiException e) {
            int exitCode = api.failed(e, "task statistics");
            if (e.getCode() == 404 && !PROJECT_NOT_FOUND.equals(ApiFailure.errorCode(e))) {
                // Not "no such project": no such operation, as a Workspace region (or an older pooltasks) answers.
                environment.err().println("pooltasks: statistics are a pooltasks extension: is " + api.baseUri()
                        + " a pooltasks? A Workspace region has no such operation.");
                environment.err().flush();
            }
            return exitCode;
        }
    }
}
