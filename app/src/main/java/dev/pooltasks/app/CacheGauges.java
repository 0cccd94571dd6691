package dev.pooltasks.app;

import dev.pooltasks.adapter.out.memory.LocalPageCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * The page cache's size and evictions, when there is a cache: its estimated weight in bytes and the bound on it, its
 * entry count, and evictions by cause ({@code size}: to stay within the bound; {@code expired}: kept long enough).
 */
public class CacheGauges {

    void register(@Observes StartupEvent event, TaskSources sources, MeterRegistry registry) {
        sources.pageCache().ifPresent(cache -> {
            Gauge.builder("pooltasks.cache.weight", cache, c -> c.stats().weightBytes()).baseUnit("bytes")
                    .description("Estimated heap taken by the upstream cache's copies").strongReference(true)
                    .register(registry);
            Gauge.builder("pooltasks.cache.max.weight", cache, c -> c.stats().maxWeightBytes()).baseUnit("bytes")
                    .description("The bound on pooltasks_cache_weight_bytes (pooltasks.cache.max-memory)")
                    .strongReference(true).register(registry);
            Gauge.builder("pooltasks.cache.entries", cache, c -> c.stats().entries())
                    .description("Copies the upstream cache keeps, and loads in flight").strongReference(true)
                    .register(registry);
            for (String cause : List.of(LocalPageCache.Stats.SIZE, LocalPageCache.Stats.EXPIRED)) {
                FunctionCounter.builder("pooltasks.cache.evictions", cache,
                                c -> c.stats().evictions().getOrDefault(cause, 0L))
                        .description("Copies evicted from the upstream cache, by cause").tag("cause", cause)
                        .register(registry);
            }
        });
    }
}
