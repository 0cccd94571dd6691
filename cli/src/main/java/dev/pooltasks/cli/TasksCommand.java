package dev.pooltasks.cli;

import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.model.ScriptExecutionTask;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code pooltasks tasks}: lists script execution tasks, newest first, filtered and paged as the API does. */
@Command(name = "tasks", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = PooltasksCommand.Version.class,
        description = {
                "Lists the script execution tasks of a project's desktop pools, newest first, from pooltasks or "
                        + "a Huawei Cloud Workspace region. Filters combine with AND.",
                "",
                ApiOptions.CREDENTIALS_HELP},
        footerHeading = "%nEnvironment:%n",
        footer = {
                ApiOptions.ENVIRONMENT_HELP,
                "",
                "Examples:",
                "  pooltasks tasks --project ID --status FAILED --since 7d",
                "  pooltasks tasks --project ID --all --output csv > tasks.csv",
                "  pooltasks tasks --endpoint https://workspace.cn-north-4.myhuaweicloud.com \\",
                "      --project ID --type COMMAND --limit 50"})
final class TasksCommand implements Callable<Integer> {
    static final int DEFAULT_LIMIT = 10;

    /** Either a page size or every page. */
    static final class Paging {
        @Option(names = "--limit", paramLabel = "N", order = 31,
                description = "tasks to list, 0 to 100 (default: " + DEFAULT_LIMIT + "; with 0 the table shows only "
                        + "the count)")
        Integer limit;

        @Option(names = "--all", order = 32,
                description = "every matching task: reads all pages, 100 tasks at a time, each task once")
        boolean all;
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions connection;

    @Mixin
    FilterOptions filters;

    @Option(names = "--offset", paramLabel = "N", order = 30, defaultValue = "0",
            description = "skip the first N matching tasks (default: ${DEFAULT-VALUE})")
    int offset;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Paging paging;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", order = 40, defaultValue = "table",
            description = "table (default; for an 80-column terminal), json (JSON Lines: one task object per "
                    + "line, the API's fields) or csv (RFC 4180, header row)")
    OutputFormat output;

    private final CliEnvironment environment;

    TasksCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        ApiOptions.Connection api = connection.connect(environment);
        int limit = paging != null && paging.limit != null ? paging.limit : DEFAULT_LIMIT;
        if (limit < 0 || limit > TaskSource.PAGE_LIMIT) {
            throw usage("--limit must be between 0 and " + TaskSource.PAGE_LIMIT + " (--all lists every task)");
        }
        if (offset < 0) {
            throw usage("--offset must not be negative");
        }
        TaskSource source = api.tasks(filters.filter(environment.clock()));
        TaskOutput out = output.writer(environment.out(), environment.colourOnStdout());
        try {
            TaskSource.Listing listing;
            if (paging != null && paging.all) {
                listing = source.walk(offset, tasks -> {
                    for (ScriptExecutionTask task : tasks) {
                        out.task(task);
                    }
                    out.flush();
                });
            } else {
                TaskSource.Page page = source.page(offset, limit);
                for (ScriptExecutionTask task : page.tasks()) {
                    out.task(task);
                }
                listing = new TaskSource.Listing(offset, page);
            }
            out.finish(listing);
            return UpstreamNotes.report(environment.err(), listing.stale(), listing.missing(), "the tasks listed");
        } catch (ApiException e) {
            out.flush();
            return api.failed(e, "a page of tasks");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
