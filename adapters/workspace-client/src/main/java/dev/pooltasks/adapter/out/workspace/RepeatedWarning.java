package dev.pooltasks.adapter.out.workspace;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One warning's pace: the first time at once, then at most once per {@code interval}, saying how many times it
 * recurred unlogged since. A condition that lasts (an upstream refusing this gateway's credentials) would otherwise log
 * a line per request. Hand-written: JBoss Logging, which Quarkus logs through, has no rate-limited logger, and a
 * log-level filter could not count what it drops.
 */
final class RepeatedWarning {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    /** When the warning may be logged again; Long.MIN_VALUE before the first time. */
    private final AtomicLong nextAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong unlogged = new AtomicLong();

    RepeatedWarning(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The line to log for this occurrence of {@code message}, or null when it is to be counted only. */
    String occurred(String message) {
        long now = nanoTime.getAsLong();
        long next = nextAt.get();
        if ((next != Long.MIN_VALUE && now - next < 0) || !nextAt.compareAndSet(next, now + intervalNanos)) {
            unlogged.incrementAndGet();
            return null;
        }
        long since = unlogged.getAndSet(0);
        if (since == 0) {
            return message;
        }
        String times = since + " more time" + (since == 1 ? "" : "s");
        // Before the first line, only occurrences racing it can have been counted.
        return message + " (" + times + (next == Long.MIN_VALUE ? " at once)" : " since the last warning)");
    }
}
