package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.port.out.StatisticsCache;
import dev.pooltasks.domain.query.StatisticsQuery;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Statistics that a source counts itself (another pooltasks asked in one call) behind a cache, keyed as
 * {@link CachingTaskSource} keys pages: the source's name and the query, plus the caller's token only for a source
 * called with the caller's own token. Lookups are heard by the same listener as the pages' (a hit when the cache
 * answered without calling the source).
 */
public final class CachingTaskStatistics implements LoadTaskStatisticsPort {
    private final String name;
    private final LoadTaskStatisticsPort source;
    private final boolean callerTokenInKey;
    private final StatisticsCache cache;
    private final CachingTaskSource.CacheListener listener;

    /**
     * @param name             the source's name: in keys and metrics
     * @param callerTokenInKey whether the source is called with the caller's own token (a pass-through upstream)
     */
    public CachingTaskStatistics(String name, LoadTaskStatisticsPort source, boolean callerTokenInKey,
                                 StatisticsCache cache, CachingTaskSource.CacheListener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.callerTokenInKey = callerTokenInKey;
        this.cache = Objects.requireNonNull(cache, "cache");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
        StatisticsCache.Key key = new StatisticsCache.Key(name, query, callerTokenInKey ? caller.token() : null);
        CompletableFuture<StatisticsCache.Lookup> lookup;
        try {
            lookup = cache.get(key, k -> source.loadStatistics(query, caller)).toCompletableFuture();
        } catch (RuntimeException e) {
            lookup = CompletableFuture.failedFuture(e);
        }
        return lookup.whenComplete((answer, failure) -> listener.lookedUp(name, failure == null && answer.hit()))
                .thenApply(StatisticsCache.Lookup::statistics);
    }
}
