package dev.pooltasks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --all}: every page, 100 at a time, each task once while tasks shift, 429s waited out. */
class AllPagesTest {
    static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    static final ObjectMapper JSON = new ObjectMapper();

    StubApi api;
    /** The stub's tasks, newest first: ids only, the order is the list's. */
    final List<String> tasks = new ArrayList<>();

    @BeforeEach
    void start() {
        api = StubApi.start();
        for (int i = 0; i < 250; i++) {
            tasks.add(String.format("task-%04d", i));
        }
        api.respond(this::page);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Answers offset/limit from {@link #tasks}, as the API pages. */
    StubApi.Response page(StubApi.Request request) {
        int offset = Integer.parseInt(request.param("offset"));
        int limit = Integer.parseInt(request.param("limit"));
        List<String> page = tasks.subList(Math.min(offset, tasks.size()), Math.min(offset + limit, tasks.size()));
        List<Object> objects = new ArrayList<>();
        for (String id : page) {
            int n = Integer.parseInt(id.substring(id.indexOf('-') + 1));
            String start = DateTimeFormatter.ISO_INSTANT.format(Instant.parse("2026-11-27T00:00:00Z")
                    .minusSeconds(60L * n).atOffset(ZoneOffset.UTC));
            objects.add(Map.of("id", id, "desktop_pool_id", "pool-1", "desktop_pool_name", "pool",
                    "command_content", "echo " + n, "command_type", "SHELL", "start_time", start, "status", "FINISH",
                    "success_num", 1, "failed_num", 0, "skip_num", 0));
        }
        try {
            return StubApi.Response.json(200, JSON.writeValueAsString(
                    Map.of("total_count", tasks.size(), "script_execution_tasks", objects)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CliRunner.Result all(CliRunner runner, String... more) {
        List<String> args = new ArrayList<>(List.of("tasks", "--endpoint", api.url(), "--project", PROJECT, "--all"));
        args.addAll(more.length == 0 ? List.of("-o", "json") : List.of(more));
        return runner.run(args.toArray(String[]::new));
    }

    static List<String> ids(String jsonLines) {
        return jsonLines.lines().map(line -> {
            try {
                return JSON.readTree(line).get("id").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    @Test
    void walksEveryPageOfOneHundred() {
        CliRunner.Result result = all(new CliRunner());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(ids(result.out())).isEqualTo(tasks);
        assertThat(api.requests()).extracting(r -> r.param("offset") + "/" + r.param("limit"))
                .containsExactly("0/100", "100/100", "200/100");
        assertThat(api.requests()).allSatisfy(r -> assertThat(r.query()).containsOnlyKeys("offset", "limit"));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void startsAtTheOffsetAndKeepsTheFilters() {
        CliRunner.Result result = all(new CliRunner(), "--offset", "120", "--status", "SUCCESS", "-o", "table");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines()).hasSize(1 + 130 + 1).last().isEqualTo("130 tasks");
        assertThat(api.requests()).extracting(r -> r.param("offset")).containsExactly("120", "220");
        assertThat(api.requests()).allSatisfy(r -> assertThat(r.param("status")).isEqualTo("SUCCESS"));
    }

    @Test
    void tasksPushedOntoTheNextPageAreListedOnce() {
        AtomicInteger served = new AtomicInteger();
        Function<StubApi.Request, StubApi.Response> pages = this::page;
        api.respond(request -> {
            StubApi.Response response = pages.apply(request);
            if (served.incrementAndGet() == 1) {
                // Three tasks start while the first page is being read: everything moves down by three.
                tasks.addAll(0, List.of("task-9001", "task-9002", "task-9003"));
            }
            return response;
        });

        CliRunner.Result result = all(new CliRunner());

        List<String> listed = ids(result.out());
        assertThat(result.exitCode()).isZero();
        assertThat(listed).doesNotHaveDuplicates().hasSize(250)
                .isEqualTo(tasks.subList(3, tasks.size()));
        assertThat(api.requests()).extracting(r -> r.param("offset")).containsExactly("0", "100", "200");
    }

    @Test
    void a429IsWaitedOutAndTheWalkGoesOn() {
        AtomicInteger served = new AtomicInteger();
        api.respond(request -> served.incrementAndGet() == 2
                ? StubApi.Response.error(429, "APIG.0308", "The throttling threshold has been reached")
                        .withHeader("Retry-After", "3")
                : page(request));
        CliRunner runner = new CliRunner();

        CliRunner.Result result = all(runner);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(ids(result.out())).isEqualTo(tasks);
        assertThat(runner.waits).containsExactly(Duration.ofSeconds(3));
        assertThat(api.requests()).extracting(r -> r.param("offset")).containsExactly("0", "100", "100", "200");
        assertThat(result.err()).as("standard error is not a terminal: no progress, no notice").isEmpty();
    }

    @Test
    void aWalkThatAFailedUpstreamWasLeftOutOfListsTheRestAndExitsSix() {
        AtomicInteger served = new AtomicInteger();
        api.respond(request -> {
            StubApi.Response response = page(request);
            return served.incrementAndGet() == 2
                    ? response.withHeader("X-Pooltasks-Missing-Upstreams", "west,south") : response;
        });

        CliRunner.Result result = all(new CliRunner());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.PARTIAL).isEqualTo(6);
        assertThat(ids(result.out())).isEqualTo(tasks);
        assertThat(result.err()).isEqualTo("pooltasks: incomplete: the answer left out upstream(s) south, west, which "
                + "failed (X-Pooltasks-Missing-Upstreams); the tasks listed are the other upstreams'\n");
    }

    @Test
    void aPageServedFromAnOlderCopyIsAWarningOnly() {
        api.respond(request -> page(request).withHeader("X-Pooltasks-Stale-Upstreams", "east"));

        CliRunner.Result result = all(new CliRunner());
        CliRunner.Result onePage = new CliRunner().run("tasks", "--endpoint", api.url(), "--project", PROJECT,
                "--limit", "5", "-o", "json");

        for (CliRunner.Result run : List.of(result, onePage)) {
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err()).isEqualTo("pooltasks: warning: part of the answer is an older cached copy of "
                    + "upstream(s) east (X-Pooltasks-Stale-Upstreams)\n");
        }
        assertThat(ids(onePage.out())).isEqualTo(tasks.subList(0, 5));
    }

    @Test
    void retryAfterAsADateOrMissingWaitsAtLeastASecondAndAtMostAMinute() {
        Instant now = CliRunner.NOW;
        Function<String, Duration> wait = value -> TaskSource.retryAfter(
                HttpHeaders.of(value == null ? Map.of()
                        : Map.of("Retry-After", List.of(value)), (a, b) -> true), now);

        assertThat(wait.apply("Fri, 27 Nov 2026 12:00:10 GMT")).isEqualTo(Duration.ofSeconds(10));
        assertThat(wait.apply("Fri, 27 Nov 2026 11:00:00 GMT")).isEqualTo(Duration.ofSeconds(1));
        assertThat(wait.apply("0")).isEqualTo(Duration.ofSeconds(1));
        assertThat(wait.apply(null)).isEqualTo(Duration.ofSeconds(1));
        assertThat(wait.apply("soon")).isEqualTo(Duration.ofSeconds(1));
        assertThat(wait.apply("3600")).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void progressGoesToAStandardErrorThatIsATerminal() {
        AtomicInteger served = new AtomicInteger();
        api.respond(request -> served.incrementAndGet() == 2
                ? StubApi.Response.error(429, "APIG.0308", "slow down").withHeader("Retry-After", "2")
                : page(request));

        CliRunner.Result result = all(new CliRunner().terminals(false, true));

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).contains("\rlisting tasks: 100 of 250", "\rlisting tasks: 200 of 250",
                "rate limited (HTTP 429): retry 1 of 5 in 2 s");
        // The line is cleared at the end: nothing visible is left behind.
        assertThat(result.err()).endsWith("\r");
        assertThat(ids(result.out())).isEqualTo(tasks);
    }
}
