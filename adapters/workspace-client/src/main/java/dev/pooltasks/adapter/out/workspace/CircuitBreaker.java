package dev.pooltasks.adapter.out.workspace;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Opens after {@code failureThreshold} consecutive failures; while open, calls fail fast. After {@code openDuration}
 * one probe call is let through (half-open): its success closes the circuit, its failure opens it again.
 */
final class CircuitBreaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final long openNanos;
    private final LongSupplier nanoClock;
    private int consecutiveFailures;
    private long openedAt;
    private State state = State.CLOSED;
    private boolean probeInFlight;

    CircuitBreaker(int failureThreshold, Duration openDuration, LongSupplier nanoClock) {
        this.failureThreshold = failureThreshold;
        this.openNanos = openDuration.toNanos();
        this.nanoClock = nanoClock;
    }

    synchronized boolean tryAcquire() {
        if (state == State.OPEN && nanoClock.getAsLong() - openedAt >= openNanos) {
            state = State.HALF_OPEN;
            probeInFlight = false;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (probeInFlight) {
                    yield false;
                }
                probeInFlight = true;
                yield true;
            }
        };
    }

    synchronized void onSuccess() {
        consecutiveFailures = 0;
        state = State.CLOSED;
        probeInFlight = false;
    }

    synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || consecutiveFailures >= failureThreshold) {
            state = State.OPEN;
            openedAt = nanoClock.getAsLong();
            probeInFlight = false;
        }
    }

    /** A call that ended without telling anything about the upstream's health (a 4xx, say). */
    synchronized void onNeutral() {
        probeInFlight = false;
    }

    synchronized State state() {
        if (state == State.OPEN && nanoClock.getAsLong() - openedAt >= openNanos) {
            return State.HALF_OPEN;
        }
        return state;
    }
}
