package dev.pooltasks.e2e;

import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.exception.ServiceResponseException;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.workspace.v2.WorkspaceClient;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksRequest;
import com.huaweicloud.sdk.workspace.v2.model.ShowDesktopPoolsScriptExecTasksResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hours of real use, compressed: ten minutes or more of mixed traffic against the built jars (a gateway with caller
 * authentication and a 256 MiB heap, in front of two sandbox upstreams and a federation of both), then a report of
 * what an operator would watch: valid calls refused (must be none), heap after a full GC at the start and the end,
 * the cache's weight, open file descriptors and threads, sampled every minute. Opt-in, as it takes minutes:
 * {@code bench/soak.sh} runs it, with {@code pooltasks.soak.minutes} and where the report goes.
 *
 * <p>The mix, from {@value #THREADS} client threads: the official Huawei Cloud SDK signing with AK/SK, polling the
 * same query (so the same signature recurs within a second) and asking distinct ones; X-Auth-Token calls, repeated and
 * distinct; walks of the federation 10 tasks a page; distinct full pages that churn the cache.
 */
@EnabledIfSystemProperty(named = "pooltasks.soak.minutes", matches = "\\d+")
class SoakTest {
    private static final String AK = "SOAKAK00000000000001";
    private static final String SK = TestSecrets.random(40);
    private static final String TOKEN = "soak-token-" + TestSecrets.random(40);
    private static final String API = "/desktop-pools/script-execution-tasks/detail";
    private static final int THREADS = 8;
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(?:\\{([^}]*)})? ([0-9.eE+-]+)$", Pattern.MULTILINE);

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
    private final List<String> firstRefusals = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, WorkspaceClient> sdks = new ConcurrentHashMap<>();
    private final HttpClient http = JdkHttp.client();

    @Test
    void aGatewayStaysHealthyUnderLongMixedTraffic() throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("pooltasks.soak.minutes"));
        Path report = Path.of(System.getProperty("pooltasks.soak.report", "target/soak-report.md"));
        try (RunningPooltasks east = sandbox("soak-east", "east", 20_000, 11);
             RunningPooltasks west = sandbox("soak-west", "west", 5_000, 12);
             RunningPooltasks gateway = RunningPooltasks.builder("soak-gateway")
                     .property("pooltasks.access-log.enabled", "false")
                     .property("pooltasks.upstreams.east.url", east.baseUri())
                     .property("pooltasks.upstreams.east.projects.east", "east")
                     .property("pooltasks.upstreams.east.rate-limit-per-minute", "0")
                     .property("pooltasks.upstreams.west.url", west.baseUri())
                     .property("pooltasks.upstreams.west.projects.west", "west")
                     .property("pooltasks.upstreams.west.rate-limit-per-minute", "0")
                     .property("pooltasks.federations.all.members", "east:east,west:west")
                     .property("pooltasks.cache.ttl", "3s")
                     .accessKey(AK, SK, "*", 0)
                     .token("soak", TOKEN, "*", 0)
                     .start()) {
            // A minute of the mix first, so that the start figures are those of a warm service, not of a cold JVM.
            runMix(gateway, Duration.ofMinutes(1), null);
            calls.clear();
            refused.clear();
            List<Sample> samples = new ArrayList<>();
            long heapAtStart = heapAfterFullGc(gateway);
            samples.add(sample(gateway, "start (after 1 min of warm-up and a full GC)", heapAtStart));
            Instant started = Instant.now();
            runMix(gateway, length, samples);
            Duration ran = Duration.between(started, Instant.now());
            long heapAtEnd = heapAfterFullGc(gateway);
            samples.add(sample(gateway, "end (after a full GC)", heapAtEnd));

            long total = sum(calls);
            long totalRefused = sum(refused);
            Sample first = samples.get(0);
            Sample last = samples.get(samples.size() - 1);
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.writeString(report, report(length, ran, total, totalRefused, samples));

            assertThat(gateway.isAlive()).as("the gateway is alive").isTrue();
            assertThat(totalRefused).as("valid calls refused; the first: %s", firstRefusals).isZero();
            assertThat(total).as("calls made").isGreaterThan(length.toMinutes() * 1000);
            assertThat(heapAtEnd).as("heap after a full GC at the end, against the start")
                    .isLessThan(heapAtStart + Math.max(32L << 20, heapAtStart / 2));
            assertThat(last.fds()).as("open file descriptors").isLessThanOrEqualTo(first.fds() + 32);
            assertThat(last.threads()).as("threads").isLessThanOrEqualTo(first.threads() + 16);
            assertThat(gateway.logText()).doesNotContain("OutOfMemoryError").doesNotContain(SK).doesNotContain(TOKEN);
        }
    }

    private static RunningPooltasks sandbox(String name, String project, int tasks, long seed) {
        return RunningPooltasks.builder(name).property("pooltasks.access-log.enabled", "false")
                .property("pooltasks.sandbox.project-id", project)
                .property("pooltasks.sandbox.tasks", String.valueOf(tasks))
                .property("pooltasks.sandbox.seed", String.valueOf(seed)).start();
    }

    /** The mix from every client thread for {@code length}; a sample a minute when {@code samples} is given. */
    private void runMix(RunningPooltasks gateway, Duration length, List<Sample> samples) throws Exception {
        long end = System.nanoTime() + length.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                running.add(clients.submit(() -> drive(gateway, thread, end)));
            }
            for (int minute = 1; samples != null && System.nanoTime() < end; minute++) {
                long next = Math.min(end, System.nanoTime() + TimeUnit.MINUTES.toNanos(1));
                while (System.nanoTime() < next) {
                    Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
                }
                samples.add(sample(gateway, "minute " + minute, -1));
            }
            for (Future<?> client : running) {
                client.get(length.toMinutes() + 2, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
    }

    /** One client thread's share of the mix, until {@code end}. */
    private void drive(RunningPooltasks gateway, int thread, long end) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int walked = 0;
        while (System.nanoTime() < end) {
            switch ((thread + random.nextInt(8)) % 8) {
                case 0, 1 -> sdkCall("sdk, polling one query", gateway, "east",
                        new ShowDesktopPoolsScriptExecTasksRequest().withStatus("FAILED").withLimit(20));
                case 2 -> sdkCall("sdk, distinct queries", gateway, "west",
                        new ShowDesktopPoolsScriptExecTasksRequest().withOffset(random.nextInt(4_000))
                                .withLimit(1 + random.nextInt(100)));
                case 3 -> tokenCall("token, polling one query", gateway, "east", "limit=10");
                case 4 -> tokenCall("token, distinct full pages", gateway, "east",
                        "offset=" + random.nextInt(19_000) + "&limit=" + (50 + random.nextInt(51)));
                case 5 -> tokenCall("federation, walked 10 a page", gateway, "all",
                        "offset=" + (walked++ * 10 % 2_000) + "&limit=10");
                case 6 -> tokenCall("federation, distinct queries", gateway, "all",
                        "status=FAILED&offset=" + random.nextInt(500) + "&limit=" + (1 + random.nextInt(100)));
                default -> sdkCall("sdk, federation polled", gateway, "all",
                        new ShowDesktopPoolsScriptExecTasksRequest().withTaskType("COMMAND").withLimit(5));
            }
        }
    }

    private void sdkCall(String kind, RunningPooltasks gateway, String project,
                         ShowDesktopPoolsScriptExecTasksRequest request) {
        calls.computeIfAbsent(kind, k -> new LongAdder()).increment();
        try {
            ShowDesktopPoolsScriptExecTasksResponse page = sdk(gateway, project).showDesktopPoolsScriptExecTasks(request);
            if (page.getHttpStatusCode() != 200 || page.getTotalCount() == null) {
                refuse(kind, "HTTP " + page.getHttpStatusCode());
            }
        } catch (ServiceResponseException e) {
            refuse(kind, "HTTP " + e.getHttpStatusCode() + " " + e.getErrorCode() + " " + e.getErrorMsg());
        } catch (RuntimeException e) {
            refuse(kind, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void tokenCall(String kind, RunningPooltasks gateway, String project, String query) {
        calls.computeIfAbsent(kind, k -> new LongAdder()).increment();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUri() + "/v2/" + project + API + "?" + query))
                .header("X-Auth-Token", TOKEN).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                refuse(kind, "HTTP " + response.statusCode() + " " + response.body());
            }
        } catch (IOException e) {
            refuse(kind, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A client per project: the SDK takes the project id from its credentials. */
    private WorkspaceClient sdk(RunningPooltasks gateway, String project) {
        return sdks.computeIfAbsent(project, p -> WorkspaceClient.newBuilder()
                .withCredential(new BasicCredentials().withAk(AK).withSk(SK).withProjectId(p))
                .withHttpConfig(HttpConfig.getDefaultHttpConfig().withTimeout(10))
                .withEndpoints(List.of(gateway.baseUri()))
                .build());
    }

    private void refuse(String kind, String what) {
        refused.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (firstRefusals.size() < 10) {
            firstRefusals.add(kind + ": " + what);
        }
    }

    private static long sum(Map<String, LongAdder> counters) {
        return counters.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** What an operator would watch at one moment. {@code heapAfterGc} is -1 when no full GC was run for it. */
    record Sample(String label, Instant at, long heapUsed, long heapAfterGc, long cacheWeight, long cacheEntries,
                  long evictions, long requests, long fds, long threads, long rssKb) {
    }

    private Sample sample(RunningPooltasks gateway, String label, long heapAfterGc) throws IOException {
        Map<String, Double> metrics = metrics(gateway);
        return new Sample(label, Instant.now(), metrics.getOrDefault("heap", 0.0).longValue(), heapAfterGc,
                metrics.getOrDefault("pooltasks_cache_weight_bytes", 0.0).longValue(),
                metrics.getOrDefault("pooltasks_cache_entries", 0.0).longValue(),
                metrics.getOrDefault("pooltasks_cache_evictions_total", 0.0).longValue(),
                metrics.getOrDefault("pooltasks_requests_seconds_count", 0.0).longValue(),
                fds(gateway.pid()), procStatus(gateway.pid(), "Threads:"), procStatus(gateway.pid(), "VmRSS:"));
    }

    /** The metrics this report uses, summed over their tags; {@code heap} is the JVM's heap in use. */
    private Map<String, Double> metrics(RunningPooltasks gateway) throws IOException {
        String body = get(URI.create(gateway.managementUri() + "/q/metrics"));
        Map<String, Double> sums = new TreeMap<>();
        Matcher matcher = SAMPLE.matcher(body);
        while (matcher.find()) {
            String name = matcher.group(1);
            String tags = matcher.group(2) == null ? "" : matcher.group(2);
            double value = Double.parseDouble(matcher.group(3));
            if (name.equals("jvm_memory_used_bytes") && tags.contains("area=\"heap\"")) {
                sums.merge("heap", value, Double::sum);
            } else {
                sums.merge(name, value, Double::sum);
            }
        }
        return sums;
    }

    /** Runs a full GC in the gateway (jcmd) and reads the heap still in use. */
    private long heapAfterFullGc(RunningPooltasks gateway) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), String.valueOf(gateway.pid()), "GC.run")
                .redirectErrorStream(true).start();
        String output = new String(gc.getInputStream().readAllBytes());
        assertThat(gc.waitFor(60, TimeUnit.SECONDS)).as("jcmd GC.run: %s", output).isTrue();
        assertThat(gc.exitValue()).as("jcmd GC.run: %s", output).isZero();
        return metrics(gateway).getOrDefault("heap", 0.0).longValue();
    }

    private String get(URI uri) throws IOException {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static long fds(long pid) throws IOException {
        try (var entries = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return entries.count();
        }
    }

    private static long procStatus(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private String report(Duration planned, Duration ran, long total, long totalRefused, List<Sample> samples) {
        StringBuilder out = new StringBuilder();
        out.append("# Soak run\n\n");
        out.append("- Command: `").append(System.getProperty("pooltasks.soak.command", "bench/soak.sh")).append("`\n");
        out.append("- Commit: ").append(System.getProperty("pooltasks.soak.commit", "unknown")).append('\n');
        out.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, Java ")
                .append(System.getProperty("java.version")).append(", load average at the end ")
                .append(loadAverage()).append('\n');
        out.append("- Set-up: built jars; a gateway (`-Xmx256m`, AK/SK and token caller authentication, cache ttl 3 s, ")
                .append("the default 64 MiB cache bound) in front of two sandbox upstreams (20,000 and 5,000 tasks) ")
                .append("and a federation `all` of both; ").append(THREADS).append(" client threads\n");
        out.append("- Length: ").append(planned.toMinutes()).append(" min planned, ")
                .append(ran.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase())
                .append(" measured, after 1 min of warm-up\n\n");
        out.append("## Calls\n\n| kind | calls | valid calls refused |\n|---|---:|---:|\n");
        new TreeMap<>(calls).forEach((kind, count) -> out.append("| ").append(kind).append(" | ")
                .append(count.sum()).append(" | ").append(refused.getOrDefault(kind, new LongAdder()).sum())
                .append(" |\n"));
        out.append("| **all** | **").append(total).append("** | **").append(totalRefused).append("** |\n\n");
        if (!firstRefusals.isEmpty()) {
            out.append("First refusals:\n\n");
            firstRefusals.forEach(refusal -> out.append("- ").append(refusal).append('\n'));
            out.append('\n');
        }
        out.append("## The gateway over time\n\n");
        out.append("| when | heap used MB | heap after full GC MB | cache weight MB | cache entries | evictions ")
                .append("| requests served | open fds | threads | RSS MB |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Sample s : samples) {
            out.append("| ").append(s.label()).append(" | ").append(mb(s.heapUsed())).append(" | ")
                    .append(s.heapAfterGc() < 0 ? "" : mb(s.heapAfterGc())).append(" | ").append(mb(s.cacheWeight()))
                    .append(" | ").append(s.cacheEntries()).append(" | ").append(s.evictions()).append(" | ")
                    .append(s.requests()).append(" | ").append(s.fds()).append(" | ").append(s.threads())
                    .append(" | ").append(s.rssKb() / 1024).append(" |\n");
        }
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        out.append("\n## Verdict\n\n");
        out.append("- Valid calls refused: ").append(totalRefused).append(totalRefused == 0 ? " (must be 0: met)\n" : " (must be 0: NOT met)\n");
        out.append("- Heap after a full GC: ").append(mb(first.heapAfterGc())).append(" MB at the start, ")
                .append(mb(last.heapAfterGc())).append(" MB at the end\n");
        out.append("- Open file descriptors: ").append(first.fds()).append(" → ").append(last.fds())
                .append("; threads: ").append(first.threads()).append(" → ").append(last.threads()).append('\n');
        out.append("- Cache weight: at most ")
                .append(mb(samples.stream().mapToLong(Sample::cacheWeight).max().orElse(0)))
                .append(" MB against its 64 MiB bound\n");
        return out.toString();
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
