package dev.pooltasks.domain.service;

import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.query.TaskQuery;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A task source behind page caches: what is cached under which key, and what to do when the source fails. How copies
 * are kept (freshness, single flight, bounds) is the caches' business ({@link PageCache}).
 *
 * <p>The key is the source's name and the query, plus the caller's token only for a source that is called with the
 * caller's own token (its answer may depend on who asks); every other source's answers are shared by all callers.
 * Caches are tiers, nearest first: each tier's loader is the next tier's lookup, and the last tier's loader calls the
 * source. When the lookup fails and {@code serveStaleFor} is positive, the newest copy any tier still keeps is served
 * instead, if it was fetched less than {@code serveStaleFor} ago, marked stale with this source's name; unless the
 * source refused the query with a 4xx other than 429, which is passed on.
 */
public final class CachingTaskSource implements LoadScriptExecutionTasksPort {
    private final String name;
    private final LoadScriptExecutionTasksPort source;
    private final boolean callerTokenInKey;
    private final List<PageCache> tiers;
    private final long serveStaleForMillis;
    private final Clock clock;
    private final CacheListener listener;

    /**
     * Hears each lookup, for metrics: a hit when a cache answered it without this lookup calling the source (a copy, or
     * a load another lookup had started), a miss otherwise (the source was called, or the lookup failed).
     */
    public interface CacheListener {
        CacheListener NONE = (source, hit) -> { };

        void lookedUp(String source, boolean hit);
    }

    /**
     * @param name             the source's name: in keys, metrics and the stale marker
     * @param callerTokenInKey whether the source is called with the caller's own token (a pass-through upstream)
     * @param tiers            the caches, nearest first; at least one
     * @param serveStaleFor    how old a copy may be to be served when the source fails; zero never serves one
     * @param clock            stamps copies with the time they arrived and ages them
     */
    public CachingTaskSource(String name, LoadScriptExecutionTasksPort source, boolean callerTokenInKey,
                             List<? extends PageCache> tiers, Duration serveStaleFor, Clock clock,
                             CacheListener listener) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.callerTokenInKey = callerTokenInKey;
        this.tiers = List.copyOf(tiers);
        if (this.tiers.isEmpty()) {
            throw new IllegalArgumentException("at least one cache tier; without caching, use the source itself");
        }
        if (serveStaleFor.isNegative()) {
            throw new IllegalArgumentException("serveStaleFor must not be negative");
        }
        this.serveStaleForMillis = serveStaleFor.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        PageCache.Key key = new PageCache.Key(name, query, callerTokenInKey ? caller.token() : null);
        AtomicBoolean sourceCalled = new AtomicBoolean();
        Function<PageCache.Key, CompletionStage<PageCache.Copy>> loader = k -> {
            sourceCalled.set(true);
            return fetch(query, caller);
        };
        for (int i = tiers.size() - 1; i > 0; i--) {
            PageCache tier = tiers.get(i);
            Function<PageCache.Key, CompletionStage<PageCache.Copy>> next = loader;
            loader = k -> tier.get(k, next).thenApply(PageCache.Lookup::copy);
        }
        Function<PageCache.Key, CompletionStage<PageCache.Copy>> nearestLoader = loader;
        return Futures.attempt(() -> tiers.get(0).get(key, nearestLoader))
                .handle((lookup, failure) -> {
                    listener.lookedUp(name, failure == null && !sourceCalled.get());
                    return failure == null ? CompletableFuture.completedFuture(served(lookup.copy()))
                            : staleOrFailure(key, Futures.cause(failure));
                })
                .thenCompose(Function.identity());
    }

    /** The nearest tier's fresh copy, if it holds one: what {@link #loadTasks} would answer with now. */
    @Override
    public TaskPage heldAnswer(TaskQuery query, Caller caller) {
        PageCache.Copy copy = tiers.get(0).freshCopy(new PageCache.Key(name, query,
                callerTokenInKey ? caller.token() : null));
        if (copy == null) {
            return null;
        }
        listener.lookedUp(name, true);
        return served(copy);
    }

    /**
     * The copy's page as served now. A page from a mirror (another pooltasks's) says how old that mirror's data was
     * when the copy arrived; it is older by the time the copy has been kept since.
     */
    private TaskPage served(PageCache.Copy copy) {
        TaskPage page = copy.page();
        if (page.mirrorAge() == null) {
            return page;
        }
        long keptMillis = clock.millis() - copy.fetchedAtMillis();
        return keptMillis <= 0 ? page : page.withMirrorAge(page.mirrorAge().plusMillis(keptMillis));
    }

    private CompletionStage<PageCache.Copy> fetch(TaskQuery query, Caller caller) {
        // The ttl counts from when the answer arrived, not from when it was asked for.
        return Futures.attempt(() -> source.loadTasks(query, caller))
                .thenApply(page -> new PageCache.Copy(page, clock.millis()));
    }

    private CompletionStage<TaskPage> staleOrFailure(PageCache.Key key, Throwable failure) {
        // A refusal other than a rate limit is the source's answer to this caller and query (a token revoked since,
        // a project gone), not an outage: a copy kept from before must not overrule it.
        if (serveStaleForMillis <= 0
                || failure instanceof TaskSourceRejectedException refused && !refused.isRateLimit()) {
            return CompletableFuture.failedFuture(failure);
        }
        return newestCopy(key).thenCompose(copy -> copy
                .filter(c -> clock.millis() - c.fetchedAtMillis() < serveStaleForMillis)
                .map(c -> CompletableFuture.completedFuture(served(c).markedStale(name)))
                .orElseGet(() -> CompletableFuture.failedFuture(failure)));
    }

    /** The newest copy any tier keeps; a tier that cannot tell (a store that is down) is passed over. */
    private CompletionStage<Optional<PageCache.Copy>> newestCopy(PageCache.Key key) {
        List<CompletableFuture<Optional<PageCache.Copy>>> copies = tiers.stream()
                .map(tier -> Futures.attempt(() -> tier.lastCopy(key))
                        .exceptionally(unavailable -> Optional.empty()))
                .toList();
        return CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> copies.stream()
                        .map(CompletableFuture::join)
                        .flatMap(Optional::stream)
                        .max(Comparator.comparingLong(PageCache.Copy::fetchedAtMillis)));
    }
}
