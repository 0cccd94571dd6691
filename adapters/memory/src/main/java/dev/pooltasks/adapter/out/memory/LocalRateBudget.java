package dev.pooltasks.adapter.out.memory;

import dev.pooltasks.domain.port.out.RateBudget;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rate budgets held in this process: a Bucket4j token bucket per name (a minute's worth of tokens at most, refilled
 * continuously), and a pause per name. Names are few and come from configuration (one per upstream and per caller
 * credential), so the map of buckets is bounded by it. Time comes from the given clock, so tests can move it.
 */
public final class LocalRateBudget implements RateBudget {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final TimeMeter time;
    private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();

    /** A bucket (absent for no limit) and the instant, in the clock's nanoseconds, until which it is paused. */
    private record Budget(int perMinute, Bucket bucket, AtomicLong pausedUntil) {
    }

    public LocalRateBudget(Clock clock) {
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanos(clock);
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    @Override
    public CompletionStage<Decision> take(String name, int perMinute) {
        return CompletableFuture.completedFuture(takeNow(name, perMinute));
    }

    /** {@link #take} without the future, for callers in this process that want the answer at once. */
    public Decision takeNow(String name, int perMinute) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("perMinute must be 0 (no limit) or more");
        }
        Budget budget = budget(name, perMinute);
        long pausedFor = budget.pausedUntil().get() - time.currentTimeNanos();
        if (pausedFor > 0) {
            return Decision.refused(ceilSeconds(pausedFor));
        }
        if (budget.bucket() == null) {
            return Decision.GRANTED;
        }
        ConsumptionProbe probe = budget.bucket().tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Decision.GRANTED : Decision.refused(ceilSeconds(probe.getNanosToWaitForRefill()));
    }

    @Override
    public void pause(String name, Duration duration) {
        Budget budget = budgets.computeIfAbsent(name, ignored -> newBudget(0));
        long until = time.currentTimeNanos() + duration.toNanos();
        budget.pausedUntil().accumulateAndGet(until, Math::max);
    }

    private Budget budget(String name, int perMinute) {
        Budget budget = budgets.computeIfAbsent(name, ignored -> newBudget(perMinute));
        if (budget.perMinute() != perMinute) {
            // The rate of a name changed (or the name was only paused so far): a new bucket, the pause kept.
            Budget current = budget;
            budget = budgets.compute(name, (ignored, old) -> old != current ? old
                    : new Budget(perMinute, bucket(perMinute), old.pausedUntil()));
        }
        return budget;
    }

    private Budget newBudget(int perMinute) {
        return new Budget(perMinute, bucket(perMinute), new AtomicLong(0));
    }

    private Bucket bucket(int perMinute) {
        if (perMinute == 0) {
            return null;
        }
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                .withCustomTimePrecision(time)
                .build();
    }

    private static long ceilSeconds(long nanos) {
        return Math.max(1, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
    }

    private static long nanos(Clock clock) {
        java.time.Instant now = clock.instant();
        return now.getEpochSecond() * NANOS_PER_SECOND + now.getNano();
    }
}
