package dev.pooltasks.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pooltasks.adapter.in.rest.AccessLog;
import dev.pooltasks.adapter.in.rest.CallerAuthenticator;
import dev.pooltasks.adapter.in.rest.InboundAuthSettings;
import dev.pooltasks.adapter.in.rest.InboundCredential;
import dev.pooltasks.adapter.out.memory.LocalRateBudget;
import dev.pooltasks.adapter.out.redis.RedisRateBudget;
import dev.pooltasks.adapter.out.workspace.UpstreamClients;
import dev.pooltasks.domain.port.in.ComputeTaskStatisticsUseCase;
import dev.pooltasks.domain.port.in.ListScriptExecutionTasksUseCase;
import dev.pooltasks.domain.port.out.RateBudget;
import dev.pooltasks.domain.service.ComputeTaskStatisticsService;
import dev.pooltasks.domain.service.ListScriptExecutionTasksService;
import io.quarkus.arc.InjectableInstance;
import io.quarkus.runtime.Quarkus;
import io.vertx.core.Vertx;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** The composition root: builds the framework-free domain service and wires it to its task sources. */
public class Composition {
    private static final Logger LOG = Logger.getLogger(Composition.class);

    @Produces
    @Singleton
    TaskSources taskSources(PooltasksConfig config, Clock clock, Metrics metrics,
                            InjectableInstance<UpstreamClients> upstreamClients, SharedState shared,
                            MirrorDatabase database, MirrorObserver mirrorObserver) {
        // Upstream clients are made only when there are upstreams: the sandbox default starts without them.
        TaskSources sources = TaskSources.fromConfig(config, clock, upstreamClients::get, metrics, shared.redis(),
                new TaskSources.MirrorBackend(database::store, Composition::replicaId, mirrorObserver));
        // The sandbox is generated in the background: an instance that cannot generate it stops, as it would have
        // failed to start.
        sources.sandbox().ifPresent(sandbox -> sandbox.ready().exceptionally(failure -> {
            LOG.error("pooltasks: the sandbox could not be generated; stopping", failure);
            Quarkus.asyncExit(1);
            return null;
        }));
        return sources;
    }

    /** The mirrors' database: opened only when an upstream is mirrored. */
    @Produces
    @Singleton
    MirrorDatabase mirrorDatabase(PooltasksConfig config) {
        return new MirrorDatabase(config.postgres());
    }

    /** After the mirrors gave up their leases (on the shutdown event), the pool's connections are closed. */
    void closeMirrorDatabase(@Disposes MirrorDatabase database) {
        database.close();
    }

    /**
     * This replica as a holder of mirror leases: its host name (a pod's name) and a random part, never reused. Made
     * only for mirrors: the secure random generator it starts costs a run without one some 60 classes.
     */
    private static String replicaId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "pooltasks");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Upstream clients on the application's own Vert.x and ObjectMapper, rate budgets and clock. */
    @Produces
    @Singleton
    UpstreamClients upstreamClients(Vertx vertx, ObjectMapper json, RateBudget rateBudget, Clock clock,
                                    Metrics metrics) {
        return new UpstreamClients(vertx, json, rateBudget, clock, metrics);
    }

    /** In this process; with Redis, shared by the replicas, falling back to this process's share while Redis is gone. */
    @Produces
    @Singleton
    RateBudget rateBudget(Clock clock, SharedState shared) {
        LocalRateBudget local = new LocalRateBudget(clock);
        return shared.redis().<RateBudget>map(redis -> new RedisRateBudget(redis, local)).orElse(local);
    }

    @Produces
    @Singleton
    ListScriptExecutionTasksUseCase listTasks(TaskSources sources) {
        return new ListScriptExecutionTasksService(sources.byProject());
    }

    @Produces
    @Singleton
    ComputeTaskStatisticsUseCase computeStatistics(TaskSources sources) {
        return new ComputeTaskStatisticsService(sources.statisticsByProject());
    }

    @Produces
    @Singleton
    CallerAuthenticator callerAuthenticator(PooltasksConfig config, Clock clock, RateBudget budget, Metrics metrics) {
        PooltasksConfig.CallerAuth auth = config.callerAuth();
        List<InboundCredential> accessKeys = auth.accessKeys().entrySet().stream()
                .map(e -> new InboundCredential(e.getKey(), e.getValue().secretKey(),
                        Set.copyOf(e.getValue().projects()), e.getValue().rateLimitPerMinute()))
                .toList();
        List<InboundCredential> tokens = auth.tokens().entrySet().stream()
                .map(e -> new InboundCredential(e.getKey(), e.getValue().value(),
                        Set.copyOf(e.getValue().projects()), e.getValue().rateLimitPerMinute()))
                .toList();
        return new CallerAuthenticator(new InboundAuthSettings(accessKeys, tokens, auth.maxClockSkew()),
                clock, budget, metrics);
    }

    @Produces
    @Singleton
    AccessLog.Settings accessLogSettings(PooltasksConfig config) {
        return new AccessLog.Settings(config.accessLog().enabled());
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
