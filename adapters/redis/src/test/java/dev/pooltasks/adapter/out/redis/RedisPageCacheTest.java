package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.PageCache;
import dev.pooltasks.domain.port.out.PageCache.Copy;
import dev.pooltasks.domain.port.out.PageCache.Key;
import dev.pooltasks.domain.port.out.PageCache.Lookup;
import dev.pooltasks.testing.MutableClock;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared cache tier on the machine's Redis, with two stores as two replicas (each its own client and
 * connections): copies written by one are hits on the other, kept for ttl + keep-after-ttl, single flight across the
 * two (the second waits for the first's load, or loads itself when the first fails or takes too long), the newest copy
 * for serving stale, no raw token anywhere in Redis.
 */
class RedisPageCacheTest {
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration KEEP = Duration.ofSeconds(90);

    private static TestRedis redis;
    private static RedisStore replicaA;
    private static RedisStore replicaB;
    private final MutableClock clock = new MutableClock(Instant.now());

    @BeforeAll
    static void connect() {
        redis = new TestRedis(RedisPageCacheTest.class);
        replicaA = redis.store(Clock.systemUTC(), RedisCallListener.NONE);
        replicaB = redis.store(Clock.systemUTC(), RedisCallListener.NONE);
    }

    @AfterAll
    static void cleanUp() {
        redis.close();
    }

    @Test
    void aCopyOneReplicaLoadedIsAHitOnTheOther() {
        RedisPageCache a = cache(replicaA, Duration.ofSeconds(3));
        RedisPageCache b = cache(replicaB, Duration.ofSeconds(3));
        Key key = TestPages.key("east", 0, 100, null);
        Copy copy = copy(1, 100);

        Lookup first = get(a, key, k -> CompletableFuture.completedFuture(copy));
        assertThat(first).isEqualTo(new Lookup(copy, false));
        awaitWritten(key);
        assertThat(get(a, key, neverCalled())).isEqualTo(new Lookup(copy, true));
        assertThat(get(b, key, neverCalled())).isEqualTo(new Lookup(copy, true));
    }

    @Test
    void copiesAreKeptForTtlPlusKeepAfterTtlAndFreshForTtl() {
        RedisPageCache cache = cache(replicaA, Duration.ofSeconds(3));
        Key key = TestPages.key("east", 100, 100, null);
        Copy copy = copy(2, 100);
        get(cache, key, k -> CompletableFuture.completedFuture(copy));
        String page = awaitWritten(key);
        assertThat(redis.send(Request.cmd(Command.PTTL).arg(page)).toLong())
                .isGreaterThan(TTL.toMillis()).isLessThanOrEqualTo(TTL.plus(KEEP).toMillis());

        clock.advance(TTL);
        Copy newer = new Copy(copy.page(), clock.millis());
        assertThat(get(cache, key, k -> CompletableFuture.completedFuture(newer))).as("no longer fresh: loads again")
                .isEqualTo(new Lookup(newer, false));
    }

    @Test
    void lastCopyGivesWhatIsKeptFreshOrNot() {
        RedisPageCache cache = cache(replicaA, Duration.ofSeconds(3));
        Key key = TestPages.key("east", 200, 100, null);
        assertThat(cache.lastCopy(key).toCompletableFuture().join()).isEmpty();
        Copy copy = copy(3, 50);
        get(cache, key, k -> CompletableFuture.completedFuture(copy));
        awaitWritten(key);
        clock.advance(TTL.plusSeconds(10));
        assertThat(cache(replicaB, Duration.ofSeconds(3)).lastCopy(key).toCompletableFuture().join()).contains(copy);
    }

    @Test
    void aLookupThatFindsNoFreshCopyReadsAndLocksInOneRoundTripBeforeItLoads() {
        RecordedCalls calls = new RecordedCalls();
        RedisPageCache cache = cache(redis.store(Clock.systemUTC(), calls), Duration.ofSeconds(3));
        get(cache, TestPages.key("east", 1200, 100, null), k -> CompletableFuture.completedFuture(copy(14, 10)));
        Key none = TestPages.key("east", 1300, 100, null);
        Key justExpired = TestPages.key("east", 1700, 100, null);
        // As the round trip that wrote it leaves it: its key outlives its ttl by some milliseconds.
        putCopy(justExpired, new Copy(TestPages.page(19, 10), clock.millis() - TTL.toMillis()), KEEP.plusMillis(50));

        assertThat(callsBeforeItsLoad(cache, calls, none, copy(15, 10))).containsExactly("cache_read success");
        assertThat(callsBeforeItsLoad(cache, calls, justExpired, copy(20, 10))).containsExactly("cache_read success");
        awaitUnlocked(none);
        awaitUnlocked(justExpired);
    }

    @Test
    void aCopyFreshByThisReplicasClockThoughNotByRedisesIsAHitAndTheLockItTookIsLetGo() {
        RecordedCalls calls = new RecordedCalls();
        RedisPageCache cache = cache(redis.store(Clock.systemUTC(), calls), Duration.ofSeconds(3));
        Key key = TestPages.key("east", 1400, 100, null);
        Copy copy = copy(16, 10);
        putCopy(key, copy, KEEP.minusSeconds(1)); // by its key's time to live, its ttl is over

        assertThat(get(cache, key, neverCalled())).isEqualTo(new Lookup(copy, true));
        TestRedis.awaitTrue(() -> calls.count("cache_unlock success") == 1, "the lock taken let go");
        awaitUnlocked(key);
    }

    @Test
    void aBurstOnTwoReplicasCostsOneLoad() {
        RedisPageCache a = cache(replicaA, Duration.ofSeconds(20));
        RedisPageCache b = cache(replicaB, Duration.ofSeconds(20));
        Key key = TestPages.key("east", 300, 100, null);
        oneLoadsWhileTheOtherWaits(a, b, key, copy(4, 100));
    }

    @Test
    void asACopysTtlEndsByTheReplicasClockWhileRedisStillHoldsItOneReplicaLoadsAndTheOtherWaits() {
        RedisPageCache a = cache(replicaA, Duration.ofSeconds(20));
        RedisPageCache b = cache(replicaB, Duration.ofSeconds(20));
        Key key = TestPages.key("east", 1500, 100, null);
        Copy old = copy(17, 10);
        get(a, key, k -> CompletableFuture.completedFuture(old));
        awaitWritten(key);
        awaitUnlocked(key);
        clock.advance(TTL); // Redis keeps its key for KEEP more
        oneLoadsWhileTheOtherWaits(a, b, key, new Copy(old.page(), clock.millis()));
    }

    @Test
    void whenTheWinnersLoadFailsTheOthersLoadThemselves() {
        RedisPageCache a = cache(replicaA, Duration.ofSeconds(20));
        RedisPageCache b = cache(replicaB, Duration.ofSeconds(20));
        Key key = TestPages.key("east", 400, 100, null);
        CompletableFuture<Copy> failingLoad = new CompletableFuture<>();
        CompletableFuture<Lookup> winner = a.get(key, k -> failingLoad).toCompletableFuture();
        awaitLocked(key);
        Copy own = copy(5, 10);
        CompletableFuture<Lookup> waiter = b.get(key, k -> CompletableFuture.completedFuture(own)).toCompletableFuture();

        failingLoad.completeExceptionally(new IllegalStateException("upstream down"));
        assertThat(winner).failsWithin(Duration.ofSeconds(10));
        assertThat(waiter.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(new Lookup(own, false));
    }

    @Test
    void whenTheWinnerTakesLongerThanTheWaitTheOthersLoadThemselvesHavingPolledAFewTimes() {
        RecordedCalls calls = new RecordedCalls();
        RedisPageCache a = cache(replicaA, Duration.ofMillis(300));
        RedisPageCache b = cache(redis.store(Clock.systemUTC(), calls), Duration.ofMillis(300));
        Key key = TestPages.key("east", 500, 100, null);
        CompletableFuture<Copy> neverEnds = new CompletableFuture<>();
        a.get(key, k -> neverEnds);
        awaitLocked(key);
        Copy own = copy(6, 10);
        assertThat(get(b, key, k -> CompletableFuture.completedFuture(own))).isEqualTo(new Lookup(own, false));
        // Pauses of 5, 10, 20 and 40 ms, then 50 ms each: 9 polls by 325 ms. Redis's answering time only makes them
        // fewer.
        assertThat(calls.count("cache_poll success")).isBetween(1L, 9L);
        neverEnds.cancel(false);
    }

    @Test
    void theWinnerSharesItsCopyAndLetsGoOfItsLockEvenIfItsCircuitOpenedMeanwhile() {
        RedisStore failing = redis.store(Clock.systemUTC(), RedisCallListener.NONE);
        RedisPageCache a = cache(failing, Duration.ofSeconds(20));
        RedisPageCache b = cache(replicaB, Duration.ofSeconds(20));
        Key key = TestPages.key("east", 1000, 100, null);
        CompletableFuture<Copy> slowLoad = new CompletableFuture<>();
        CompletableFuture<Lookup> winner = a.get(key, k -> slowLoad).toCompletableFuture();
        awaitLocked(key);
        CompletableFuture<Lookup> waiter = b.get(key, k -> CompletableFuture.completedFuture(copy(98, 1)))
                .toCompletableFuture();
        redis.openCircuit(failing);

        Copy copy = copy(12, 100);
        slowLoad.complete(copy);
        assertThat(winner.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(new Lookup(copy, false));
        // Well before the lock's 20 s lifetime and the waiter's 20 s wait run out.
        assertThat(waiter.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(new Lookup(copy, true));
        awaitUnlocked(key);
        assertThat(failing.status().circuit()).as("still open: the two commands were sent past it").isEqualTo("OPEN");
    }

    @Test
    void aCopyThatCannotBeReadCountsAsNoneAndIsReplaced() {
        RedisPageCache cache = cache(replicaA, Duration.ofSeconds(3));
        Key key = TestPages.key("east", 700, 100, null);
        String page = redis.prefix + ":page:" + CopyKeys.digest(key);
        redis.send(Request.cmd(Command.SET).arg(page).arg("not a page copy").arg("PX").arg(60_000));
        Copy copy = copy(8, 20);
        assertThat(get(cache, key, k -> CompletableFuture.completedFuture(copy))).isEqualTo(new Lookup(copy, false));
        awaitValue(page, copy);
    }

    @Test
    void callersTokensKeepTheirCopiesApartAndNeverReachRedis() {
        RedisPageCache cache = cache(replicaA, Duration.ofSeconds(3));
        String token = "tok-" + "s3cr3t".repeat(5);
        Key alice = TestPages.key("pass", 0, 10, token);
        Key bob = TestPages.key("pass", 0, 10, "another-token");
        Copy forAlice = copy(9, 10);
        Copy forBob = copy(10, 10);
        get(cache, alice, k -> CompletableFuture.completedFuture(forAlice));
        get(cache, bob, k -> CompletableFuture.completedFuture(forBob));
        awaitWritten(alice);
        awaitWritten(bob);
        assertThat(get(cache, alice, neverCalled()).copy()).isEqualTo(forAlice);
        assertThat(get(cache, bob, neverCalled()).copy()).isEqualTo(forBob);
        for (String name : redis.keys()) {
            assertThat(name).doesNotContain(token).doesNotContain("s3cr3t");
            Response value = redis.send(Request.cmd(Command.DUMP).arg(name));
            assertThat(new String(value.toBytes(), StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
        }
    }

    @Test
    void everyKeyTheCacheWritesExpires() {
        RedisPageCache cache = cache(replicaA, Duration.ofSeconds(3));
        Key key = TestPages.key("east", 800, 100, null);
        CompletableFuture<Copy> load = new CompletableFuture<>();
        cache.get(key, k -> load);
        String lock = awaitLocked(key);
        assertThat(redis.send(Request.cmd(Command.PTTL).arg(lock)).toLong()).isBetween(1L, 3000L);
        load.complete(copy(11, 5));
        awaitUnlocked(key);
        assertThat(redis.keys()).isNotEmpty().allSatisfy(name ->
                assertThat(redis.send(Request.cmd(Command.PTTL).arg(name)).toLong()).as(name).isPositive());
    }

    @Test
    void aLoadThatFailsIsTheLookupsFailureAndNothingIsKept() {
        RedisPageCache cache = cache(replicaA, Duration.ofSeconds(3));
        Key key = TestPages.key("east", 900, 100, null);
        CompletionStage<Lookup> lookup = cache.get(key, k -> {
            throw new IllegalStateException("loader blew up");
        });
        assertThatThrownBy(() -> lookup.toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(IllegalStateException.class);
        awaitUnlocked(key);
        assertThat(cache.lastCopy(key).toCompletableFuture().join()).isEqualTo(Optional.empty());
    }

    private RedisPageCache cache(RedisStore store, Duration singleFlightWait) {
        return new RedisPageCache(store, TTL, KEEP, singleFlightWait, clock);
    }

    private Copy copy(long seed, int size) {
        return new Copy(TestPages.page(seed, size), clock.millis());
    }

    private static Lookup get(PageCache cache, Key key, Function<Key, CompletionStage<Copy>> loader) {
        return cache.get(key, loader).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static void putCopy(Key key, Copy copy, Duration keyLivesFor) {
        redis.send(Request.cmd(Command.SET).arg(redis.prefix + ":page:" + CopyKeys.digest(key))
                .arg(PageCodec.encode(copy)).arg("PX").arg(keyLivesFor.toMillis()));
    }

    /** {@code first} looks up {@code key} and loads until {@code second} has looked it up too: one load for both. */
    private void oneLoadsWhileTheOtherWaits(RedisPageCache first, RedisPageCache second, Key key, Copy copy) {
        CompletableFuture<Copy> slowLoad = new CompletableFuture<>();
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<Lookup> winner = first.get(key, k -> {
            loads.incrementAndGet();
            return slowLoad;
        }).toCompletableFuture();
        awaitLocked(key);
        CompletableFuture<Lookup> waiter = second.get(key, k -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture(copy(99, 1));
        }).toCompletableFuture();
        assertThat(waiter).as("waits for the winner").isNotDone();

        slowLoad.complete(copy);
        assertThat(winner.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(new Lookup(copy, false));
        assertThat(waiter.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(new Lookup(copy, true));
        assertThat(loads).hasValue(1);
        awaitUnlocked(key);
    }

    /**
     * The calls to Redis a lookup (a miss, so it loads {@code copy}) made before its loader ran; after a first lookup
     * on this store, so that its scripts are known to Redis, less the writes and unlocks of the lookups before it.
     */
    private static List<String> callsBeforeItsLoad(PageCache cache, RecordedCalls calls, Key key, Copy copy) {
        int first = calls.calls.size();
        List<String> before = new ArrayList<>();
        assertThat(get(cache, key, k -> {
            before.addAll(calls.calls.subList(first, calls.calls.size()));
            return CompletableFuture.completedFuture(copy);
        })).isEqualTo(new Lookup(copy, false));
        return before.stream().filter(call -> !call.startsWith("cache_write") && !call.startsWith("cache_unlock"))
                .toList();
    }

    private static Function<Key, CompletionStage<Copy>> neverCalled() {
        return k -> {
            throw new AssertionError("the loader of a hit was called");
        };
    }

    /** Copies are written after the lookup answers: wait until Redis has this one. */
    private static String awaitWritten(Key key) {
        String page = redis.prefix + ":page:" + CopyKeys.digest(key);
        TestRedis.awaitTrue(() -> redis.send(Request.cmd(Command.EXISTS).arg(page)).toInteger() == 1, "copy written");
        return page;
    }

    private static void awaitValue(String page, Copy copy) {
        TestRedis.awaitTrue(() -> {
            Response value = redis.send(Request.cmd(Command.GET).arg(page));
            try {
                return value != null && PageCodec.decode(value.toBytes()).equals(copy);
            } catch (IllegalArgumentException notYet) {
                return false;
            }
        }, "copy replaced");
    }

    private static String awaitLocked(Key key) {
        String lock = redis.prefix + ":lock:" + CopyKeys.digest(key);
        TestRedis.awaitTrue(() -> redis.send(Request.cmd(Command.EXISTS).arg(lock)).toInteger() == 1, "lock taken");
        return lock;
    }

    private static void awaitUnlocked(Key key) {
        String lock = redis.prefix + ":lock:" + CopyKeys.digest(key);
        TestRedis.awaitTrue(() -> redis.send(Request.cmd(Command.EXISTS).arg(lock)).toInteger() == 0, "lock released");
    }

}
