package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.StatisticsCache;
import dev.pooltasks.domain.port.out.StatisticsCache.Copy;
import dev.pooltasks.domain.port.out.StatisticsCache.Key;
import dev.pooltasks.domain.port.out.StatisticsCache.Lookup;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared statistics tier on the machine's Redis, two stores as two replicas: a copy one loaded is a hit on the
 * other, kept no longer than its ttl, a burst on both costs one load, unreadable bytes count as none, tokens never
 * reach Redis. The lock and wait are {@link SharedCopies}', tested in full through {@link RedisPageCacheTest}.
 */
class RedisStatisticsCacheTest {
    private static final Duration TTL = Duration.ofSeconds(30);

    private static TestRedis redis;
    private static RedisStore replicaA;
    private static RedisStore replicaB;
    private final MutableClock clock = new MutableClock(Instant.now());

    @BeforeAll
    static void connect() {
        redis = new TestRedis(RedisStatisticsCacheTest.class);
        replicaA = redis.store(Clock.systemUTC(), RedisCallListener.NONE);
        replicaB = redis.store(Clock.systemUTC(), RedisCallListener.NONE);
    }

    @AfterAll
    static void cleanUp() {
        redis.close();
    }

    private static Key key(String groupBy, String token) {
        return new Key("east", StatisticsQuery.of(TaskQuery.builder(TestPages.PROJECT).build(), groupBy, null), token);
    }

    @Test
    void aCopyOneReplicaLoadedIsAHitOnTheOtherUntilItsTtlEnds() {
        RedisStatisticsCache a = cache(replicaA);
        RedisStatisticsCache b = cache(replicaB);
        Key key = key("day", null);
        Copy copy = copy(1, 30);

        assertThat(get(a, key, k -> CompletableFuture.completedFuture(copy))).isEqualTo(new Lookup(copy, false));
        String name = awaitWritten(key);
        assertThat(get(b, key, neverCalled())).isEqualTo(new Lookup(copy, true));
        assertThat(redis.send(Request.cmd(Command.PTTL).arg(name)).toLong()).as("kept only while fresh")
                .isPositive().isLessThanOrEqualTo(TTL.toMillis());

        clock.advance(TTL);
        Copy newer = new Copy(copy(2, 30).statistics(), clock.millis());
        assertThat(get(b, key, k -> CompletableFuture.completedFuture(newer))).isEqualTo(new Lookup(newer, false));
    }

    @Test
    void aBurstOnTwoReplicasCostsOneLoad() {
        Key key = key("pool", null);
        CompletableFuture<Copy> slowLoad = new CompletableFuture<>();
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<Lookup> winner = cache(replicaA).get(key, k -> {
            loads.incrementAndGet();
            return slowLoad;
        }).toCompletableFuture();
        TestRedis.awaitTrue(() -> exists(redis.prefix + ":lock:" + CopyKeys.digest(key)), "lock taken");
        CompletableFuture<Lookup> waiter = cache(replicaB).get(key, k -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture(copy(99, 1));
        }).toCompletableFuture();

        Copy copy = copy(3, 10);
        slowLoad.complete(copy);
        assertThat(winner.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(new Lookup(copy, false));
        assertThat(waiter.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(new Lookup(copy, true));
        assertThat(loads).hasValue(1);
    }

    @Test
    void bytesThatAreNotAStatisticsCopyCountAsNoneAndAreReplaced() {
        Key key = key("script", null);
        String name = redis.prefix + ":statistics:" + CopyKeys.digest(key);
        redis.send(Request.cmd(Command.SET).arg(name).arg("not a statistics copy").arg("PX").arg(60_000));
        Copy copy = copy(4, 3);

        assertThat(get(cache(replicaA), key, k -> CompletableFuture.completedFuture(copy)))
                .isEqualTo(new Lookup(copy, false));
        TestRedis.awaitTrue(() -> {
            Response value = redis.send(Request.cmd(Command.GET).arg(name));
            try {
                return StatisticsCodec.decode(value.toBytes()).equals(copy);
            } catch (IllegalArgumentException notYet) {
                return false;
            }
        }, "copy replaced");
    }

    @Test
    void callersTokensKeepTheirCopiesApartAndNeverReachRedis() {
        RedisStatisticsCache cache = cache(replicaA);
        String token = "tok-" + "s3cr3t".repeat(5);
        Key alice = key("status", token);
        Key bob = key("status", "another-token");
        Copy forAlice = copy(5, 2);
        Copy forBob = copy(6, 2);
        get(cache, alice, k -> CompletableFuture.completedFuture(forAlice));
        get(cache, bob, k -> CompletableFuture.completedFuture(forBob));
        awaitWritten(alice);
        awaitWritten(bob);

        assertThat(get(cache(replicaB), alice, neverCalled()).copy()).isEqualTo(forAlice);
        assertThat(get(cache(replicaB), bob, neverCalled()).copy()).isEqualTo(forBob);
        for (String name : redis.keys()) {
            assertThat(name).doesNotContain("s3cr3t");
            Response value = redis.send(Request.cmd(Command.DUMP).arg(name));
            assertThat(new String(value.toBytes(), StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
        }
    }

    private RedisStatisticsCache cache(RedisStore store) {
        return new RedisStatisticsCache(store, TTL, Duration.ofSeconds(20), clock);
    }

    private Copy copy(long seed, int groups) {
        return new Copy(StatisticsCodecTest.statistics(seed, groups), clock.millis());
    }

    private static Lookup get(StatisticsCache cache, Key key, Function<Key, CompletionStage<Copy>> loader) {
        return cache.get(key, loader).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static Function<Key, CompletionStage<Copy>> neverCalled() {
        return k -> {
            throw new AssertionError("the loader of a hit was called");
        };
    }

    /** Copies are written after the lookup answers: wait until Redis has this one. */
    private static String awaitWritten(Key key) {
        String name = redis.prefix + ":statistics:" + CopyKeys.digest(key);
        TestRedis.awaitTrue(() -> exists(name), "copy written");
        return name;
    }

    private static boolean exists(String name) {
        return redis.send(Request.cmd(Command.EXISTS).arg(name)).toInteger() == 1;
    }

}
