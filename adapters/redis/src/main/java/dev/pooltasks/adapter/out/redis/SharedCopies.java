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

    /**
     * KEYS[1]: a copy; KEYS[2]: its load's lock; ARGV[1]: an owner for the lock; ARGV[2]: the lock's lifetime in ms;
     * ARGV[3]: how long a key lives past its copy's ttl, in ms. Returns {the copy or nil, what became of the lock}:
     * {@link #FRESH_BY_REDIS} (the key has more than ARGV[3] to live: no lock tried), {@link #LOCKED} (this owner
     * loads) or {@link #LOCKED_BY_ANOTHER}. One round trip where a read and then a lock took two, and no copy can be
     * written between the two.
     */
    static final LuaScript READ_OR_LOCK = new LuaScript("cache_read", """
            local copy = redis.call('GET', KEYS[1])
            if copy and redis.call('PTTL', KEYS[1]) > tonumber(ARGV[3]) then
              return {copy, 0}
            end
            if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return {copy, 1}
            end
            return {copy, 2}
            """);
    /**
     * A key outlives its copy's ttl by up to the round trip that wrote it (its PX counts from the fetch, on the
     * writer's clock, but from when Redis got it): a copy read in its key's last this-many ms before that is taken
     * for one whose ttl is over, so that at the moment copies expire the read takes the lock at once. A copy this
     * replica still finds fresh is then a hit all the same, and the lock let go.
     */
    private static final long KEY_OUTLIVES_TTL_MILLIS = 100;
    private static final int FRESH_BY_REDIS = 0;
    private static final int LOCKED = 1;
    private static final int LOCKED_BY_ANOTHER = 2;

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
        return readOrLock(key, loader, names(key), "cache_read", keepMillis - ttlMillis + KEY_OUTLIVES_TTL_MILLIS);
    }

    /** {@code lockUnder}: the time to live (ms) under which a key's copy is taken for one whose ttl is over. */
    private CompletableFuture<Found<C>> readOrLock(K key, Function<K, CompletionStage<C>> loader, Names names,
                                                   String operation, long lockUnder) {
        String owner = store.replicaId() + ":" + locksTaken.incrementAndGet();
        return store.eval(operation, READ_OR_LOCK, List.of(names.copy(), names.lock()),
                List.of(owner, Long.toString(waitMillis), Long.toString(lockUnder))
        ).handle((answer, unavailable) -> {
            if (unavailable != null) {
                // Not sent (the circuit is open): as if this tier were not there. Sent and unanswered: the lock may
                // have been taken all the same, so share the copy and release it, or the other lookups of this key,
                // here and on other replicas, would wait for a copy that never comes.
                return notSent(unavailable) ? loadAlone(key, loader) : loadAndShare(key, loader, names, owner);
            }
            Optional<C> copy = decode(answer.get(0));
            int lock = answer.get(1).toInteger();
            if (copy.filter(this::fresh).isPresent()) {
                if (lock == LOCKED) { // in its key's last KEY_OUTLIVES_TTL_MILLIS, or fresh by this clock only
                    unlock(names, owner);
                }
                return CompletableFuture.completedFuture(new Found<>(copy.get(), true));
            }
            return switch (lock) {
                case LOCKED -> loadAndShare(key, loader, names, owner);
                case LOCKED_BY_ANOTHER -> awaitWinner(key, loader, names,
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis), FIRST_POLL_MILLIS);
                // Fresh by Redis's clock, not by this replica's (a write slower than KEY_OUTLIVES_TTL_MILLIS, or
                // clocks apart): this replica's clock decides. Read again, locking whatever the key's time to live
                // (another replica may have written a fresh copy meanwhile).
                default -> readOrLock(key, loader, names, "cache_lock", Long.MAX_VALUE);
            };
        }).thenCompose(Function.identity());
    }

    /** The copy Redis keeps for this key, fresh or not; fails only when Redis does not answer. */
    CompletableFuture<Optional<C>> lastCopy(K key) {
        return read(names(key));
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

    private static boolean notSent(Throwable failure) {
        return RedisStore.unwrap(failure) instanceof RedisUnavailableException unavailable
                && unavailable.outcome().equals("rejected");
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
