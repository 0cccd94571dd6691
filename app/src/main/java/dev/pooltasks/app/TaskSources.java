package dev.pooltasks.app;

import dev.pooltasks.adapter.out.memory.LocalAnswerMemo;
import dev.pooltasks.adapter.out.memory.LocalPageCache;
import dev.pooltasks.adapter.out.memory.LocalStatisticsCache;
import dev.pooltasks.adapter.out.postgres.PostgresMirrorStore;
import dev.pooltasks.adapter.out.redis.RedisPageCache;
import dev.pooltasks.adapter.out.redis.RedisStatisticsCache;
import dev.pooltasks.adapter.out.redis.RedisStore;
import dev.pooltasks.adapter.out.sandbox.Sandbox;
import dev.pooltasks.adapter.out.sandbox.SandboxSettings;
import dev.pooltasks.adapter.out.workspace.OutboundAuth;
import dev.pooltasks.adapter.out.workspace.UpstreamClients;
import dev.pooltasks.adapter.out.workspace.UpstreamSettings;
import dev.pooltasks.adapter.out.workspace.WorkspaceUpstream;
import dev.pooltasks.domain.port.out.AnswerMemo;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.domain.port.out.StatisticsCache;
import dev.pooltasks.domain.service.CachingTaskSource;
import dev.pooltasks.domain.service.CachingTaskStatistics;
import dev.pooltasks.domain.service.FederatedTaskSource;
import dev.pooltasks.domain.service.FederatedTaskStatistics;
import dev.pooltasks.domain.service.ListedTaskStatistics;
import dev.pooltasks.domain.service.MirrorSync;
import dev.pooltasks.domain.service.MirroredTaskSource;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The task sources this instance serves, by project id, built from configuration: the sandbox when no upstream is
 * configured; otherwise each upstream (behind the cache) for its projects, and each federation for its alias. One page
 * cache, and so one memory bound, serves every upstream; it is absent when caching is off or in sandbox mode. With
 * Redis, the copies every replica shares are a second tier behind it. The projects of a mirrored upstream are served
 * from their mirrors (through the upstream until a mirror is ready).
 *
 * <p>What counts each project's statistics: the sandbox and a mirror their index; an upstream that serves them (another
 * pooltasks, {@code serves-statistics}) itself, asked once and its answer reused for the cache's ttl (shared through
 * Redis as pages are); any other upstream by walking its list (through the same cache, up to
 * {@code pooltasks.statistics.max-listed-tasks}); a federation by summing its members'.
 */
