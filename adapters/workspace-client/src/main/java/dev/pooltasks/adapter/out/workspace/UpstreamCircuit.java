package dev.pooltasks.adapter.out.workspace;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The circuit of one upstream: resilience4j's {@link CircuitBreaker} (a count-based window of call outcomes, a failure
 * rate threshold, an open duration, a number of half-open probes; its clock the application's), plus one guard it
 * lacks: an outcome counts only in the state that admitted its call. resilience4j records an outcome in whatever state
 * the breaker is in when it arrives, so a slow success admitted while CLOSED that lands in HALF_OPEN would count as a
 * probe and could close the circuit. Each permit therefore carries the number of state transitions seen when it was
 * granted, and outcomes of permits granted before the latest transition are dropped. All calls into the breaker are
 * made under this object's lock, so that a transition cannot slip between that check and the recording.
 *
 * <p>Answers the upstream gave on its own account (its 4xx) are neither successes nor failures ({@link #neutral}):
 * resilience4j ignores them and gives a half-open probe slot back.
 */
final class UpstreamCircuit {
    /** The right to make one call, granted in the breaker state numbered {@code generation}. */
    record Permit(long generation) {
    }

    /** What {@link #neutral} records: resilience4j counts it as an ignored call. */
    private static final class NeutralOutcome extends RuntimeException {
        private static final NeutralOutcome INSTANCE = new NeutralOutcome();

        private NeutralOutcome() {
            super("an answer on the upstream's own account", null, false, false);
        }
    }

    private final CircuitBreaker breaker;
    private final Clock clock;
    private final UpstreamSettings.Circuit settings;
    private long generation;
    private Instant openUntil = Instant.MIN;

    UpstreamCircuit(String name, UpstreamSettings.Circuit settings, Clock clock, CircuitBreakerRegistry registry) {
        this.clock = clock;
        this.settings = settings;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.windowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openDuration())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenProbes())
                .ignoreExceptions(NeutralOutcome.class)
                .writableStackTraceEnabled(false)
                .clock(clock)
                .build();
        this.breaker = registry.circuitBreaker(name, config);
        // Published synchronously by the breaker, inside the calls below, under this object's lock.
        breaker.getEventPublisher().onStateTransition(event -> transitioned(event.getStateTransition().getToState()));
    }

    /** A permit for one call, or null while the circuit is open (or its half-open probes are all out). */
    synchronized Permit tryAcquire() {
        return breaker.tryAcquirePermission() ? new Permit(generation) : null;
    }

    /** The call was not made after all (bulkhead full, rate budget spent): gives a half-open probe slot back. */
    synchronized void release(Permit permit) {
        if (permit.generation() == generation) {
            breaker.releasePermission();
        }
    }

    synchronized void succeeded(Permit permit, long nanos) {
        if (permit.generation() == generation) {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The upstream answered on its own account (a 4xx): neither a success nor a failure. */
    synchronized void neutral(Permit permit, long nanos) {
        if (permit.generation() == generation) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, NeutralOutcome.INSTANCE);
        }
    }

    /** The call failed with {@code outcome}: the upstream was down, slow, or answered what it should not have. */
    synchronized void failed(Permit permit, long nanos, Throwable outcome) {
        if (permit.generation() == generation) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, outcome);
        }
    }

    /**
     * CLOSED, OPEN or HALF_OPEN. An open circuit whose open duration has passed reads HALF_OPEN: resilience4j moves
     * it there only when the next call asks, and until then it is ready for a probe.
     */
    synchronized CircuitBreaker.State state() {
        CircuitBreaker.State state = breaker.getState();
        if (state == CircuitBreaker.State.OPEN && !clock.instant().isBefore(openUntil)) {
            return CircuitBreaker.State.HALF_OPEN;
        }
        return state;
    }

    private void transitioned(CircuitBreaker.State to) {
        generation++;
        if (to == CircuitBreaker.State.OPEN) {
            openUntil = clock.instant().plus(settings.openDuration());
        }
    }
}
