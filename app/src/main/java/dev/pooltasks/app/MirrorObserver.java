package dev.pooltasks.app;

import dev.pooltasks.domain.port.out.MirrorStore.Walk;
import dev.pooltasks.domain.service.MirrorSync;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hears the mirrors' syncs: logs the backfill's progress (every 10 seconds, and when it is done), failed cycles and
 * this replica taking or losing the sync role; counts cycles by outcome ({@code pooltasks_mirror_cycles_total}) and
 * the upstream calls each completed cycle made ({@code pooltasks_mirror_cycle_calls}).
 */
@Singleton
public class MirrorObserver implements MirrorSync.Listener {
    private static final Logger LOG = Logger.getLogger("dev.pooltasks.mirror");
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Instant> lastProgressLog = new ConcurrentHashMap<>();
    private final Map<String, Boolean> syncing = new ConcurrentHashMap<>();

    @Inject
    public MirrorObserver(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Whether this replica synced the project in its last cycle (held the lease). */
    public boolean syncing(String projectId) {
        return syncing.getOrDefault(projectId, false);
    }

    @Override
    public void backfillProgressed(String projectId, Walk walk) {
        Instant now = clock.instant();
        Instant last = lastProgressLog.get(projectId);
        if (last == null || !now.isBefore(last.plus(PROGRESS_EVERY))) {
            lastProgressLog.put(projectId, now);
            LOG.infof("mirror %s: backfill %,d tasks in %,d calls so far, about %,d left", projectId, walk.tasks(),
                    walk.calls(), walk.remaining());
        }
    }

    @Override
    public void backfillDone(String projectId, Walk walk) {
        LOG.infof("mirror %s: backfill done, %,d tasks in %,d calls (%s)", projectId, walk.tasks(), walk.calls(),
                Duration.between(walk.startedAt(), clock.instant()).withNanos(0));
    }

    @Override
    public void cycleEnded(String projectId, MirrorSync.Cycle cycle) {
        Counter.builder("pooltasks.mirror.cycles").description("Mirror sync cycles run here, by outcome")
                .tag("project", projectId).tag("outcome", cycle.outcome().name().toLowerCase())
                .register(registry).increment();
        if (cycle.outcome() == MirrorSync.Outcome.SYNCED) {
            DistributionSummary.builder("pooltasks.mirror.cycle.calls")
                    .description("Upstream calls made by each completed sync cycle (the backfill's last included)")
                    .tag("project", projectId).register(registry).record(cycle.calls());
        }
        boolean nowSyncing = cycle.outcome() != MirrorSync.Outcome.STANDBY
                && cycle.outcome() != MirrorSync.Outcome.LEASE_LOST;
        Boolean before = syncing.put(projectId, nowSyncing);
        if (before == null || before != nowSyncing) {
            LOG.infof("mirror %s: %s", projectId, nowSyncing ? "this replica syncs it (holds the lease)"
                    : "another replica syncs it; this one serves");
        }
        if (cycle.outcome() == MirrorSync.Outcome.FAILED) {
            LOG.warnf("mirror %s: sync cycle failed after %d upstream calls: %s", projectId, cycle.calls(),
                    cycle.problem());
        }
    }
}
