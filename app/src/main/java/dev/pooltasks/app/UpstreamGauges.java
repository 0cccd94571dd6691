package dev.pooltasks.app;

import dev.pooltasks.adapter.out.workspace.UpstreamClients;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

/**
 * Circuit state per upstream as a gauge (0 closed, 1 half-open, 2 open), and resilience4j's own circuit breaker
 * metrics ({@code resilience4j_circuitbreaker_*}, tagged with the upstream's name): calls by kind, failure rate,
 * buffered calls, calls not permitted, state.
 */
public class UpstreamGauges {

    void register(@Observes StartupEvent event, TaskSources sources, InjectableInstance<UpstreamClients> clients,
                  MeterRegistry registry) {
        sources.upstreams().forEach(upstream -> Gauge.builder("pooltasks.upstream.circuit.state",
                        upstream, u -> switch (u.circuitState()) {
                            case "CLOSED" -> 0;
                            case "HALF_OPEN" -> 1;
                            default -> 2;
                        })
                .description("Circuit breaker state: 0 closed, 1 half-open, 2 open")
                .tag("upstream", upstream.name()).register(registry));
        if (sources.gatewayMode()) {
            TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(clients.get().circuitBreakers()).bindTo(registry);
        }
    }
}
