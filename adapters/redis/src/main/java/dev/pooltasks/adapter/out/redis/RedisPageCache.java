package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.PageCache;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The page cache tier that replicas share: copies in Redis under {@code <prefix>:page:<digest>} ({@link PageKeys}),
 * encoded compactly ({@link PageCodec}), each kept for {@code ttl + keepAfterTtl} after it was fetched (a TTL on the
 * key), so that {@link #lastCopy} can serve it stale. Meant behind the in-process tier, whose single flight sends at most
 * one lookup per key from each replica here.
 *
 * <p>Single flight across replicas: a lookup that finds no fresh copy takes a short lock key
 * ({@code <prefix>:lock:<digest>}, {@code SET NX PX}) and loads; the others poll, briefly, for the copy the winner
 * writes (a few milliseconds apart at first, at most {@code singleFlightWait} in all), and load themselves if the
 * winner's lock goes without a fresh copy (its load failed) or the wait runs out. Polling needs nothing of Redis beyond
 * plain commands (no keyspace notifications, which are off by default and not delivered reliably).
 *
 * <p>Redis failing never fails a lookup: any call that does not answer in time (or a circuit that is open) sends the
 * lookup straight to its loader, and a copy that cannot be written is simply not shared.
 */
public final class RedisPageCache implements PageCache {
    private static final Logger LOG = Logger.getLogger(RedisPageCache.class);
    private static final long FIRST_POLL_MILLIS = 5;
    private static final long MAX_POLL_MILLIS = 50;

    /** KEYS[1]: a lock; ARGV[1]: its owner. Deletes the lock only if that owner still holds it. */
    static final LuaScript UNLOCK = new LuaScript("cache_unlock", """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    private final RedisStore store;
    private final long ttlMillis;
    private final long keepMillis;
    private final long waitMillis;
    private final Clock clock;
    private final AtomicLong locksTaken = new AtomicLong();

    /**
     * @param ttl              how long after it was fetched a copy is fresh
     * @param keepAfterTtl     how long a copy is kept after that, for {@link #lastCopy}
     * @param singleFlightWait how long a lookup waits for another replica's load of the same key (also the lock's
     *                         lifetime, so a winner that dies holds the others up no longer)
     * @param clock            the wall clock copies are stamped and aged with (replicas' clocks should agree)
     */
    public RedisPageCache(RedisStore store, Duration ttl, Duration keepAfterTtl, Duration singleFlightWait, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        if (ttl.toMillis() < 1 || keepAfterTtl.isNegative() || singleFlightWait.toMillis() < 1) {
            throw new IllegalArgumentException("ttl and singleFlightWait must be at least 1 ms, keepAfterTtl not negative");
        }
        this.ttlMillis = ttl.toMillis();
        this.keepMillis = ttlMillis + keepAfterTtl.toMillis();
        this.waitMillis = singleFlightWait.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader) {
        Names names = names(key);
        return read(names).handle((copy, unavailable) -> {
            if (unavailable != null) {
                return loadAlone(key, loader);
            }
            if (copy.filter(this::fresh).isPresent()) {
                return CompletableFuture.completedFuture(new Lookup(copy.get(), true));
            }
            return lockOrWait(key, loader, names);
        }).thenCompose(Function.identity());
    }

    @Override
    public CompletionStage<Optional<Copy>> lastCopy(Key key) {
        return read(names(key));
    }

    private CompletableFuture<Lookup> lockOrWait(Key key, Function<Key, CompletionStage<Copy>> loader, Names names) {
        String owner = store.replicaId() + ":" + locksTaken.incrementAndGet();
        Request lock = Request.cmd(Command.SET).arg(names.lock()).arg(owner).arg("NX").arg("PX").arg(waitMillis);
        return store.call("cache_lock", lock).handle((answer, unavailable) -> {
            if (unavailable != null) {
                // The lock may have been taken all the same (a late answer): share the copy and release it, or the
                // other lookups of this key, here and on other replicas, would wait for a copy that never comes.
                return loadAndShare(key, loader, names, owner);
            }
            if (answer == null) {
                return awaitWinner(key, loader, names, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis),
                        FIRST_POLL_MILLIS);
            }
            // Won. Another replica may have written a copy between our read and our lock: read once more.
            return read(names).handle((copy, failure) -> {
                if (failure == null && copy.filter(this::fresh).isPresent()) {
                    unlock(names, owner);
                    return CompletableFuture.completedFuture(new Lookup(copy.get(), true));
                }
                return loadAndShare(key, loader, names, owner);
            }).thenCompose(Function.identity());
        }).thenCompose(Function.identity());
    }

    private CompletableFuture<Lookup> awaitWinner(Key key, Function<Key, CompletionStage<Copy>> loader, Names names,
                                                  long giveUpAt, long pauseMillis) {
        return store.after(pauseMillis)
                .thenCompose(paused -> store.call("cache_poll",
                        Request.cmd(Command.MGET).arg(names.page()).arg(names.lock())))
                .handle((answer, unavailable) -> {
                    if (unavailable != null) {
                        return loadAlone(key, loader);
                    }
                    Optional<Copy> copy = decode(answer.get(0));
                    if (copy.filter(this::fresh).isPresent()) {
                        return CompletableFuture.completedFuture(new Lookup(copy.get(), true));
                    }
                    if (answer.get(1) == null || System.nanoTime() - giveUpAt >= 0) {
                        // The winner's load failed (its lock is gone without a copy), or it takes too long.
                        return loadAndShare(key, loader, names, null);
                    }
                    return awaitWinner(key, loader, names, giveUpAt, Math.min(MAX_POLL_MILLIS, pauseMillis * 2));
                })
                .thenCompose(Function.identity());
    }

    /**
     * Loads, hands the copy to the caller at once, then writes it for the others and lets go of the lock (if held). The
     * holder of the lock writes and unlocks even while its circuit is open: the other replicas wait for exactly these
     * two commands, and without them would wait out the lock's whole lifetime.
     */
    private CompletableFuture<Lookup> loadAndShare(Key key, Function<Key, CompletionStage<Copy>> loader, Names names,
                                                   String owner) {
        CompletableFuture<Copy> load = start(key, loader);
        load.whenComplete((copy, failure) -> {
            CompletableFuture<?> written = failure == null ? write(names, copy, owner != null)
                    : CompletableFuture.completedFuture(null);
            if (owner != null) {
                written.whenComplete((done, ignored) -> unlock(names, owner));
            }
        });
        return load.thenApply(copy -> new Lookup(copy, false));
    }

    /** Redis did not answer: the loader alone, as if this tier were not there. */
    private static CompletableFuture<Lookup> loadAlone(Key key, Function<Key, CompletionStage<Copy>> loader) {
        return start(key, loader).thenApply(copy -> new Lookup(copy, false));
    }

    private CompletableFuture<?> write(Names names, Copy copy, boolean lockHeld) {
        long keepFor = copy.fetchedAtMillis() + keepMillis - clock.millis();
        if (keepFor <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        Request set = Request.cmd(Command.SET).arg(names.page()).arg(PageCodec.encode(copy)).arg("PX").arg(keepFor);
        return (lockHeld ? store.callEvenIfOpen("cache_write", set) : store.call("cache_write", set))
                .exceptionally(unavailable -> null);
    }

    /** Only ever for a lock this replica holds: sent even while the circuit is open. */
    private void unlock(Names names, String owner) {
        store.evalEvenIfOpen("cache_unlock", UNLOCK, List.of(names.lock()), List.of(owner))
                .exceptionally(unavailable -> null); // the lock expires by itself
    }

    /** The copy Redis keeps for these names, if any; fails only when Redis does not answer. */
    private CompletableFuture<Optional<Copy>> read(Names names) {
        return store.call("cache_read", Request.cmd(Command.GET).arg(names.page())).thenApply(RedisPageCache::decode);
    }

    private static Optional<Copy> decode(Response value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(PageCodec.decode(value.toBytes()));
        } catch (IllegalArgumentException unreadable) {
            // Another version's copy, or a damaged one: as if there were none; the next load overwrites it.
            LOG.debugf("redis: unreadable page copy: %s", unreadable.getMessage());
            return Optional.empty();
        }
    }

    private boolean fresh(Copy copy) {
        return clock.millis() - copy.fetchedAtMillis() < ttlMillis;
    }

    private Names names(Key key) {
        String digest = PageKeys.digest(key);
        return new Names(store.key("page", digest), store.key("lock", digest));
    }

    private static CompletableFuture<Copy> start(Key key, Function<Key, CompletionStage<Copy>> loader) {
        try {
            return loader.apply(key).toCompletableFuture().thenApply(copy -> {
                if (copy == null) {
                    throw new CompletionException(new NullPointerException("the loader answered no copy"));
                }
                return copy;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The keys of one page copy and of its load's lock. */
    private record Names(String page, String lock) {
    }
}
