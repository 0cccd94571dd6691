package dev.pooltasks.cli;

import dev.pooltasks.client.ApiClient;
import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import dev.pooltasks.client.model.ScriptExecutionTask;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code pooltasks tasks}: lists script execution tasks, newest first, filtered and paged as the API does. */
@Command(name = "tasks", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = PooltasksCommand.Version.class,
        description = {
                "Lists the script execution tasks of a project's desktop pools, newest first, from pooltasks or "
                        + "a Huawei Cloud Workspace region. Filters combine with AND.",
                "",
                "Credentials: --token or PTCLI_AUTH_TOKEN sends an X-Auth-Token; otherwise HUAWEICLOUD_SDK_AK and "
                        + "HUAWEICLOUD_SDK_SK (with HUAWEICLOUD_SDK_SECURITY_TOKEN for temporary keys) sign each "
                        + "request with AK/SK exactly as the official Huawei Cloud SDKs do; with neither, requests "
                        + "carry no credentials."},
        footerHeading = "%nEnvironment:%n",
        footer = {
                "  HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK  sign with this access and secret key",
                "  HUAWEICLOUD_SDK_SECURITY_TOKEN          the security token of temporary keys",
                "  HUAWEICLOUD_SDK_PROJECT_ID              the default --project",
                "  PTCLI_AUTH_TOKEN                        an X-Auth-Token, used instead of AK/SK",
                "  NO_COLOR                                no colours, even on a terminal",
                "",
                "Examples:",
                "  pooltasks tasks --project ID --status FAILED --since 7d",
                "  pooltasks tasks --project ID --all --output csv > tasks.csv",
                "  pooltasks tasks --endpoint https://workspace.cn-north-4.myhuaweicloud.com \\",
                "      --project ID --type COMMAND --limit 50"})
final class TasksCommand implements Callable<Integer> {
    static final int DEFAULT_LIMIT = 10;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

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

    @Option(names = "--endpoint", paramLabel = "URL", order = 1, defaultValue = "http://localhost:8080",
            description = "base URL of pooltasks or of a Workspace region endpoint (default: ${DEFAULT-VALUE})")
    String endpoint;

    @Option(names = "--project", paramLabel = "ID", order = 2,
            description = "project id (default: $" + Credentials.PROJECT_ID_VARIABLE + ")")
    String project;

    @Option(names = "--token", paramLabel = "TOKEN", order = 3,
            description = "X-Auth-Token to send (default: $" + Credentials.TOKEN_VARIABLE
                    + "; prefer the variable: other users can read a command line)")
    String token;

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

    @Option(names = "--until", paramLabel = "ISO", order = 16, description = "started at or before this instant")
    String until;

    @Option(names = "--task-id", paramLabel = "ID", order = 17,
            description = "only this task; repeat for several (at most 100)")
    List<String> taskIds;

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
        String projectId = project != null ? project : environment.variable(Credentials.PROJECT_ID_VARIABLE);
        if (projectId == null || projectId.isBlank()) {
            throw usage("Missing the project: give --project ID or set " + Credentials.PROJECT_ID_VARIABLE);
        }
        if (!projectId.chars().allMatch(c -> c > 0x20 && c != 0x7f)) {
            throw usage("--project must not contain spaces or control characters");
        }
        String baseUri = baseUri(endpoint);
        int limit = paging != null && paging.limit != null ? paging.limit : DEFAULT_LIMIT;
        if (limit < 0 || limit > TaskSource.PAGE_LIMIT) {
            throw usage("--limit must be between 0 and " + TaskSource.PAGE_LIMIT + " (--all lists every task)");
        }
        if (offset < 0) {
            throw usage("--offset must not be negative");
        }
        Credentials credentials;
        TimeBounds time;
        try {
            credentials = Credentials.resolve(token, environment);
            time = TimeBounds.parse(since, until, environment.clock());
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        TaskFilter filter = new TaskFilter(poolId, scriptId, scriptName, upper(status), upper(taskType), time,
                taskIds == null || taskIds.isEmpty() ? null : List.copyOf(taskIds));

        TaskSource source = new TaskSource(api(baseUri, credentials, projectId), projectId, filter,
                environment.clock(), environment.sleeper(),
                new Progress(environment.err(), environment.stderrIsTerminal()));
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
            return reportSources(listing);
        } catch (ApiException e) {
            out.flush();
            ApiFailure failure = ApiFailure.of(e, baseUri);
            environment.err().println("pooltasks: " + failure.message());
            environment.err().flush();
            return failure.exitCode();
        }
    }

    private DesktopPoolScriptTasksApi api(String baseUri, Credentials credentials, String projectId) {
        HttpClient transport = ApiTransport.create(credentials, projectId, environment.clock(), CONNECT_TIMEOUT);
        // The generated client sends through the transport, which adds the SDK's headers and the credentials.
        ApiClient client = new ApiClient() {
            @Override
            public HttpClient getHttpClient() {
                return transport;
            }
        };
        client.updateBaseUri(baseUri);
        client.setReadTimeout(ANSWER_TIMEOUT);
        return new DesktopPoolScriptTasksApi(client);
    }

    /** The endpoint without a trailing "/": http or https, a host, no user info, query or fragment. */
    private String baseUri(String value) {
        try {
            URI uri = new URI(value.trim());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                    || uri.getRawFragment() != null) {
                throw usage("--endpoint must be an http or https URL with a host and nothing after the path, "
                        + "e.g. https://workspace.cn-north-4.myhuaweicloud.com");
            }
            String text = uri.toString();
            return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        } catch (URISyntaxException e) {
            throw usage("--endpoint is not a URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
    }

    private static String upper(String value) {
        return value == null ? null : value.trim().toUpperCase(Locale.ROOT);
    }

    /**
     * Says on stderr what the answers said of their upstreams: those served from an older copy (the tasks are all
     * there), and those left out because they failed (a partial federation: the listing is incomplete, so the exit code
     * is {@link ExitCodes#PARTIAL}).
     */
    private int reportSources(TaskSource.Listing listing) {
        if (!listing.stale().isEmpty()) {
            environment.err().println("pooltasks: warning: part of the answer is an older cached copy of upstream(s) "
                    + String.join(", ", listing.stale()) + " (" + TaskSource.STALE_HEADER + ")");
        }
        if (!listing.missing().isEmpty()) {
            environment.err().println("pooltasks: incomplete: the answer left out upstream(s) "
                    + String.join(", ", listing.missing()) + ", which failed (" + TaskSource.MISSING_HEADER
                    + "); the tasks listed are the other upstreams'");
        }
        environment.err().flush();
        return listing.missing().isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
