package dev.pooltasks.app;

import dev.pooltasks.adapter.out.redis.RedisStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthRegistry;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * What the replicas share, when Redis is configured (nothing is registered otherwise): the readiness check
 * {@code redis}, always UP (a replica serves without Redis) with what is happening as its data, and the gauges
 * {@code pooltasks_redis_fallback_active} (1 while budgets and the cache tier go without Redis),
 * {@code pooltasks_redis_replicas} (replicas seen through heartbeats) and {@code pooltasks_redis_circuit_state}
 * (0 closed, 1 half-open, 2 open). Calls to Redis are counted by {@link Metrics}.
 */
public class RedisObservability {

    void register(@Observes StartupEvent event, SharedState shared, MeterRegistry registry,
                  @Readiness HealthRegistry readiness) {
        shared.redis().ifPresent(redis -> {
            Gauge.builder("pooltasks.redis.fallback.active", redis, r -> r.status().shared() ? 0 : 1)
                    .description("1 while budgets and the cache tier go without Redis (each replica on its own share)")
                    .strongReference(true).register(registry);
            Gauge.builder("pooltasks.redis.replicas", redis, r -> r.status().replicasSeen())
                    .description("Replicas seen through their heartbeats when Redis last answered")
                    .strongReference(true).register(registry);
            Gauge.builder("pooltasks.redis.circuit.state", redis, r -> switch (r.status().circuit()) {
                        case "CLOSED" -> 0;
                        case "HALF_OPEN" -> 1;
                        default -> 2;
                    })
                    .description("Circuit breaker around Redis: 0 closed, 1 half-open, 2 open")
                    .strongReference(true).register(registry);
            readiness.register("redis", () -> describe(redis.status()));
        });
    }

    private static HealthCheckResponse describe(RedisStore.Status status) {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("redis").up()
                .withData("mode", status.shared() ? "shared" : "local fallback")
                .withData("circuit", status.circuit())
                .withData("replicas seen", status.replicasSeen())
                .withData("budget share", "1/" + status.budgetShareOf());
        if (status.lastFailure() != null) {
            response.withData("last failure", status.lastFailure());
        }
        return response.build();
    }
}
