package dev.pooltasks.domain.service;

import java.util.function.LongSupplier;

/**
 * A token bucket of {@code requestsPerMinute} tokens refilled continuously, so that bursts never exceed a minute's
 * budget; and a pause (an upstream's {@code Retry-After}) during which nothing is let through. Used for the calls to
 * each upstream and for the requests of each caller credential. Thread-safe.
 */
public final class RateLimiter {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int requestsPerMinute;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;
    private long pausedUntil;

    /** @param requestsPerMinute 0 for no limit */
    public RateLimiter(int requestsPerMinute, LongSupplier nanoClock) {
        this.requestsPerMinute = requestsPerMinute;
        this.nanoClock = nanoClock;
        this.tokens = requestsPerMinute;
        this.refilledAt = nanoClock.getAsLong();
        this.pausedUntil = refilledAt;
    }

    /** Takes a token; false when the budget is spent or the upstream asked us to wait. */
    public synchronized boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        if (now - pausedUntil < 0) {
            return false;
        }
        if (requestsPerMinute == 0) {
            return true;
        }
        tokens = Math.min(requestsPerMinute, tokens + (now - refilledAt) * (double) requestsPerMinute / MINUTE_NANOS);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** No call before {@code seconds} from now (an upstream's Retry-After). */
    public synchronized void pauseFor(long seconds) {
        long until = nanoClock.getAsLong() + seconds * 1_000_000_000L;
        if (until - pausedUntil > 0) {
            pausedUntil = until;
        }
    }

    /** Whole seconds until the next call may be made; at least 1. */
    public synchronized long secondsUntilAvailable() {
        long now = nanoClock.getAsLong();
        long pause = Math.max(0, pausedUntil - now);
        long refill = requestsPerMinute == 0 || tokens >= 1 ? 0
                : (long) ((1 - tokens) * MINUTE_NANOS / requestsPerMinute);
        return Math.max(1, (Math.max(pause, refill) + 999_999_999L) / 1_000_000_000L);
    }
}
