package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.RateBudget.Decision;
import dev.pooltasks.testing.RedisServerProcess;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared token bucket on the machine's Redis: burst, refill (on a time the test gives the script, and once on
 * Redis's own clock), concurrent takers from two replicas and many threads, shared pauses, TTLs on every key, and the
 * script reloaded when Redis forgot it. Nothing here falls back: the fallback budget must never be asked.
 */
class RedisRateBudgetTest {
    private static final long SECOND = 1_000_000L;

    private static TestRedis redis;
    private static RedisStore replicaA;
    private static RedisStore replicaB;
    private static final RecordedCalls calls = new RecordedCalls();
    private static final CountingBudget fallback = new CountingBudget();
    private final AtomicLong now = new AtomicLong(1_800_000_000L * SECOND);

    @BeforeAll
    static void connect() {
        redis = new TestRedis(RedisRateBudgetTest.class);
        replicaA = redis.store(Clock.systemUTC(), calls);
        replicaB = redis.store(Clock.systemUTC(), calls);
    }

    @AfterAll
    static void cleanUp() {
        try {
            assertThat(fallback.asked).as("Redis answered every call: nothing fell back").isEmpty();
        } finally {
            redis.close();
        }
    }

    @Test
    void aFullBucketGrantsItsMinuteThenSaysWhenToRetry() {
        RedisRateBudget budget = budget(replicaA);
        for (int i = 0; i < 60; i++) {
            assertThat(take(budget, "burst", 60)).as("take %d", i + 1).isEqualTo(Decision.GRANTED);
        }
        assertThat(take(budget, "burst", 60)).isEqualTo(Decision.refused(1));
    }

    @Test
    void tokensComeBackContinuouslyUpToTheCapacity() {
        RedisRateBudget budget = budget(replicaA);
        drain(budget, "refill", 60);
        now.addAndGet(SECOND / 2);
        assertThat(take(budget, "refill", 60)).as("half a token after half a second").isEqualTo(Decision.refused(1));
        now.addAndGet(SECOND / 2);
        assertThat(take(budget, "refill", 60)).isEqualTo(Decision.GRANTED);
        assertThat(take(budget, "refill", 60)).isEqualTo(Decision.refused(1));
        now.addAndGet(10 * SECOND);
        assertThat(drain(budget, "refill", 60)).as("ten seconds at one a second").isEqualTo(10);
        now.addAndGet(3600 * SECOND);
        assertThat(drain(budget, "refill", 60)).as("an hour later: full, not fuller").isEqualTo(60);
    }

    @Test
    void aRefusalSaysHowLongUntilTheNextToken() {
        RedisRateBudget budget = budget(replicaA);
        drain(budget, "slow", 6);
        assertThat(take(budget, "slow", 6)).as("one token every 10 s").isEqualTo(Decision.refused(10));
        now.addAndGet(7 * SECOND);
        assertThat(take(budget, "slow", 6)).isEqualTo(Decision.refused(3));
    }

