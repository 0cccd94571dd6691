package dev.pooltasks.app;

import dev.pooltasks.domain.port.out.MirrorStore.SyncState;
import dev.pooltasks.domain.port.out.MirrorStore.Walk;
import dev.pooltasks.domain.service.MirroredTaskSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * Each mirror's freshness and backfill as gauges, tagged with the project and its upstream, from what this replica
 * serves and the sync state it last read (so every replica reports the same sync): tasks served, last successful
 * cycle and lag, calls of the last cycle, the backfill's tasks, calls and what is left (tasks, and time at the
 * upstream's rate limit), and whether this replica is the one syncing.
 */
public class MirrorGauges {

    void register(@Observes StartupEvent event, TaskSources sources, MeterRegistry registry, MirrorObserver observer,
                  Clock clock) {
        for (MirroredProject mirror : sources.mirrors()) {
            Tags tags = Tags.of("project", mirror.projectId(), "upstream", mirror.upstream().name());
            MirroredTaskSource source = mirror.source();
            gauge(registry, "pooltasks.mirror.tasks", null, "Tasks in this replica's copy of the mirror", tags,
                    source, s -> s.status().map(MirroredTaskSource.Status::tasks).orElse(0));
            gauge(registry, "pooltasks.mirror.last.success.timestamp", "seconds",
                    "When the mirror's last successful sync cycle ended (Unix time)", tags, source,
                    s -> state(s, st -> st.lastCycleAt() == null ? Double.NaN : st.lastCycleAt().getEpochSecond()));
            gauge(registry, "pooltasks.mirror.lag", "seconds",
                    "Time since the mirror's last successful sync cycle: how old its answers are", tags, source,
                    s -> s.status().map(st -> st.age() == null ? Double.NaN : st.age().toMillis() / 1000.0)
                            .orElse(Double.NaN));
            gauge(registry, "pooltasks.mirror.last.cycle.calls", null,
                    "Upstream calls of the mirror's last successful sync cycle", tags, source,
                    s -> state(s, SyncState::lastCycleCalls));
            gauge(registry, "pooltasks.mirror.backfill.done", null, "1 once the mirror's first backfill is complete",
                    tags, source, s -> state(s, st -> st.backfillDone() ? 1 : 0));
            gauge(registry, "pooltasks.mirror.backfill.tasks", null, "Tasks the backfill has walked", tags, source,
                    s -> backfill(s, Walk::tasks));
            gauge(registry, "pooltasks.mirror.backfill.calls", null, "Upstream calls the backfill has made", tags,
                    source, s -> backfill(s, Walk::calls));
            gauge(registry, "pooltasks.mirror.backfill.remaining.tasks", null,
                    "Tasks the backfill has still to walk (as the upstream last counted them)", tags, source,
                    s -> backfill(s, w -> s.status().orElseThrow().state().backfillDone() ? 0 : w.remaining()));
            int perMinute = mirror.upstream().settings().requestsPerMinute();
            gauge(registry, "pooltasks.mirror.backfill.remaining", "seconds",
                    "Estimated time the backfill needs still, at the upstream's rate limit (else at its pace so far)",
                    tags, source, s -> s.status().map(st -> secondsLeft(st.state(), perMinute, clock))
                            .orElse(Double.NaN));
            gauge(registry, "pooltasks.mirror.syncing", null, "1 while this replica syncs the mirror (holds its lease)",
                    tags, observer, o -> o.syncing(mirror.projectId()) ? 1 : 0);
        }
    }

    /** Seconds the backfill still needs: its remaining calls at the rate limit, or at the pace of its calls so far. */
    static double secondsLeft(SyncState state, int perMinute, Clock clock) {
        Walk walk = state.backfill();
        if (state.backfillDone()) {
            return 0;
        }
        if (walk == null) {
            return Double.NaN;
        }
        long calls = (walk.remaining() + 99) / 100;
        if (perMinute > 0) {
            return calls * 60.0 / perMinute;
        }
        if (walk.calls() == 0) {
            return Double.NaN;
        }
        double secondsPerCall = Duration.between(walk.startedAt(), clock.instant()).toMillis() / 1000.0 / walk.calls();
        return calls * secondsPerCall;
    }

    private static double state(MirroredTaskSource source, ToDoubleFunction<SyncState> value) {
        return source.status().map(s -> value.applyAsDouble(s.state())).orElse(Double.NaN);
    }

    private static double backfill(MirroredTaskSource source, ToDoubleFunction<Walk> value) {
        return source.status().map(s -> s.state().backfill() == null ? 0 : value.applyAsDouble(s.state().backfill()))
                .orElse(Double.NaN);
    }

    private static <T> void gauge(MeterRegistry registry, String name, String unit, String description, Tags tags,
                                  T target, ToDoubleFunction<T> value) {
        Gauge.Builder<T> builder = Gauge.builder(name, target, value).description(description).tags(tags)
                .strongReference(true);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        builder.register(registry);
    }
}