public record TaskSources(Optional<Sandbox> sandbox, List<WorkspaceUpstream> upstreams,
                          Map<String, FederatedTaskSource> federations,
                          Map<String, LoadScriptExecutionTasksPort> byProject,
                          Map<String, LoadTaskStatisticsPort> statisticsByProject, Optional<LocalPageCache> pageCache,
                          List<MirroredProject> mirrors) {

    /**
     * What mirrors need: the store (asked for only when an upstream is mirrored, so that no database is touched
     * otherwise), this replica's id as a lease holder, and the listener of the syncs.
     */
    record MirrorBackend(Supplier<PostgresMirrorStore> store, Supplier<String> holder, MirrorSync.Listener listener) {
    }

    public boolean gatewayMode() {
        return sandbox.isEmpty();
    }

    static TaskSources fromConfig(PooltasksConfig config, Clock clock, Supplier<UpstreamClients> upstreamClients,
                                  CachingTaskSource.CacheListener cacheListener, Optional<RedisStore> redis,
                                  MirrorBackend mirrorBackend) {
        if (config.upstreams().isEmpty() && config.federations().isEmpty()) {
            PooltasksConfig.Sandbox sandbox = config.sandbox();
            Instant generatedAt = sandbox.now().orElse(clock.instant().truncatedTo(ChronoUnit.HOURS));
            SandboxSettings settings = new SandboxSettings(sandbox.projectId(), sandbox.seed(), sandbox.tasks(),
                    generatedAt);
            // Generated while the server starts; queries and readiness wait for it.
            Sandbox store = sandbox.live()
                    ? Sandbox.live(settings, sandbox.liveTasksPerMinute(), sandbox.liveMaxDuration(), clock)
                    : Sandbox.generate(settings);
            return new TaskSources(Optional.of(store), List.of(), Map.of(), Map.of(store.projectId(), store),
                    Map.of(store.projectId(), store), Optional.empty(), List.of());
        }
        PooltasksConfig.Cache cache = config.cache();
        Optional<LocalPageCache> pageCache = cache.ttl().isZero() ? Optional.empty()
                : Optional.of(new LocalPageCache(cache.maxMemory().asLongValue(), cache.ttl(), cache.serveStaleFor(),
                clock));
        // Tiers, nearest first: this process's copies, then (with Redis) the copies every replica shares.
        List<PageCache> tiers = new ArrayList<>();
        pageCache.ifPresent(tiers::add);
        redis.filter(r -> pageCache.isPresent()).ifPresent(r -> tiers.add(new RedisPageCache(r, cache.ttl(),
                cache.serveStaleFor(), config.redis().singleFlightWait(), clock)));
        // Statistics asked of upstreams that serve them are reused for the ttl as pages are, in the same tiers.
        List<StatisticsCache> statisticsTiers = new ArrayList<>();
        if (pageCache.isPresent()
                && config.upstreams().values().stream().anyMatch(PooltasksConfig.Upstream::servesStatistics)) {
            statisticsTiers.add(new LocalStatisticsCache(cache.maxStatisticsMemory().asLongValue(), cache.ttl(),
                    clock));
            redis.ifPresent(r -> statisticsTiers.add(new RedisStatisticsCache(r, cache.ttl(),
                    config.redis().singleFlightWait(), clock)));
        }
        UpstreamClients clients = upstreamClients.get();
        Map<String, LoadScriptExecutionTasksPort> byProject = new LinkedHashMap<>();
        Map<String, LoadScriptExecutionTasksPort> byUpstream = new LinkedHashMap<>();
        Map<String, LoadTaskStatisticsPort> statisticsByProject = new LinkedHashMap<>();
        Map<String, LoadTaskStatisticsPort> statisticsByUpstream = new LinkedHashMap<>();
        int maxListedTasks = config.statistics().maxListedTasks();
        List<WorkspaceUpstream> upstreams = new ArrayList<>();
        Map<String, MirroredProject> mirrors = new LinkedHashMap<>();
        PostgresMirrorStore[] mirrorStore = new PostgresMirrorStore[1];
        String[] leaseHolder = new String[1];   // this replica, one for all its mirrors
        config.upstreams().forEach((name, upstream) -> {
            UpstreamSettings settings = settings(name, upstream);
            WorkspaceUpstream source = clients.connect(settings);
            upstreams.add(source);
            // Only a pass-through upstream's answers depend on the caller (its token): only they are cached per token.
            boolean callerTokenInKey = settings.auth().mode() == OutboundAuth.Mode.PASS_THROUGH;
            LoadScriptExecutionTasksPort served = pageCache.isEmpty() ? source
                    : new CachingTaskSource(name, source, callerTokenInKey, tiers,
                    cache.serveStaleFor(), clock, cacheListener);
            byUpstream.put(name, served);
            LoadTaskStatisticsPort counted = !upstream.servesStatistics()
                    ? new ListedTaskStatistics(name, served, maxListedTasks)
                    : statisticsTiers.isEmpty() ? source
                    : new CachingTaskStatistics(name, source, callerTokenInKey, statisticsTiers, clock, cacheListener);
            statisticsByUpstream.put(name, counted);
            if (!upstream.mirror()) {
                upstream.projects().keySet().forEach(projectId -> {
                    route(byProject, projectId, served, "upstream " + name);
                    statisticsByProject.put(projectId, counted);
                });
                return;
            }
            if (settings.auth().mode() == OutboundAuth.Mode.PASS_THROUGH) {
                throw new IllegalArgumentException("upstream " + name + ": a mirrored upstream is synced with the "
                        + "gateway's own credentials; auth mode pass-through has none (use token or aksk)");
            }
            if (mirrorStore[0] == null) {
                mirrorStore[0] = mirrorBackend.store().get();
                leaseHolder[0] = mirrorBackend.holder().get();
            }
            for (String projectId : upstream.projects().keySet()) {
                MirroredTaskSource mirrored = new MirroredTaskSource(projectId, name, mirrorStore[0], served, counted,
                        clock);
                MirrorSync sync = new MirrorSync(mirrorSettings(projectId, config.mirror(), settings), source,
                        mirrorStore[0], leaseHolder[0], clock, mirrorBackend.listener());
                mirrors.put(projectId, new MirroredProject(projectId, source, mirrored, sync));
                route(byProject, projectId, mirrored, "upstream " + name);
                statisticsByProject.put(projectId, mirrored);
            }
        });
        // Merged answers are worth keeping only where their blocks are cached (and so handed out again as they were).
        AnswerMemo answers = pageCache.isEmpty() ? AnswerMemo.NONE
                : new LocalAnswerMemo(cache.maxAnswerMemory().asLongValue(), cache.ttl(), clock);
        Map<String, FederatedTaskSource> federations = new LinkedHashMap<>();
        config.federations().forEach((alias, federation) -> {
            List<FederatedTaskSource.Member> members = federation.members().stream()
                    .map(member -> member(alias, member, byUpstream, config.upstreams(), mirrors))
                    .toList();
            FederatedTaskSource source = new FederatedTaskSource(alias, members, federation.partial(),
                    config.cache().ttl().isZero() ? FederatedTaskSource.Reading.UP_TO_PAGE_END
                            : FederatedTaskSource.Reading.ALIGNED_BLOCKS, answers);
            federations.put(alias, source);
            route(byProject, alias, source, "federation " + alias);
            statisticsByProject.put(alias, new FederatedTaskStatistics(alias, members.stream()
                    .map(member -> new FederatedTaskStatistics.Member(member.name(), member.projectId(),
                            memberStatistics(member, statisticsByUpstream, mirrors)))
                    .toList(), federation.partial()));
        });
        return new TaskSources(Optional.empty(), List.copyOf(upstreams), Map.copyOf(federations), Map.copyOf(byProject),
                Map.copyOf(statisticsByProject), pageCache, List.copyOf(mirrors.values()));
    }

    private static MirrorSync.Settings mirrorSettings(String projectId, PooltasksConfig.Mirror mirror,
                                                      UpstreamSettings upstream) {
        try {
            // An upstream call ends by its own deadline; the sync waits a little longer before it gives up on one.
            return new MirrorSync.Settings(projectId, mirror.overlap(), mirror.reconcileWindow(),
                    mirror.reconcilePeriod(), mirror.retention().orElse(null), mirror.lease(),
                    upstream.deadline().multipliedBy(2).plusSeconds(5));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pooltasks.mirror: " + e.getMessage(), e);
        }
    }

    private static void route(Map<String, LoadScriptExecutionTasksPort> byProject, String projectId,
                              LoadScriptExecutionTasksPort source, String what) {
        if (byProject.putIfAbsent(projectId, source) != null) {
            throw new IllegalArgumentException("project id " + projectId + " is served twice (again by " + what
                    + "); route each project id to one upstream or federation");
        }
    }

    private static FederatedTaskSource.Member member(String alias, String member,
                                                     Map<String, LoadScriptExecutionTasksPort> byUpstream,
                                                     Map<String, PooltasksConfig.Upstream> upstreams,
                                                     Map<String, MirroredProject> mirrors) {
        int colon = member.indexOf(':');
        if (colon <= 0 || colon == member.length() - 1) {
            throw new IllegalArgumentException("federation " + alias + ": member '" + member
                    + "' must be upstream:project-id");
        }
        String upstream = member.substring(0, colon).trim();
        String projectId = member.substring(colon + 1).trim();
        LoadScriptExecutionTasksPort source = byUpstream.get(upstream);
        if (source == null) {
            throw new IllegalArgumentException("federation " + alias + ": no upstream named " + upstream);
        }
        MirroredProject mirrored = mirrors.get(projectId);
        if (mirrored != null && mirrored.upstream().name().equals(upstream)) {
            source = mirrored.source(); // a mirrored project: its members read the mirror too
        }
        return new FederatedTaskSource.Member(upstream, projectId, source, upstreams.get(upstream).trustedOrder());
    }

    /** A member's statistics: its mirror's when it reads a mirror (see {@link #member}), else a walk of its upstream. */
    private static LoadTaskStatisticsPort memberStatistics(FederatedTaskSource.Member member,
                                                          Map<String, LoadTaskStatisticsPort> statisticsByUpstream,
                                                          Map<String, MirroredProject> mirrors) {
        MirroredProject mirrored = mirrors.get(member.projectId());
        if (mirrored != null && mirrored.upstream().name().equals(member.name())) {
            return mirrored.source();
        }
        return statisticsByUpstream.get(member.name());
    }

    static UpstreamSettings settings(String name, PooltasksConfig.Upstream upstream) {
        PooltasksConfig.Auth auth = upstream.auth();
        OutboundAuth.Mode mode;
        try {
            mode = OutboundAuth.Mode.valueOf(auth.mode().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("upstream " + name + ": auth mode must be none, token, pass-through or aksk");
        }
        PooltasksConfig.CircuitBreaker circuit = upstream.circuitBreaker();
        long maxAnswerBytes = upstream.maxAnswerSize().asLongValue();
        if (maxAnswerBytes < 1 || maxAnswerBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("upstream " + name + ": max-answer-size must be 1 byte to 2G");
        }
        return new UpstreamSettings(name, upstream.url(), upstream.projects(),
                new OutboundAuth(mode, auth.token().orElse(null), auth.accessKey().orElse(null),
                        auth.secretKey().orElse(null), auth.securityToken().orElse(null)),
                upstream.deadline(), upstream.rateLimitPerMinute(), upstream.retry().enabled(),
                upstream.retry().backoff(),
                new UpstreamSettings.Circuit(circuit.failureRateThreshold(), circuit.windowSize(),
                        circuit.minimumCalls(), circuit.openDuration(), circuit.halfOpenProbes()),
                upstream.maxConcurrentCalls(), (int) maxAnswerBytes, upstream.trustedOrder());
    }
}
