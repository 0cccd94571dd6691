package dev.pooltasks.e2e;

import dev.pooltasks.testing.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway replicas (built jars) in front of one sandbox upstream, sharing a Redis of this test's own (a
 * {@code redis-server} on a free port, which the last test kills and restarts). The upstream's own request count (its
 * {@code pooltasks_requests_seconds_count} on its management port) shows what the replicas together cost it: a page
 * walked through one replica is a hit on the other, a burst of identical queries over both costs one call, both under
 * load together keep one budget, and when Redis dies each replica keeps its share until Redis is back. Statistics
 * that the upstream counts are shared as pages are.
 *
 * <p>The tests run in order: the budget test drains the shared bucket the earlier tests would need.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasSharingRedisTest {
    private static final String PROJECT = "shared-project";
    private static final String PATH = "/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail";
    private static final String STATISTICS_PATH = "/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/statistics";
    private static final int TASKS = 1000;
    private static final int RATE_PER_MINUTE = 120;
    private static final Pattern UPSTREAM_REQUESTS = Pattern.compile("^pooltasks_requests_seconds_count\\{[^}]*} (\\S+)$",
            Pattern.MULTILINE);

    private static RedisServerProcess redis;
    private static RunningPooltasks upstream;
    private static RunningPooltasks replica1;
    private static RunningPooltasks replica2;
    private static final HttpClient http = JdkHttp.client();
    /** Every load request asks a query no one asked before (a new offset), so that no cache can answer it. */
    private static final AtomicLong distinct = new AtomicLong(10_000);

    @BeforeAll
    static void startRedisAnUpstreamAndTwoReplicas() {
        redis = new RedisServerProcess(Path.of(System.getProperty("pooltasks.e2e.basedir", System.getProperty("user.dir")),
                "target", "redis-replicas.log"));
        upstream = RunningPooltasks.builder("redis-upstream")
                .property("pooltasks.sandbox.project-id", PROJECT)
                .property("pooltasks.access-log.enabled", "false")
                .start();
        replica1 = replica("redis-replica-1").start();
        replica2 = replica("redis-replica-2").start();
    }

    private static RunningPooltasks.Builder replica(String name) {
        return RunningPooltasks.builder(name)
                .property("pooltasks.upstreams.sandbox.url", upstream.baseUri())
                .property("pooltasks.upstreams.sandbox.projects." + PROJECT, PROJECT)
                .property("pooltasks.upstreams.sandbox.serves-statistics", "true")
                .property("pooltasks.upstreams.sandbox.rate-limit-per-minute", String.valueOf(RATE_PER_MINUTE))
                // about what reaches the upstream, not its latency: a loaded machine must not time calls out
                .property("pooltasks.upstreams.sandbox.deadline", "10s")
                .property("pooltasks.cache.ttl", "60s")
                .property("pooltasks.access-log.enabled", "false")
                .property("pooltasks.redis.url", redis.url())
                // generous for a machine busy with three JVMs and the load: no call should fall back by accident
                .property("pooltasks.redis.deadline", "1s")
                .property("pooltasks.redis.heartbeat", "1s");
    }

    @AfterAll
    static void stopThem() {
        for (AutoCloseable closeable : new AutoCloseable[] {replica1, replica2, upstream, redis}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // stop the rest
            }
        }
    }

    @Test
    @Order(1)
    void aPageWalkedThroughOneReplicaIsAHitOnTheOther() throws Exception {
        awaitTrue(() -> replicasSeen(replica1) == 2 && replicasSeen(replica2) == 2, "both replicas see each other");
        long before = upstreamRequests();
        List<String> walked = new ArrayList<>();
        for (int offset = 0; offset < TASKS; offset += 100) {
            walked.add(get(replica1, "offset=" + offset + "&limit=100").body());
        }
        assertThat(upstreamRequests() - before).as("ten pages, each fetched once").isEqualTo(10);
        awaitTrue(() -> pageCopies() == 10, "the ten copies in Redis");

        for (int offset = 0, page = 0; offset < TASKS; offset += 100, page++) {
            assertThat(get(replica2, "offset=" + offset + "&limit=100").body()).isEqualTo(walked.get(page));
        }
        assertThat(upstreamRequests() - before).as("replica 2 found every page in Redis").isEqualTo(10);
    }

    @Test
    @Order(2)
    void statisticsCountedByTheUpstreamThroughOneReplicaAreAHitOnTheOtherAndABurstCostsOneCall() throws Exception {
        long before = upstreamRequests();
        HttpResponse<String> first = get(replica1, STATISTICS_PATH, "group_by=day&time_zone=Asia/Shanghai");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("\"total\"");
        awaitTrue(() -> keys("pooltasks:statistics:*") == 1, "the copy in Redis");

        HttpResponse<String> second = get(replica2, STATISTICS_PATH, "group_by=day&time_zone=Asia/Shanghai");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).as("the same counts from either replica").isEqualTo(first.body());
        assertThat(upstreamRequests() - before).as("counted once by the upstream for both replicas").isEqualTo(1);

        List<HttpResponse<String>> burst = concurrently(40, i -> get(i % 2 == 0 ? replica1 : replica2,
                STATISTICS_PATH, "group_by=pool&status=FAILED"));
        assertThat(burst).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(burst.get(0).body());
        });
        assertThat(upstreamRequests() - before).as("a burst over both replicas: one more call").isEqualTo(2);
    }

    @Test
    @Order(3)
    void fiftyIdenticalConcurrentQueriesOverBothReplicasCostOneUpstreamCall() throws Exception {
        long before = upstreamRequests();
        List<HttpResponse<String>> answers = concurrently(50, i -> get(i % 2 == 0 ? replica1 : replica2,
                "status=FAILED&offset=3&limit=37"));
        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(answers.get(0).body());
        });
        assertThat(upstreamRequests() - before).isEqualTo(1);
    }

    @Test
    @Order(4)
    void underLoadTogetherBothReplicasKeepOneUpstreamBudget() throws Exception {
        long before = upstreamRequests();
        Load load = Load.start(16, Duration.ofSeconds(20));
        load.awaitEnd();
        long calls = upstreamRequests() - before;

        // A bucket of 120 (a minute's worth) refilled at 2 a second: at most 120 + 2 per second of load, for both
        // replicas together. Each alone would be allowed as much, so without sharing they could take twice that.
        long allowed = RATE_PER_MINUTE + (long) Math.ceil(load.seconds() * RATE_PER_MINUTE / 60.0) + 2;
        System.out.printf("two replicas, %.1f s of load: %d upstream calls (at most %d allowed); %s%n",
                load.seconds(), calls, allowed, load);
        assertThat(calls).as("upstream calls in %.1f s of load (%s)", load.seconds(), load)
                .isLessThanOrEqualTo(allowed)
                .isGreaterThan(RATE_PER_MINUTE / 2);
        assertThat(load.throttled(replica1)).as("replica 1 was held to the budget").isPositive();
        assertThat(load.throttled(replica2)).as("replica 2 was held to the budget").isPositive();
        assertThat(load.serverErrors()).as("5xx answers").isZero();
        assertThat(metric(replica1, "pooltasks_redis_fallback_active")).isEqualTo(0);
        assertThat(metric(replica2, "pooltasks_redis_fallback_active")).isEqualTo(0);
    }

    @Test
    @Order(5)
    void whenRedisDiesEachReplicaKeepsItsShareAndSharingResumesWhenItIsBack() throws Exception {
        Load load = Load.start(8, Duration.ofSeconds(120)); // stopped below, once Redis is back
        try {
            Thread.sleep(2000);
            long beforeKill = upstreamRequests();
            long killedAt = System.nanoTime();
            redis.kill();
            awaitTrue(() -> fallbackActive(replica1) && fallbackActive(replica2), "both replicas on their own");
            for (RunningPooltasks replica : List.of(replica1, replica2)) {
                String ready = management(replica, "/q/health/ready");
                assertThat(ready).contains("\"status\": \"UP\"").contains("\"mode\": \"local fallback\"")
                        .contains("\"budget share\": \"1/2\"");
            }
            Thread.sleep(8000);
            long calls = upstreamRequests() - beforeKill;
            double down = (System.nanoTime() - killedAt) / 1e9;
            // Each replica alone: its share of 60 at once, plus 1 a second; and the load's 8 requests that Redis may
            // have let through just before it died. (Sharing nothing at the full rate, the two could take
            // 2 x (120 + 2 a second).)
            long allowed = 2 * (RATE_PER_MINUTE / 2 + (long) Math.ceil(down * RATE_PER_MINUTE / 2 / 60.0)) + 8;
            System.out.printf("Redis down for %.1f s: %d upstream calls (at most %d allowed)%n", down, calls, allowed);
            assertThat(calls).as("upstream calls in %.1f s without Redis", down).isPositive().isLessThanOrEqualTo(allowed);

            redis.start();
            awaitTrue(() -> !fallbackActive(replica1) && !fallbackActive(replica2), "both replicas share again");
        } finally {
            load.stop();
        }
        assertThat(load.serverErrors()).as("5xx answers while Redis died and came back (%s)", load).isZero();
        assertThat(load.answered()).isPositive();

        long before = upstreamRequests();
        String query = "status=RUNNING&offset=0&limit=50";
        // The load may have spent the shared upstream budget just before it stopped (429, no upstream call): wait for
        // its refill (2 a second) as a client would.
        HttpResponse<String> first = get(replica1, query);
        for (int tries = 0; first.statusCode() == 429 && tries < 50; tries++) {
            Thread.sleep(200);
            first = get(replica1, query);
        }
        assertThat(first.statusCode()).as("replica 1: %s", first.body()).isEqualTo(200);
        HttpResponse<String> second = get(replica2, query);
        assertThat(second.statusCode()).as("replica 2: %s", second.body()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(upstreamRequests() - before).as("a new query fetched once for both replicas, through the new Redis")
                .isEqualTo(1);
    }

    /** Distinct queries from {@code connections} threads, alternating between the replicas, until stopped. */
    private static final class Load {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService threads;
        private final List<Future<?>> workers = new ArrayList<>();
        private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        private final long started = System.nanoTime();
        private volatile long ended;

        private Load(int connections, Duration duration) {
            threads = Executors.newFixedThreadPool(connections);
            long endAt = started + duration.toNanos();
            for (int c = 0; c < connections; c++) {
                RunningPooltasks replica = c % 2 == 0 ? replica1 : replica2;
                workers.add(threads.submit(() -> {
                    while (running.get() && System.nanoTime() < endAt) {
                        String status;
                        try {
                            status = String.valueOf(get(replica, "offset=" + distinct.incrementAndGet() + "&limit=1")
                                    .statusCode());
                        } catch (IOException e) {
                            status = "io-error";
                        }
                        statuses.computeIfAbsent(replica.port() + " " + status, k -> new LongAdder()).increment();
                    }
                    return null;
                }));
            }
        }

        static Load start(int connections, Duration duration) {
            return new Load(connections, duration);
        }

        void awaitEnd() throws Exception {
            for (Future<?> worker : workers) {
                worker.get(5, TimeUnit.MINUTES);
            }
            ended = System.nanoTime();
            threads.shutdownNow();
        }

        void stop() throws Exception {
            running.set(false);
            awaitEnd();
        }

        double seconds() {
            return ((ended == 0 ? System.nanoTime() : ended) - started) / 1e9;
        }

        long throttled(RunningPooltasks replica) {
            LongAdder count = statuses.get(replica.port() + " 429");
            return count == null ? 0 : count.sum();
        }

        long serverErrors() {
            return statuses.entrySet().stream()
                    .filter(e -> e.getKey().endsWith(" io-error") || e.getKey().matches(".* 5\\d\\d"))
                    .mapToLong(e -> e.getValue().sum()).sum();
        }

        long answered() {
            return statuses.values().stream().mapToLong(LongAdder::sum).sum();
        }

        @Override
        public String toString() {
            return "answers by replica port and status: " + statuses;
        }
    }

    /** The same request sent by {@code count} threads at once; the answers in the order asked. */
    private static List<HttpResponse<String>> concurrently(int count, Request request) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                answers.add(threads.submit(() -> {
                    start.await();
                    return request.send(index);
                }));
            }
            start.countDown();
            List<HttpResponse<String>> received = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                received.add(answer.get(60, TimeUnit.SECONDS));
            }
            return received;
        } finally {
            threads.shutdownNow();
        }
    }

    /** The {@code index}th of concurrent requests. */
    private interface Request {
        HttpResponse<String> send(int index) throws IOException;
    }

    private static HttpResponse<String> get(RunningPooltasks replica, String query) throws IOException {
        return get(replica, PATH, query);
    }

    private static HttpResponse<String> get(RunningPooltasks replica, String path, String query) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(replica.baseUri() + path + "?" + query))
                .timeout(Duration.ofSeconds(30)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String management(RunningPooltasks instance, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(instance.managementUri() + path))
                .timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException(instance.managementUri() + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Requests the upstream has answered so far, by its own metrics. */
    private static long upstreamRequests() {
        Matcher samples = UPSTREAM_REQUESTS.matcher(management(upstream, "/q/metrics"));
        double total = 0;
        while (samples.find()) {
            total += Double.parseDouble(samples.group(1));
        }
        return Math.round(total);
    }

    private static double metric(RunningPooltasks instance, String name) {
        Matcher sample = Pattern.compile("^" + name + " (\\S+)$", Pattern.MULTILINE)
                .matcher(management(instance, "/q/metrics"));
        assertThat(sample.find()).as("%s in the metrics of %s", name, instance.baseUri()).isTrue();
        return Double.parseDouble(sample.group(1));
    }

    private static boolean fallbackActive(RunningPooltasks replica) {
        return metric(replica, "pooltasks_redis_fallback_active") == 1;
    }

    private static int replicasSeen(RunningPooltasks replica) {
        return (int) metric(replica, "pooltasks_redis_replicas");
    }

    private static long pageCopies() {
        return keys("pooltasks:page:*");
    }

    private static long keys(String pattern) {
        try {
            return redis.keys(pattern);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: %s", what).isLessThan(giveUpAt);
            Thread.sleep(100);
        }
    }
}