    @Test
    void onRedisOwnClockAnEmptyBucketRefills() throws Exception {
        RedisRateBudget budget = new RedisRateBudget(replicaA, fallback);
        long started = System.nanoTime();
        int granted = 0;
        while (take(budget, "redis-clock", 600) == Decision.GRANTED) {
            granted++;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        // 600 at once, plus 10 a second for as long as the draining took (measured from outside: an upper bound).
        assertThat(granted).isBetween(600, 600 + (int) Math.ceil(10 * seconds) + 1);
        long refusedAt = System.nanoTime();
        Decision decision;
        do {
            Thread.sleep(20);
            decision = take(budget, "redis-clock", 600);
        } while (!decision.granted() && System.nanoTime() - refusedAt < TimeUnit.SECONDS.toNanos(30));
        assertThat(decision).as("a token a tenth of a second later, on Redis's clock").isEqualTo(Decision.GRANTED);
    }

    @Test
    void twoReplicasAndManyThreadsTogetherNeverTakeMoreThanTheBucket() throws Exception {
        List<RedisRateBudget> budgets = List.of(budget(replicaA), budget(replicaB));
        AtomicInteger granted = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> takers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                RedisRateBudget budget = budgets.get(t % 2);
                takers.add(threads.submit(() -> {
                    List<CompletableFuture<Decision>> decisions = new ArrayList<>();
                    for (int i = 0; i < 40; i++) {
                        decisions.add(budget.take("crowd", 100).toCompletableFuture());
                    }
                    decisions.forEach(d -> {
                        if (d.join().granted()) {
                            granted.incrementAndGet();
                        }
                    });
                    return null;
                }));
            }
            for (Future<?> taker : takers) {
                taker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(granted.get()).as("640 takes from two replicas on a bucket of 100").isEqualTo(100);
    }

    @Test
    void aPauseOnOneReplicaHoldsOnTheOthersUntilItEnds() {
        RedisRateBudget a = budget(replicaA);
        RedisRateBudget b = budget(replicaB);
        assertThat(take(b, "paused", 60)).isEqualTo(Decision.GRANTED);
        a.pause("paused", Duration.ofSeconds(30));
        awaitPaused(b, "paused");
        assertThat(take(b, "paused", 60)).isEqualTo(Decision.refused(30));
        assertThat(take(b, "paused", 0)).as("no limit, but paused").isEqualTo(Decision.refused(30));
        a.pause("paused", Duration.ofSeconds(5));
        now.addAndGet(20 * SECOND);
        assertThat(take(b, "paused", 60)).as("the longer pause stays").isEqualTo(Decision.refused(10));
        now.addAndGet(10 * SECOND);
        assertThat(take(b, "paused", 60)).isEqualTo(Decision.GRANTED);
        assertThat(fallback.pauses).as("the pause holds on the replica that saw the 429 whatever Redis does")
                .containsKey("paused");
    }

    @Test
    void everyBucketKeyExpiresOnceFullAgainAndNotBeforeItsPauseEnds() {
        RedisRateBudget budget = budget(replicaA);
        take(budget, "ttl", 60);
        String key = redis.prefix + ":budget:ttl";
        assertThat(pttl(key)).isBetween(1L, 61_000L);
        budget.pause("ttl", Duration.ofMinutes(5));
        awaitPaused(budget, "ttl");
        assertThat(pttl(key)).isGreaterThan(300_000L);
        assertThat(redis.keys()).allSatisfy(k -> assertThat(pttl(k)).as(k).isPositive());
    }

    @Test
    void aSmallerRateKeepsNoMoreTokensThanItsCapacity() {
        RedisRateBudget budget = budget(replicaA);
        take(budget, "resized", 100);
        assertThat(drain(budget, "resized", 10)).isEqualTo(10);
    }

    @Test
    void aScriptRedisForgotIsLoadedAgain() {
        try (RedisServerProcess own = new RedisServerProcess(); TestRedis ownRedis = new TestRedis(getClass(), own.url())) {
            RecordedCalls ownCalls = new RecordedCalls();
            RedisRateBudget budget = budget(ownRedis.store(Clock.systemUTC(), ownCalls));
            assertThat(take(budget, "reload", 60)).isEqualTo(Decision.GRANTED);
            ownRedis.send(Request.cmd(Command.SCRIPT).arg("FLUSH"));
            assertThat(take(budget, "reload", 60)).isEqualTo(Decision.GRANTED);
            assertThat(ownCalls.count("script_load success")).isEqualTo(2);
            assertThat(drain(budget, "reload", 60)).as("the same bucket, after the reload").isEqualTo(58);
        }
    }

    private RedisRateBudget budget(RedisStore store) {
        return new RedisRateBudget(store, fallback, now::get);
    }

    private static Decision take(RedisRateBudget budget, String name, int perMinute) {
        return budget.take(name, perMinute).toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Takes until refused; returns how many were granted. */
    private static int drain(RedisRateBudget budget, String name, int perMinute) {
        int granted = 0;
        while (take(budget, name, perMinute).granted()) {
            granted++;
        }
        return granted;
    }

    /** Pauses are sent without waiting for Redis: wait until it holds one. */
    private static void awaitPaused(RedisRateBudget budget, String name) {
        String key = redis.prefix + ":budget:" + name;
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (redis.send(Request.cmd(Command.HEXISTS).arg(key).arg("p")).toInteger() == 0) {
            assertThat(System.nanoTime()).as("pause of %s reached Redis", name).isLessThan(giveUpAt);
            Thread.onSpinWait();
        }
    }

    private static long pttl(String key) {
        return redis.send(Request.cmd(Command.PTTL).arg(key)).toLong();
    }
}
