package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.port.out.StatisticsCache;
import dev.pooltasks.domain.query.StatisticsQuery;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Statistics that a source counts itself (another pooltasks asked in one call) behind statistics caches, keyed as
 * {@link CachingTaskSource} keys pages: the source's name and the query, plus the caller's token only for a source
 * called with the caller's own token. Caches are tiers, nearest first, as the pages' are: each tier's loader is the
 * next tier's lookup, and the last tier's loader calls the source. Lookups are heard by the same listener as the pages'
 * (a hit when no tier called the source for this lookup).
 */
public final class CachingTaskStatistics implements LoadTaskStatisticsPort {
    private final String name;
    private final LoadTaskStatisticsPort source;
    private final boolean callerTokenInKey;
    private final List<StatisticsCache> tiers;
    private final Clock clock;
    private final CachingTaskSource.CacheListener listener;

    /**
     * @param name             the source's name: in keys and metrics
     * @param callerTokenInKey whether the source is called with the caller's own token (a pass-through upstream)
     * @param tiers            the caches, nearest first; at least one
     * @param clock            stamps copies with the time they arrived
     */
    public CachingTaskStatistics(String name, LoadTaskStatisticsPort source, boolean callerTokenInKey,
                                 List<? extends StatisticsCache> tiers, Clock clock,
                                 CachingTaskSource.CacheListener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.callerTokenInKey = callerTokenInKey;
        this.tiers = List.copyOf(tiers);
        if (this.tiers.isEmpty()) {
            throw new IllegalArgumentException("at least one cache tier; without caching, use the source itself");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
        StatisticsCache.Key key = new StatisticsCache.Key(name, query, callerTokenInKey ? caller.token() : null);
        AtomicBoolean sourceCalled = new AtomicBoolean();
        Function<StatisticsCache.Key, CompletionStage<StatisticsCache.Copy>> loader = k -> {
            sourceCalled.set(true);
            // The ttl counts from when the answer arrived, not from when it was asked for.
            return Futures.attempt(() -> source.loadStatistics(query, caller))
                    .thenApply(statistics -> new StatisticsCache.Copy(statistics, clock.millis()));
        };
        for (int i = tiers.size() - 1; i > 0; i--) {
            StatisticsCache tier = tiers.get(i);
            Function<StatisticsCache.Key, CompletionStage<StatisticsCache.Copy>> next = loader;
            loader = k -> tier.get(k, next).thenApply(StatisticsCache.Lookup::copy);
        }
        Function<StatisticsCache.Key, CompletionStage<StatisticsCache.Copy>> nearestLoader = loader;
        return Futures.attempt(() -> tiers.get(0).get(key, nearestLoader))
                .whenComplete((lookup, failure) -> listener.lookedUp(name, failure == null && !sourceCalled.get()))
                .thenApply(lookup -> lookup.copy().statistics());
    }
}
