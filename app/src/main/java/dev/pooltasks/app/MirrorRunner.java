package dev.pooltasks.app;

import dev.pooltasks.domain.service.MirrorSync;
import dev.pooltasks.domain.service.MirroredTaskSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs each mirror's two loops on Vert.x timers, their blocking work (JDBC, waiting for upstream answers) on a worker
 * pool of their own, never on the request path: the <b>feed</b> loads the mirror into this replica's index, then
 * applies the committed changes every {@code feed-interval}; the <b>sync</b> runs a cycle every {@code interval} (at
 * once while backfilling; after the rate budget's pause when throttled). Failures back off exponentially, the sync up
 * to {@code max-backoff}, the feed up to 30 seconds (so that serving catches up soon after the database is back);
 * both resume by themselves. Each loop runs one step at a time. On shutdown the leases are given up.
 */
@Singleton
public class MirrorRunner {
    private static final Logger LOG = Logger.getLogger("dev.pooltasks.mirror");
    private static final Duration FEED_MAX_BACKOFF = Duration.ofSeconds(30);

    @Inject
    TaskSources sources;
    @Inject
    Vertx vertx;
    @Inject
    PooltasksConfig config;
    @Inject
    MirrorDatabase database;

    private final Set<Long> timers = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private WorkerExecutor worker;

    void start(@Observes StartupEvent event) {
        if (sources.mirrors().isEmpty()) {
            return;
        }
        PooltasksConfig.Mirror mirror = config.mirror();
        worker = vertx.createSharedWorkerExecutor("pooltasks-mirror", 2 * sources.mirrors().size(), 1, TimeUnit.HOURS);
        for (MirroredProject project : sources.mirrors()) {
            new Loop("feed of mirror " + project.projectId(), mirror.feedInterval(), min(mirror.maxBackoff(),
                    FEED_MAX_BACKOFF), () -> {
                database.migrate();
                long started = System.nanoTime();
                if (project.source().refresh() < 0) {
                    LOG.infof("mirror %s: loaded %,d tasks from PostgreSQL in %,d ms", project.projectId(),
                            project.source().status().map(MirroredTaskSource.Status::tasks).orElse(0),
                            (System.nanoTime() - started) / 1_000_000);
                }
                return mirror.feedInterval();
            }).schedule(Duration.ZERO);
            SyncPace pace = new SyncPace(mirror.interval(), mirror.maxBackoff());
            new Loop("sync of mirror " + project.projectId(), mirror.interval(), mirror.maxBackoff(), () -> {
                database.migrate();
                return pace.after(project.sync().runCycle());
            }).schedule(Duration.ZERO);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        timers.forEach(vertx::cancelTimer);
        for (MirroredProject project : sources.mirrors()) {
            try {
                project.sync().release();
            } catch (RuntimeException e) {
                LOG.debugf("mirror %s: lease not released: %s", project.projectId(), e.getMessage());
            }
        }
        if (worker != null) {
            worker.close();
        }
    }

    /** When a sync's next cycle runs, from how the last one ended. Used by one loop only. */
    static final class SyncPace {
        private final Duration interval;
        private final Duration maxBackoff;
        private int failures;

        SyncPace(Duration interval, Duration maxBackoff) {
            this.interval = interval;
            this.maxBackoff = maxBackoff;
        }

        Duration after(MirrorSync.Cycle cycle) {
            return switch (cycle.outcome()) {
                case BACKFILLING -> Duration.ZERO;
                case THROTTLED -> cycle.retryAfter();
                case FAILED -> backoff(interval, maxBackoff, ++failures);
                default -> {
                    failures = 0;
                    yield interval;
                }
            };
        }
    }

    /** {@code base} doubled for each failure after the first, at most {@code max}. */
    static Duration backoff(Duration base, Duration max, int failures) {
        Duration delay = base;
        for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return min(delay, max);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A step run again and again on the worker pool, each after the delay the last one asked for. */
    private final class Loop {
        private final String name;
        private final Duration base;
        private final Duration maxBackoff;
        private final Callable<Duration> step;
        private int failures;

        Loop(String name, Duration base, Duration maxBackoff, Callable<Duration> step) {
            this.name = name;
            this.base = base;
            this.maxBackoff = maxBackoff;
            this.step = step;
        }

        void schedule(Duration delay) {
            if (stopped) {
                return;
            }
            long[] id = new long[1];
            id[0] = vertx.setTimer(Math.max(1, delay.toMillis()), fired -> {
                timers.remove(id[0]);
                run();
            });
            timers.add(id[0]);
        }

        private void run() {
            if (stopped) {
                return;
            }
            worker.<Duration>executeBlocking(step::call, false).onComplete(result -> {
                if (result.succeeded()) {
                    if (failures > 0) {
                        LOG.infof("%s: working again after %d failure(s)", name, failures);
                    }
                    failures = 0;
                    schedule(result.result());
                } else {
                    Duration delay = backoff(base, maxBackoff, ++failures);
                    LOG.warnf("%s failed (%s: %s); trying again in %s", name,
                            result.cause().getClass().getSimpleName(), result.cause().getMessage(), delay);
                    schedule(delay);
                }
            });
        }
    }
}
