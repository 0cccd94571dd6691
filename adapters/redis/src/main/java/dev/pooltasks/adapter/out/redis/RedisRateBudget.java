package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.RateBudget;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Rate budgets that all replicas share: each name is one token bucket in Redis (key {@code <prefix>:budget:<name>}),
 * taken and paused by Lua scripts that Redis runs atomically on its own clock ({@code TIME}), so that the replicas
 * together never take more than the bucket allows, whatever their clocks say.
 *
 * <p>While Redis does not answer within the deadline (or the circuit is open), the decision is the fallback budget's
 * (the in-process engine), for {@code perMinute / replicas} a minute: each replica takes its share, so that together
 * they still keep about the budget. Pauses are given to the fallback too, so that a 429's {@code Retry-After} holds
 * on this replica whatever Redis does.
 */
public final class RedisRateBudget implements RateBudget {
    private static final long MICROS_PER_SECOND = 1_000_000L;

    /**
     * KEYS[1]: the bucket, a hash: {@code t} tokens left, {@code u} when they were counted and {@code p} until when
     * the bucket is paused, in microseconds. ARGV[1]: tokens per minute, which is also the bucket's capacity (0: no
     * limit, only pauses); ARGV[2]: now in microseconds, empty for Redis's own clock. A bucket never seen (or expired:
     * it would be full again by then) starts full. Returns {granted 1 or 0, microseconds until a token may be had}.
     */
    static final LuaScript TAKE = new LuaScript("budget_take", """
            local now = tonumber(ARGV[2])
            if not now then
              local t = redis.call('TIME')
              now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            end
            local capacity = tonumber(ARGV[1])
            local state = redis.call('HMGET', KEYS[1], 't', 'u', 'p')
            local paused = tonumber(state[3]) or 0
            if paused > now then
              return {0, paused - now}
            end
            if capacity == 0 then
              return {1, 0}
            end
            local per_micro = capacity / 60000000
            local tokens = tonumber(state[1])
            local counted = tonumber(state[2])
            if not tokens or not counted then
              tokens, counted = capacity, now
            elseif now > counted then
              tokens, counted = math.min(capacity, tokens + (now - counted) * per_micro), now
            else
              tokens = math.min(capacity, tokens)
            end
            local granted, wait = 0, 0
            if tokens >= 1 then
              tokens, granted = tokens - 1, 1
            else
              -- less a nanosecond, so that rounding in the fractions never adds a microsecond (and a second)
              wait = math.ceil((1 - tokens) / per_micro - 0.001)
            end
            redis.call('HSET', KEYS[1], 't', tokens, 'u', counted)
            redis.call('PEXPIRE', KEYS[1], 61000)
            return {granted, wait}
            """);

    /**
     * KEYS[1]: the bucket; ARGV[1]: the pause in milliseconds; ARGV[2]: now in microseconds, empty for Redis's clock.
     * A longer pause already set stays. The key is kept at least until the pause ends.
     */
    static final LuaScript PAUSE = new LuaScript("budget_pause", """
            local now = tonumber(ARGV[2])
            if not now then
              local t = redis.call('TIME')
              now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            end
            local paused = math.max(tonumber(redis.call('HGET', KEYS[1], 'p')) or 0, now + tonumber(ARGV[1]) * 1000)
            redis.call('HSET', KEYS[1], 'p', paused)
            local keep = math.ceil((paused - now) / 1000) + 61000
            if redis.call('PTTL', KEYS[1]) < keep then
              redis.call('PEXPIRE', KEYS[1], keep)
            end
            return 1
            """);

    private final RedisStore store;
    private final RateBudget fallback;
    private final LongSupplier nowMicros;

    /**
     * @param fallback the budget used while Redis is gone (the in-process engine), at each replica's share
     */
    public RedisRateBudget(RedisStore store, RateBudget fallback) {
        this(store, fallback, null);
    }

    /** With a clock of its own for the scripts instead of Redis's ({@code null}: Redis's), so tests can move it. */
    RedisRateBudget(RedisStore store, RateBudget fallback, LongSupplier nowMicros) {
        this.store = Objects.requireNonNull(store, "store");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.nowMicros = nowMicros;
    }

    @Override
    public CompletionStage<Decision> take(String name, int perMinute) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("perMinute must be 0 (no limit) or more");
        }
        CompletableFuture<Response> answer;
        try {
            answer = store.eval("budget_take", TAKE, List.of(key(name)), List.of(Integer.toString(perMinute), now()));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer
                .thenApply(RedisRateBudget::decision)
                .exceptionallyCompose(unavailable -> fallback.take(name, share(perMinute)));
    }

    @Override
    public void pause(String name, Duration duration) {
        fallback.pause(name, duration);
        try {
            store.eval("budget_pause", PAUSE, List.of(key(name)),
                            List.of(Long.toString(Math.max(0, duration.toMillis())), now()))
                    .exceptionally(unavailable -> null);
        } catch (RuntimeException unavailable) {
            // paused on this replica at least
        }
    }

    /** This replica's share of {@code perMinute} while Redis is gone: at least 1 a minute, unless there is no limit. */
    int share(int perMinute) {
        return perMinute == 0 ? 0 : Math.max(1, perMinute / store.budgetShareOf());
    }

    private String key(String name) {
        return store.key("budget", name);
    }

    private String now() {
        return nowMicros == null ? "" : Long.toString(nowMicros.getAsLong());
    }

    private static Decision decision(Response answer) {
        if (answer.get(0).toInteger() == 1) {
            return Decision.GRANTED;
        }
        long waitMicros = answer.get(1).toLong();
        return Decision.refused((waitMicros + MICROS_PER_SECOND - 1) / MICROS_PER_SECOND);
    }
}
