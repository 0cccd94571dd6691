package dev.pooltasks.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

/** Circuit state per upstream as a gauge: 0 closed, 1 half-open, 2 open. */
public class UpstreamGauges {

    void register(@Observes StartupEvent event, TaskSources sources, MeterRegistry registry) {
        sources.upstreams().forEach(upstream -> Gauge.builder("pooltasks.upstream.circuit.state",
                        upstream, u -> switch (u.circuitState()) {
                            case "CLOSED" -> 0;
                            case "HALF_OPEN" -> 1;
                            default -> 2;
                        })
                .description("Circuit breaker state: 0 closed, 1 half-open, 2 open")
                .tag("upstream", upstream.name()).register(registry));
    }
}
