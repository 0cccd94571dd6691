package dev.pooltasks.app;

import dev.pooltasks.adapter.in.rest.InboundObserver;
import dev.pooltasks.adapter.out.redis.RedisCallListener;
import dev.pooltasks.adapter.out.workspace.UpstreamCallListener;
import dev.pooltasks.domain.service.CachingTaskSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The service's metrics, all named {@code pooltasks_*} (Prometheus format at /q/metrics): API requests by status,
 * requests refused at the gate by reason, upstream calls by upstream and outcome, calls refused before reaching an
 * upstream, cache hits and misses, caller rate-limit rejections, calls to Redis by operation and outcome. Circuit
 * states are gauges registered by {@link UpstreamGauges}, the cache's size and evictions by {@link CacheGauges},
 * Redis's state by {@link RedisObservability}.
 */
@Singleton
public class Metrics implements InboundObserver, UpstreamCallListener, CachingTaskSource.CacheListener,
        RedisCallListener {
    private final MeterRegistry registry;
    private final JvmMetrics jvmMetrics;
    /**
     * The meters counted on every request, once registered: looking a meter up in the registry (building its id,
     * sorting its tags) cost more than recording.
     */
    private final Map<Integer, Timer> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Map<String, Counter> hits = new ConcurrentHashMap<>();
    private final Map<String, Counter> misses = new ConcurrentHashMap<>();
    /** By upstream, then outcome; by operation, then outcome. */
    private final Map<String, Map<String, Timer>> upstreamCalls = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Timer>> redisCalls = new ConcurrentHashMap<>();

    @Inject
    Metrics(MeterRegistry registry, JvmMetrics jvmMetrics) {
        this.registry = registry;
        this.jvmMetrics = jvmMetrics;
    }

    @Override
    public void requestCompleted(int status, long nanos) {
        requests.computeIfAbsent(status, s -> Timer.builder("pooltasks.requests")
                        .description("API requests, by HTTP status")
                        .tag("status", String.valueOf(s))
                        .tag("outcome", s < 400 ? "success" : s < 500 ? "client_error" : "server_error")
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        jvmMetrics.requestAnswered();
    }

    @Override
    public void requestRefused(String reason) {
        refusals.computeIfAbsent(reason, r -> Counter.builder("pooltasks.requests.refused")
                        .description("Requests refused before any route, by reason")
                        .tag("reason", r).register(registry))
                .increment();
    }

    @Override
    public void callerThrottled(String credential) {
        Counter.builder("pooltasks.caller.throttled").description("Requests refused by a credential's rate limit")
                .tag("credential", credential).register(registry).increment();
    }

    @Override
    public void completed(String upstream, String outcome, long nanos) {
        timer(upstreamCalls, "pooltasks.upstream.calls", "Calls to upstreams, by upstream and outcome", "upstream",
                upstream, outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void rejected(String upstream, String reason) {
        Counter.builder("pooltasks.upstream.rejections")
                .description("Calls refused before reaching an upstream: circuit open, bulkhead full, rate limited")
                .tag("upstream", upstream).tag("reason", reason).register(registry).increment();
    }

    @Override
    public void lookedUp(String source, boolean hit) {
        (hit ? hits : misses).computeIfAbsent(source, s -> lookupCounter(s, hit ? "hit" : "miss")).increment();
    }

    private Counter lookupCounter(String source, String result) {
        return Counter.builder("pooltasks.cache.lookups").description("Upstream cache lookups, by result")
                .tag("upstream", source).tag("result", result).register(registry);
    }

    @Override
    public void called(String operation, String outcome, long nanos) {
        timer(redisCalls, "pooltasks.redis.calls", "Calls to Redis, by operation and outcome", "operation",
                operation, outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A timer tagged {@code tag=value, outcome=outcome}, registered once and then found in {@code timers}. */
    private Timer timer(Map<String, Map<String, Timer>> timers, String name, String description, String tag,
                        String value, String outcome) {
        return timers.computeIfAbsent(value, v -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> Timer.builder(name).description(description)
                        .tag(tag, value).tag("outcome", o).register(registry));
    }
}
