package dev.pooltasks.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flood that once exhausted a gateway's memory: a gateway with the benchmark's heap ({@code -Xmx256m}, as
 * {@link RunningPooltasks} starts every instance) and a cache ttl of 120 s in front of a sandbox instance, fed distinct
 * full pages (random offset, limit 50 to 100) by 16 connections. The old cache, bounded by entry count, threw
 * OutOfMemoryError after about 5,500 such requests and stopped answering anything. Now every request answers 200 with
 * the upstream's page, health and metrics keep answering on the management port during and after the flood, the
 * cache's weight stays within its bound and copies are evicted one by one to keep it there.
 */
class CacheFloodTest {
    private static final String PROJECT = "flood-project";
    private static final int UPSTREAM_TASKS = 20_000;
    /** Distinct full pages: well beyond the ~5,500 that broke the old cache, and ~15 times what the bound holds. */
    private static final int REQUESTS = 12_000;
    private static final int CONNECTIONS = 16;
    private static final String PATH = "/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail";
    /** A bound on each answer (a hang guard for the test, not a latency target). */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);
    private static final Pattern SAMPLE = Pattern.compile("^(pooltasks_cache_\\w+(?:\\{[^}]*})?) (\\S+)$",
            Pattern.MULTILINE);

    private static RunningPooltasks upstream;
    private static RunningPooltasks gateway;
    private final HttpClient http = JdkHttp.client();

    @BeforeAll
    static void startAnUpstreamAndAGatewayWithALongTtl() {
        upstream = RunningPooltasks.builder("flood-upstream")
                .property("pooltasks.sandbox.project-id", PROJECT)
                .property("pooltasks.sandbox.tasks", String.valueOf(UPSTREAM_TASKS))
                .property("pooltasks.access-log.enabled", "false")
                .start();
        gateway = RunningPooltasks.builder("flood-gateway")
                .upstream("sandbox", upstream, PROJECT)
                // These tests are about memory, not upstream latency: a loaded machine must not time calls out.
                .property("pooltasks.upstreams.sandbox.deadline", "30s")
                .property("pooltasks.cache.ttl", "120s")
                .property("pooltasks.access-log.enabled", "false")
                .start();
    }

    @AfterAll
    static void stopThem() {
        for (RunningPooltasks instance : new RunningPooltasks[] {gateway, upstream}) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Test
    void distinctFullPagesFromSixteenConnectionsNeverExhaustTheGateway() throws Exception {
        Set<String> queries = ConcurrentHashMap.newKeySet();
        List<String> failures = new CopyOnWriteArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean flooding = new AtomicBoolean(true);
        List<Map<String, Double>> samples = new CopyOnWriteArrayList<>();

        Map<String, Double> before = checkManagement(failures);
        ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS + 1);
        try {
            Future<?> watch = threads.submit(() -> {
                while (flooding.get()) {
                    samples.add(checkManagement(failures));
                    pause(Duration.ofSeconds(1));
                }
                return null;
            });
            List<Future<?>> connections = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                Random random = new Random(c);
                connections.add(threads.submit(() -> {
                    while (next.getAndIncrement() < REQUESTS && failures.size() < 20) {
                        String query = distinctFullPage(random, queries);
                        try {
                            HttpResponse<String> response = send(gateway.baseUri() + PATH + "?" + query);
                            if (response.statusCode() != 200 || !response.body().contains(
                                    "\"total_count\":" + UPSTREAM_TASKS)) {
                                failures.add(query + " -> " + response.statusCode() + " "
                                        + abbreviated(response.body()));
                            }
                            answered.incrementAndGet();
                        } catch (IOException e) {
                            failures.add(query + " -> " + e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> connection : connections) {
                connection.get(10, TimeUnit.MINUTES);
            }
            flooding.set(false);
            watch.get(1, TimeUnit.MINUTES);
        } finally {
            flooding.set(false);
            threads.shutdownNow();
        }
        Map<String, Double> after = checkManagement(failures);

        assertThat(failures).as("failed answers and management checks\n%s", gateway.output()).isEmpty();
        assertThat(answered.get()).isEqualTo(REQUESTS);
        assertThat(gateway.isAlive()).isTrue();
        assertThat(gateway.logText()).doesNotContain("OutOfMemoryError");
        assertThat(samples).as("management checks during the flood").hasSizeGreaterThan(1);
        double bound = after.get("pooltasks_cache_max_weight_bytes");
        assertThat(bound).isEqualTo(64.0 * 1024 * 1024);
        for (Map<String, Double> sample : samples) {
            assertThat(sample.get("pooltasks_cache_weight_bytes")).as("cache weight during the flood")
                    .isLessThanOrEqualTo(bound);
        }
        assertThat(after.get("pooltasks_cache_weight_bytes")).isLessThanOrEqualTo(bound)
                .as("the cache is full, not cleared").isGreaterThan(bound * 0.5);
        String sizeEvictions = "pooltasks_cache_evictions_total{cause=\"size\"}";
        assertThat(after.get(sizeEvictions) - before.getOrDefault(sizeEvictions, 0.0))
                .as("evictions to stay within the bound").isGreaterThan(REQUESTS / 2.0);
        String misses = "pooltasks_cache_lookups_total{result=\"miss\",upstream=\"sandbox\"}";
        assertThat(after.get(misses) - before.getOrDefault(misses, 0.0)).isEqualTo(REQUESTS);
        assertThat(after.get("pooltasks_cache_entries")).isLessThan(REQUESTS / 4.0);
    }

    @Test
    void theGatewayAnswersExactlyWhatItsUpstreamAnswers() throws Exception {
        Random random = new Random(99);
        for (int i = 0; i < 20; i++) {
            // A status filter keeps these queries apart from the flood's.
            String query = "status=FAILED&offset=" + random.nextInt(500) + "&limit=" + (50 + random.nextInt(51));
            HttpResponse<String> direct = send(upstream.baseUri() + PATH + "?" + query);
            HttpResponse<String> viaGateway = send(gateway.baseUri() + PATH + "?" + query);
            HttpResponse<String> cached = send(gateway.baseUri() + PATH + "?" + query);

            assertThat(direct.statusCode()).isEqualTo(200);
            assertThat(viaGateway.body()).as(query).isEqualTo(direct.body());
            assertThat(cached.body()).as(query).isEqualTo(direct.body());
        }
    }

    /** offset/limit of a full page not asked for before. */
    private static String distinctFullPage(Random random, Set<String> queries) {
        while (true) {
            int limit = 50 + random.nextInt(51);
            int offset = random.nextInt(UPSTREAM_TASKS - limit + 1);
            String query = "offset=" + offset + "&limit=" + limit;
            if (queries.add(query)) {
                return query;
            }
        }
    }

    /** Health and metrics on the management port: both must answer 200 in time; returns the cache's samples. */
    private Map<String, Double> checkManagement(List<String> failures) {
        try {
            HttpResponse<String> live = send(gateway.managementUri() + "/q/health/live");
            if (live.statusCode() != 200) {
                failures.add("health: " + live.statusCode() + " " + abbreviated(live.body()));
            }
            HttpResponse<String> metrics = send(gateway.managementUri() + "/q/metrics");
            if (metrics.statusCode() != 200) {
                failures.add("metrics: " + metrics.statusCode());
            }
            Map<String, Double> samples = new ConcurrentHashMap<>();
            Matcher matcher = SAMPLE.matcher(metrics.body());
            while (matcher.find()) {
                samples.merge(matcher.group(1), Double.parseDouble(matcher.group(2)), Double::sum);
            }
            if (!samples.containsKey("pooltasks_cache_weight_bytes")) {
                failures.add("metrics without the cache's weight");
            }
            return samples;
        } catch (IOException e) {
            failures.add("management port: " + e);
            return Map.of();
        }
    }

    private HttpResponse<String> send(String uri) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(ANSWER_WITHIN).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String abbreviated(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
}
