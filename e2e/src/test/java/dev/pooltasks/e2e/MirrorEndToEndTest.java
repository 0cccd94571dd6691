package dev.pooltasks.e2e;

import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.workspace.v2.WorkspaceClient;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksRequest;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.client.ApiException;
import dev.pooltasks.client.api.DesktopPoolScriptTasksApi;
import dev.pooltasks.client.model.ScriptExecutionTask;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static dev.pooltasks.e2e.ClientQuery.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mirror mode with built jars and the machine's real PostgreSQL (127.0.0.1:5432, database {@code test}): sandboxes as
 * upstreams (one static, one live, whose tasks start and finish as the clock moves) and mirrored gateways, each group
 * in a schema of its own, dropped at the end. Upstream calls are counted by the upstreams themselves (their
 * {@code pooltasks_requests_seconds_count}).
 */
class MirrorEndToEndTest {
    private static final String JDBC_URL = System.getProperty("pooltasks.test.jdbc-url",
            "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String JDBC_USER = System.getProperty("pooltasks.test.jdbc-user", "postgres");
    private static final String STATIC = "static-project";
    private static final String LIVE = "live-project";
    private static final int STATIC_TASKS = 20_000;

    private static final List<String> schemas = new CopyOnWriteArrayList<>();
    private static final List<RunningPooltasks> instances = new CopyOnWriteArrayList<>();
    private static final HttpClient http = JdkHttp.builder().connectTimeout(Duration.ofSeconds(2)).build();
    private static RunningPooltasks staticUpstream;
    private static RunningPooltasks liveUpstream;

    @BeforeAll
    static void startUpstreams() {
        staticUpstream = started(RunningPooltasks.builder("mirror-static").property("pooltasks.sandbox.project-id", STATIC)
                .property("pooltasks.sandbox.seed", "7").property("pooltasks.sandbox.tasks", String.valueOf(STATIC_TASKS)));
        liveUpstream = started(RunningPooltasks.builder("mirror-live").property("pooltasks.sandbox.project-id", LIVE)
                .property("pooltasks.sandbox.tasks", "500").property("pooltasks.sandbox.live", "true")
                .property("pooltasks.sandbox.live-tasks-per-minute", "120")
                .property("pooltasks.sandbox.live-max-duration", "15s"));
    }

    @AfterAll
    static void stopAndDrop() {
        instances.forEach(RunningPooltasks::close);
        for (String schema : schemas) {
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static RunningPooltasks started(RunningPooltasks.Builder builder) {
        RunningPooltasks instance = builder.start();
        instances.add(instance);
        return instance;
    }

    private static String newSchema() {
        String schema = "e2e_mirror_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        schemas.add(schema);
        return schema;
    }

    /** A gateway mirroring {@code project} of {@code upstream} into {@code schema}: cycles every 2 s, lease 5 s. */
    private static RunningPooltasks.Builder gateway(String name, RunningPooltasks upstream, String project,
                                                    String schema) {
        return RunningPooltasks.builder(name)
                .upstream("up", upstream, project)
                .property("pooltasks.upstreams.up.mirror", "true")
                .property("pooltasks.upstreams.up.deadline", "10s")
                .property("pooltasks.postgres.url", JDBC_URL)
                .property("pooltasks.postgres.username", JDBC_USER)
                .property("pooltasks.postgres.schema", schema)
                .property("pooltasks.mirror.interval", "2s")
                .property("pooltasks.mirror.lease", "5s");
    }

    @Test
    void aBackfillCutShortByKillMinus9ResumesWithoutLossDuplicatesOrANewBackfill() throws Exception {
        String schema = newSchema();
        double upstreamCallsBefore = upstreamCalls(staticUpstream);
        // 60 calls a minute: the budget's first minute (60 calls, 6,000 tasks) goes at once, then a call a second,
        // so the backfill of 200 pages is surely under way when it is killed
        RunningPooltasks first = started(gateway("mirror-killed", staticUpstream, STATIC, schema)
                .property("pooltasks.upstreams.up.rate-limit-per-minute", "60"));
        await(Duration.ofSeconds(90), "backfill under way", () -> metric(first, "pooltasks_mirror_backfill_tasks") >= 3000);
        assertThat(metric(first, "pooltasks_mirror_backfill_done")).isZero();
        first.kill();
        long walkedBeforeKill = scalar("SELECT tasks FROM " + schema + ".sync_walk WHERE kind = 'backfill'");
        assertThat(walkedBeforeKill).isBetween(3000L, (long) STATIC_TASKS - 100);
        assertThat(scalar("SELECT count(*) FROM " + schema + ".task")).isEqualTo(walkedBeforeKill);

        RunningPooltasks restarted = started(gateway("mirror-restarted", staticUpstream, STATIC, schema));
        await(Duration.ofSeconds(120), "backfill done", () -> metric(restarted, "pooltasks_mirror_backfill_done") == 1);
        double calls = upstreamCalls(staticUpstream) - upstreamCallsBefore;
        // 200 pages in all, plus at most the page the kill cut short and the first steady cycles (2 calls each);
        // a new backfill would have cost 200 more
        assertThat(calls).isBetween(200.0, 200.0 + 1 + 3 * 2);
        assertThat(restarted.logText()).contains("mirror " + STATIC + ": backfill done, 20,000 tasks in 200 calls");

        assertThat(scalar("SELECT count(*) FROM " + schema + ".task")).isEqualTo(STATIC_TASKS);
        assertThat(scalar("SELECT count(DISTINCT id) FROM " + schema + ".task")).isEqualTo(STATIC_TASKS);
        await(Duration.ofSeconds(30), "the copy loaded", () -> metric(restarted, "pooltasks_mirror_tasks") == STATIC_TASKS);
        List<ScriptExecutionTask> expected = query().project(STATIC).fetchAll(api(staticUpstream), 100);
        assertThat(query().project(STATIC).fetchAll(api(restarted), 100)).isEqualTo(expected);
        for (ClientQuery q : List.of(query().status("FAILED").limit(100).offset(40), query().scriptName("log").limit(7),
                query().taskType("COMMAND").start("2026-10-20T00:00:00Z").limit(50),
                query().status("WAITING").limit(0))) {
            assertThat(q.project(STATIC).call(api(restarted))).isEqualTo(q.project(STATIC).call(api(staticUpstream)));
        }
    }

    @Test
    void twoReplicasOneSyncsBothServeAndTheOtherTakesOverWhenTheSyncerIsKilled() throws Exception {
        String schema = newSchema();
        RunningPooltasks a = started(gateway("mirror-replica-a", liveUpstream, LIVE, schema));
        RunningPooltasks b = started(gateway("mirror-replica-b", liveUpstream, LIVE, schema));
        for (RunningPooltasks replica : List.of(a, b)) {
            await(Duration.ofSeconds(60), "serving", () -> metric(replica, "pooltasks_mirror_backfill_done") == 1
                    && metric(replica, "pooltasks_mirror_tasks") >= 500);
        }
        await(Duration.ofSeconds(20), "one syncer", () -> metric(a, "pooltasks_mirror_syncing")
                + metric(b, "pooltasks_mirror_syncing") == 1);
        RunningPooltasks syncer = metric(a, "pooltasks_mirror_syncing") == 1 ? a : b;
        RunningPooltasks other = syncer == a ? b : a;

        // a task running now finishes in the mirror, and tasks that start later appear in it, on both replicas
        ScriptExecutionTask running = query().project(LIVE).status("RUNNING").limit(1).call(api(liveUpstream))
                .getScriptExecutionTasks().get(0);
        for (RunningPooltasks replica : List.of(a, b)) {
            await(Duration.ofSeconds(40), "the running task finished in " + replica.baseUri(), () -> {
                List<ScriptExecutionTask> seen = query().project(LIVE).taskIds(List.of(running.getId())).call(api(replica))
                        .getScriptExecutionTasks();
                return seen.size() == 1 && seen.get(0).getEndTime() != null
                        && List.of("FINISH", "FAILED").contains(seen.get(0).getStatus());
            });
        }
        ScriptExecutionTask newest = query().project(LIVE).limit(1).call(api(liveUpstream)).getScriptExecutionTasks().get(0);
        for (RunningPooltasks replica : List.of(a, b)) {
            await(Duration.ofSeconds(30), "a new task in " + replica.baseUri(), () -> query().project(LIVE)
                    .taskIds(List.of(newest.getId())).call(api(replica)).getTotalCount() == 1);
        }

        // steady state: about 1 + ceil(unfinished / 100) calls a cycle, and reads cost the upstream nothing
        double cyclesBefore = metric(syncer, "pooltasks_mirror_cycles_total");
        double callsBefore = upstreamCalls(liveUpstream);
        for (int i = 0; i < 200; i++) {
            query().project(LIVE).status(i % 2 == 0 ? "RUNNING" : null).offset(i).limit(20).call(api(i % 3 == 0 ? syncer : other));
        }
        Thread.sleep(4_000);
        double cycles = metric(syncer, "pooltasks_mirror_cycles_total") - cyclesBefore;
        double calls = upstreamCalls(liveUpstream) - callsBefore;
        assertThat(cycles).isGreaterThanOrEqualTo(1);
        int unfinished = query().project(LIVE).status("RUNNING").limit(0).call(api(liveUpstream)).getTotalCount()
                + query().project(LIVE).status("WAITING").limit(0).call(api(liveUpstream)).getTotalCount();
        double perCycle = 1 + Math.ceil(unfinished / 100.0);
        // the calls of a cycle under way at either end of the window count too
        assertThat(calls).isLessThanOrEqualTo((cycles + 1) * perCycle);
        assertThat(metric(syncer, "pooltasks_mirror_last_cycle_calls")).isBetween(1.0, perCycle);

        long killedAt = System.nanoTime();
        syncer.kill();
        await(Duration.ofSeconds(30), "takeover", () -> metric(other, "pooltasks_mirror_syncing") == 1);
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        // within the interval (2 s) plus the lease (5 s), with room for a loaded machine's scrapes
        assertThat(takeover).isLessThan(Duration.ofSeconds(15));
        assertThat(other.logText()).contains("mirror " + LIVE + ": this replica syncs it");
        ScriptExecutionTask later = query().project(LIVE).limit(1).call(api(liveUpstream)).getScriptExecutionTasks().get(0);
        await(Duration.ofSeconds(30), "synced by the new syncer", () -> query().project(LIVE)
                .taskIds(List.of(later.getId())).call(api(other)).getTotalCount() == 1);
    }

    @Test
    void theOfficialSdkReadsAMirroredProjectAlsoWithItsUpstreamStopped() throws Exception {
        RunningPooltasks upstream = sandbox("mirror-sdk-upstream", 1200);
        RunningPooltasks gateway = servingMirror("mirror-sdk-gateway", upstream, 1200);

        List<String> fromUpstream = sdkWalk(upstream, 100);
        assertThat(fromUpstream).hasSize(1200);
        assertThat(sdkWalk(gateway, 100)).isEqualTo(fromUpstream);
        assertThat(sdkWalk(gateway, 37)).isEqualTo(fromUpstream);

        upstream.close();
        assertThat(sdkWalk(gateway, 100)).isEqualTo(fromUpstream);
        ShowDesktopPoolsScriptExecTasksResponse failed = sdk(gateway).showDesktopPoolsScriptExecTasks(
                new ShowDesktopPoolsScriptExecTasksRequest().withStatus("FAILED").withLimit(5));
        assertThat(failed.getScriptExecutionTasks()).hasSize(5).allMatch(t -> t.getStatus().getValue().equals("FAILED"));
        assertThat(mirrorAge(gateway)).isBetween(0L, 600L);
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(gateway.managementUri()
                + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"mirror " + STATIC + "\": \"serving 1200 tasks");
    }

    @Test
    void aGatewayInFrontOfAMirrorSaysHowOldItsCachedCopyOfTheMirrorsAnswerIs() throws Exception {
        RunningPooltasks mirror = servingMirror("mirror-chain-mirror", sandbox("mirror-chain-upstream", 200), 200);
        RunningPooltasks outer = started(RunningPooltasks.builder("mirror-chain-outer")
                .property("pooltasks.upstreams.inner.url", mirror.baseUri())
                .property("pooltasks.upstreams.inner.projects." + STATIC, STATIC)
                .property("pooltasks.cache.ttl", "60s"));

        long first = mirrorAge(outer);
        Thread.sleep(3_500);
        double mirrorAsked = metric(mirror, "pooltasks_requests_seconds_count");
        long later = mirrorAge(outer);
        Thread.sleep(500); // the mirror's request timer is stopped once its answer is sent

        assertThat(metric(mirror, "pooltasks_requests_seconds_count")).as("answered from the outer's cache")
                .isEqualTo(mirrorAsked);
        assertThat(later).isGreaterThanOrEqualTo(first + 3);
    }

    /** A sandbox of {@code tasks} tasks in project {@link #STATIC}, to be mirrored. */
    private static RunningPooltasks sandbox(String name, int tasks) {
        return started(RunningPooltasks.builder(name).property("pooltasks.sandbox.project-id", STATIC)
                .property("pooltasks.sandbox.tasks", String.valueOf(tasks)));
    }

    /** A gateway mirroring {@link #STATIC} of {@code upstream} into a new schema, once its backfill is done. */
    private static RunningPooltasks servingMirror(String name, RunningPooltasks upstream, int tasks) throws Exception {
        RunningPooltasks gateway = started(gateway(name, upstream, STATIC, newSchema()));
        await(Duration.ofSeconds(60), "serving", () -> metric(gateway, "pooltasks_mirror_backfill_done") == 1
                && metric(gateway, "pooltasks_mirror_tasks") == tasks);
        return gateway;
    }

    /** The X-Pooltasks-Mirror-Age of a 200 answer from {@code gateway} for {@link #STATIC}. */
    private static long mirrorAge(RunningPooltasks gateway) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUri() + "/v2/" + STATIC
                + "/desktop-pools/script-execution-tasks/detail?limit=3")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return Long.parseLong(answer.headers().firstValue("X-Pooltasks-Mirror-Age").orElseThrow());
    }

    @Test
    void whileTheDatabaseIsDownTheCopyServesAtOnceGrowingOlderAndSyncingResumesByItself() throws Exception {
        String schema = newSchema();
        URI database = URI.create(JDBC_URL.substring("jdbc:".length()));
        String password = TestSecrets.random(32);   // the machine's PostgreSQL trusts local callers and ignores it
        try (TcpRelay relay = new TcpRelay(database.getHost(), database.getPort())) {
            RunningPooltasks gateway = started(gateway("mirror-db-down", liveUpstream, LIVE, schema)
                    .property("pooltasks.postgres.url", "jdbc:postgresql://127.0.0.1:" + relay.port()
                            + database.getPath() + "?connectTimeout=2")
                    .env("POOLTASKS_POSTGRES_PASSWORD", password)
                    .property("pooltasks.mirror.max-backoff", "4s"));
            await(Duration.ofSeconds(60), "serving", () -> metric(gateway, "pooltasks_mirror_backfill_done") == 1
                    && metric(gateway, "pooltasks_mirror_tasks") >= 500);

            relay.cut();
            long cutAt = System.nanoTime();
            Thread.sleep(6_000);
            ScriptExecutionTask startedMeanwhile = query().project(LIVE).limit(1).call(api(liveUpstream))
                    .getScriptExecutionTasks().get(0);
            for (int i = 0; i < 20; i++) {
                long sent = System.nanoTime();
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUri() + "/v2/"
                        + LIVE + "/desktop-pools/script-execution-tasks/detail?limit=5&offset=" + i)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(2));
                long age = Long.parseLong(answer.headers().firstValue("X-Pooltasks-Mirror-Age").orElseThrow());
                assertThat(age).isGreaterThanOrEqualTo(Duration.ofNanos(System.nanoTime() - cutAt).getSeconds() - 3);
            }
            assertThat(query().project(LIVE).taskIds(List.of(startedMeanwhile.getId())).call(api(gateway))
                    .getTotalCount()).isZero();
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(gateway.managementUri()
                    + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);

            relay.restore();
            await(Duration.ofSeconds(60), "synced and served again", () -> query().project(LIVE)
                    .taskIds(List.of(startedMeanwhile.getId())).call(api(gateway)).getTotalCount() == 1);
            await(Duration.ofSeconds(30), "fresh again", () -> metric(gateway, "pooltasks_mirror_lag_seconds") < 10);
            assertThat(gateway.logText()).contains("mirror " + LIVE + ": sync cycle failed")
                    .contains("feed of mirror " + LIVE + ": working again").doesNotContain(password);
        }
    }

    @Test
    void aMirrorWithoutADatabaseRefusesToStartAndSaysWhy() {
        try (RunningPooltasks refused = RunningPooltasks.builder("mirror-no-database")
                .property("pooltasks.upstreams.up.url", liveUpstream.baseUri())
                .property("pooltasks.upstreams.up.projects." + LIVE, LIVE)
                .property("pooltasks.upstreams.up.mirror", "true").launch()) {
            assertThat(refused.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(refused.logText()).contains("mirror mode (pooltasks.upstreams.<name>.mirror=true) needs "
                    + "PostgreSQL: set pooltasks.postgres.url");
        }
    }

    /** Every task id and status, page by page through the official SDK (signed with a dummy key, not checked). */
    private static List<String> sdkWalk(RunningPooltasks instance, int pageSize) {
        WorkspaceClient client = sdk(instance);
        List<String> seen = new ArrayList<>();
        for (int offset = 0; ; offset += pageSize) {
            ShowDesktopPoolsScriptExecTasksResponse page = client.showDesktopPoolsScriptExecTasks(
                    new ShowDesktopPoolsScriptExecTasksRequest().withOffset(offset).withLimit(pageSize));
            page.getScriptExecutionTasks().forEach(t -> seen.add(t.getId() + " " + t.getStatus() + " "
                    + t.getStartTime() + " " + t.getSuccessNum() + "/" + t.getFailedNum() + "/" + t.getSkipNum()));
            if (offset + pageSize >= page.getTotalCount()) {
                return seen;
            }
        }
    }

    private static WorkspaceClient sdk(RunningPooltasks instance) {
        return WorkspaceClient.newBuilder()
                .withCredential(new BasicCredentials().withAk("E2EDUMMYACCESSKEY000")
                        .withSk("e2e-dummy-secret-key-not-checked").withProjectId(STATIC))
                .withHttpConfig(HttpConfig.getDefaultHttpConfig().withTimeout(30))
                .withEndpoints(List.of(instance.baseUri()))
                .build();
    }

    private static DesktopPoolScriptTasksApi api(RunningPooltasks instance) {
        return JdkHttp.api(instance.baseUri());
    }

    /** The upstream's answered API requests so far, as it counts them. */
    private static double upstreamCalls(RunningPooltasks upstream) {
        return metric(upstream, "pooltasks_requests_seconds_count");
    }

    /** The sum of a metric's series on an instance's management port; NaN while the instance does not answer. */
    private static double metric(RunningPooltasks instance, String name) {
        try {
            return instance.metric(name);
        } catch (UncheckedIOException e) {
            return Double.NaN;
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Duration timeout, String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (ApiException | RuntimeException e) {
                last = e;
            }
            Thread.sleep(200);
        }
        String logs = instances.stream().filter(RunningPooltasks::isAlive).map(RunningPooltasks::output)
                .collect(Collectors.joining("\n"));
        throw new AssertionError("not within " + timeout + ": " + what + (last == null ? "" : " (last: " + last + ")")
                + "\n" + logs);
    }

    private static long scalar(String query) {
        try (Connection connection = DriverManager.getConnection(JDBC_URL, JDBC_USER, null);
             Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(query, e);
        }
    }

    private static void sql(String statementText) {
        try (Connection connection = DriverManager.getConnection(JDBC_URL, JDBC_USER, null);
             Statement statement = connection.createStatement()) {
            statement.execute(statementText);
        } catch (SQLException e) {
            throw new IllegalStateException(statementText.toLowerCase(Locale.ROOT), e);
        }
    }
}
