package dev.pooltasks.adapter.out.redis;

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
import java.util.function.ToLongFunction;

/**
 * Copies that replicas share, of one kind (pages, statistics): under {@code <prefix>:<kind>:<digest>}
 * ({@link CopyKeys}), encoded compactly, each kept for {@code ttl + keepAfterTtl} after it was fetched (a TTL on the
 * key), so that {@link #lastCopy} can give it stale. The shared tiers ({@link RedisPageCache},
 * {@link RedisStatisticsCache}) are this mechanism under their ports' names.
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
final class SharedCopies<K, C> {
    private static final Logger LOG = Logger.getLogger(SharedCopies.class);
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
    private final Kind<K, C> kind;
    private final long ttlMillis;
    private final long keepMillis;
    private final long waitMillis;
    private final Clock clock;
    private final AtomicLong locksTaken = new AtomicLong();

    /**
     * One kind of copy: the middle part of its Redis keys ({@code <prefix>:<name>:<digest>}), its keys' digests
     * ({@link CopyKeys}), its bytes (decode raises {@link IllegalArgumentException} for bytes this version cannot read)
     * and its fetch time.
     */
    record Kind<K, C>(String name, Function<K, String> digest, Function<C, byte[]> encode, Function<byte[], C> decode,
                      ToLongFunction<C> fetchedAtMillis) {
    }

    /** A copy and whether the lookup was answered without running its own loader. */
    record Found<C>(C copy, boolean hit) {
    }

    /**
     * @param ttl              how long after it was fetched a copy is fresh
     * @param keepAfterTtl     how long a copy is kept after that, for {@link #lastCopy}
     * @param singleFlightWait how long a lookup waits for another replica's load of the same key (also the lock's
     *                         lifetime, so a winner that dies holds the others up no longer)
     * @param clock            the wall clock copies are stamped and aged with (replicas' clocks should agree)
     */
    SharedCopies(RedisStore store, Kind<K, C> kind, Duration ttl, Duration keepAfterTtl, Duration singleFlightWait,
                 Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.kind = Objects.requireNonNull(kind, "kind");
        if (ttl.toMillis() < 1 || keepAfterTtl.isNegative() || singleFlightWait.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "ttl and singleFlightWait must be at least 1 ms, keepAfterTtl not negative");
        }
        this.ttlMillis = ttl.toMillis();
        this.keepMillis = ttlMillis + keepAfterTtl.toMillis();
        this.waitMillis = singleFlightWait.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A fresh copy from Redis, another replica's load of it, or this one's (then shared). */
    CompletableFuture<Found<C>> get(K key, Function<K, CompletionStage<C>> loader) {
        Names names = names(key);
        return read(names).handle((copy, unavailable) -> {
            if (unavailable != null) {
                return loadAlone(key, loader);
            }
            if (copy.filter(this::fresh).isPresent()) {
                return CompletableFuture.completedFuture(new Found<>(copy.get(), true));
            }
            return lockOrWait(key, loader, names);
        }).thenCompose(Function.identity());
    }

    /** The copy Redis keeps for this key, fresh or not; fails only when Redis does not answer. */
    CompletableFuture<Optional<C>> lastCopy(K key) {
        return read(names(key));
    }

    private CompletableFuture<Found<C>> lockOrWait(K key, Function<K, CompletionStage<C>> loader, Names names) {
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
                    return CompletableFuture.completedFuture(new Found<>(copy.get(), true));
                }
                return loadAndShare(key, loader, names, owner);
            }).thenCompose(Function.identity());
        }).thenCompose(Function.identity());
    }

    private CompletableFuture<Found<C>> awaitWinner(K key, Function<K, CompletionStage<C>> loader, Names names,
                                                    long giveUpAt, long pauseMillis) {
        return store.after(pauseMillis)
                .thenCompose(paused -> store.call("cache_poll",
                        Request.cmd(Command.MGET).arg(names.copy()).arg(names.lock())))
                .handle((answer, unavailable) -> {
                    if (unavailable != null) {
                        return loadAlone(key, loader);
                    }
                    Optional<C> copy = decode(answer.get(0));
                    if (copy.filter(this::fresh).isPresent()) {
                        return CompletableFuture.completedFuture(new Found<>(copy.get(), true));
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
    private CompletableFuture<Found<C>> loadAndShare(K key, Function<K, CompletionStage<C>> loader, Names names,
                                                     String owner) {
        CompletableFuture<C> load = start(key, loader);
        load.whenComplete((copy, failure) -> {
            CompletableFuture<?> written = failure == null ? write(names, copy, owner != null)
                    : CompletableFuture.completedFuture(null);
            if (owner != null) {
                written.whenComplete((done, ignored) -> unlock(names, owner));
            }
        });
        return load.thenApply(copy -> new Found<>(copy, false));
    }

    /** Redis did not answer: the loader alone, as if this tier were not there. */
    private CompletableFuture<Found<C>> loadAlone(K key, Function<K, CompletionStage<C>> loader) {
        return start(key, loader).thenApply(copy -> new Found<>(copy, false));
    }

    private CompletableFuture<?> write(Names names, C copy, boolean lockHeld) {
        long keepFor = kind.fetchedAtMillis().applyAsLong(copy) + keepMillis - clock.millis();
        if (keepFor <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        Request set = Request.cmd(Command.SET).arg(names.copy()).arg(kind.encode().apply(copy)).arg("PX").arg(keepFor);
        return (lockHeld ? store.callEvenIfOpen("cache_write", set) : store.call("cache_write", set))
                .exceptionally(unavailable -> null);
    }

    /** Only ever for a lock this replica holds: sent even while the circuit is open. */
    private void unlock(Names names, String owner) {
        store.evalEvenIfOpen("cache_unlock", UNLOCK, List.of(names.lock()), List.of(owner))
                .exceptionally(unavailable -> null); // the lock expires by itself
    }

    /** The copy Redis keeps for these names, if any; fails only when Redis does not answer. */
    private CompletableFuture<Optional<C>> read(Names names) {
        return store.call("cache_read", Request.cmd(Command.GET).arg(names.copy())).thenApply(this::decode);
    }

    private Optional<C> decode(Response value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(kind.decode().apply(value.toBytes()));
        } catch (IllegalArgumentException unreadable) {
            // Another version's copy, or a damaged one: as if there were none; the next load overwrites it.
            LOG.debugf("redis: unreadable %s copy: %s", kind.name(), unreadable.getMessage());
            return Optional.empty();
        }
    }

    private boolean fresh(C copy) {
        return clock.millis() - kind.fetchedAtMillis().applyAsLong(copy) < ttlMillis;
    }

    private Names names(K key) {
        String digest = kind.digest().apply(key);
        return new Names(store.key(kind.name(), digest), store.key("lock", digest));
    }

    private static <K, C> CompletableFuture<C> start(K key, Function<K, CompletionStage<C>> loader) {
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

    /** The keys of one copy and of its load's lock. */
    private record Names(String copy, String lock) {
    }
}
