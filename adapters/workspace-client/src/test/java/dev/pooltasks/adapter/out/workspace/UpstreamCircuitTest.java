package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.testing.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The circuit of an upstream on a clock that moves only when told: resilience4j plus the admitting-state guard. */
class UpstreamCircuitTest {
    private static final Duration OPEN = Duration.ofSeconds(5);
    private static final long NANOS = 1_000_000;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));

    private UpstreamCircuit circuit(int failureRatePercent, int windowSize, int minimumCalls, int halfOpenProbes) {
        return new UpstreamCircuit("east", new UpstreamSettings.Circuit(failureRatePercent, windowSize, minimumCalls,
                OPEN, halfOpenProbes), clock, CircuitBreakerRegistry.ofDefaults());
    }

    private static void succeed(UpstreamCircuit circuit) {
        circuit.succeeded(permit(circuit), NANOS);
    }

    private static void fail(UpstreamCircuit circuit) {
        circuit.failed(permit(circuit), NANOS, failure());
    }

    private static void reject(UpstreamCircuit circuit) {
        circuit.neutral(permit(circuit), NANOS);
    }

    private static UpstreamCircuit.Permit permit(UpstreamCircuit circuit) {
        UpstreamCircuit.Permit permit = circuit.tryAcquire();
        assertThat(permit).as("a permit in state %s", circuit.state()).isNotNull();
        return permit;
    }

    private static TaskSourceUnavailableException failure() {
        return new TaskSourceUnavailableException("east", "answered HTTP 500");
    }

    private void openIt(UpstreamCircuit circuit, int failures) {
        for (int i = 0; i < failures; i++) {
            fail(circuit);
        }
        assertThat(circuit.state()).isEqualTo(State.OPEN);
    }

    @Test
    void opensWhenTheFailureRateOfTheWindowReachesTheThresholdOnceTheMinimumCallsAreMade() {
        UpstreamCircuit circuit = circuit(50, 4, 4, 1);
        fail(circuit);
        fail(circuit);
        fail(circuit);
        assertThat(circuit.state()).as("3 failures, but fewer calls than the minimum").isEqualTo(State.CLOSED);
        succeed(circuit);
        assertThat(circuit.state()).as("75 %% of 4 calls failed").isEqualTo(State.OPEN);
        assertThat(circuit.tryAcquire()).isNull();
    }

    @Test
    void staysClosedBelowTheThresholdAsTheWindowSlides() {
        UpstreamCircuit circuit = circuit(50, 4, 4, 1);
        for (int round = 0; round < 10; round++) {
            succeed(circuit);
            succeed(circuit);
            fail(circuit);
            succeed(circuit);
        }
        assertThat(circuit.state()).as("every 4 calls in a row: 1 failure").isEqualTo(State.CLOSED);
        fail(circuit);
        assertThat(circuit.state()).as("the last 4: S F S F, 50 %%").isEqualTo(State.OPEN);
    }

    @Test
    void clientErrorsAreNeitherSuccessesNorFailures() {
        UpstreamCircuit circuit = circuit(100, 2, 2, 1);
        for (int i = 0; i < 20; i++) {
            reject(circuit);
        }
        assertThat(circuit.state()).as("4xx do not open it").isEqualTo(State.CLOSED);
        fail(circuit);
        reject(circuit);
        // counted as a success, the 404 would have left the window at 50 % failed
        fail(circuit);
        assertThat(circuit.state()).isEqualTo(State.OPEN);
    }

    @Test
    void anOpenCircuitFailsFastForItsOpenDurationThenReadsHalfOpenUntilProbed() {
        UpstreamCircuit circuit = circuit(100, 2, 2, 1);
        openIt(circuit, 2);
        clock.advance(OPEN.minusMillis(1));
        assertThat(circuit.state()).isEqualTo(State.OPEN);
        assertThat(circuit.tryAcquire()).isNull();

        clock.advance(Duration.ofMillis(2));
        assertThat(circuit.state()).as("ready for a probe, before any call").isEqualTo(State.HALF_OPEN);
        succeed(circuit);
        assertThat(circuit.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void halfOpenAdmitsExactlyTheConfiguredProbes() {
        UpstreamCircuit circuit = circuit(50, 4, 4, 3);
        openIt(circuit, 4);
        clock.advance(OPEN.plusMillis(1));

        List<UpstreamCircuit.Permit> probes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            probes.add(permit(circuit));
        }
        assertThat(circuit.tryAcquire()).as("a fourth call while three probes are out").isNull();
        assertThat(circuit.state()).isEqualTo(State.HALF_OPEN);

        // A probe answered by a 4xx tells nothing: its slot goes to another call.
        circuit.neutral(probes.remove(0), NANOS);
        probes.add(permit(circuit));
        assertThat(circuit.tryAcquire()).isNull();

        circuit.succeeded(probes.get(0), NANOS);
        circuit.succeeded(probes.get(1), NANOS);
        assertThat(circuit.state()).as("two of three probes answered").isEqualTo(State.HALF_OPEN);
        assertThat(circuit.tryAcquire()).isNull();
        circuit.failed(probes.get(2), NANOS, failure());
        assertThat(circuit.state()).as("one failure in three probes is below 50 %%").isEqualTo(State.CLOSED);
    }

    @Test
    void failedProbesReopenTheCircuitForAnotherOpenDuration() {
        UpstreamCircuit circuit = circuit(50, 4, 4, 2);
        openIt(circuit, 4);
        clock.advance(OPEN.plusMillis(1));
        UpstreamCircuit.Permit first = permit(circuit);
        UpstreamCircuit.Permit second = permit(circuit);
        circuit.succeeded(first, NANOS);
        circuit.failed(second, NANOS, failure());

        assertThat(circuit.state()).isEqualTo(State.OPEN);
        clock.advance(OPEN.minusMillis(1));
        assertThat(circuit.tryAcquire()).isNull();
        clock.advance(Duration.ofMillis(2));
        assertThat(circuit.tryAcquire()).isNotNull();
    }

    @Test
    void aLateSuccessCannotCloseAnOpenOrHalfOpenCircuit() {
        UpstreamCircuit circuit = circuit(100, 2, 2, 1);
        UpstreamCircuit.Permit slow = permit(circuit); // admitted while closed, answering late
        UpstreamCircuit.Permit slower = permit(circuit);
        openIt(circuit, 2);

        circuit.succeeded(slow, NANOS);
        assertThat(circuit.state()).isEqualTo(State.OPEN);
        assertThat(circuit.tryAcquire()).isNull();

        clock.advance(OPEN.plusMillis(1));
        UpstreamCircuit.Permit probe = permit(circuit);
        circuit.succeeded(slower, NANOS);
        assertThat(circuit.state()).as("a success admitted while closed is not the probe's").isEqualTo(State.HALF_OPEN);
        assertThat(circuit.tryAcquire()).as("the one probe is still out").isNull();
        circuit.failed(probe, NANOS, failure());
        assertThat(circuit.state()).isEqualTo(State.OPEN);
    }

    /** Why the guard exists: resilience4j on its own takes a late success for a probe's. */
    @Test
    void resilience4jAloneCountsALateSuccessAsAProbe() {
        CircuitBreaker breaker = CircuitBreakerRegistry.ofDefaults()
                .circuitBreaker("bare", CircuitBreakerConfig.custom()
                        .slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(100)
                        .waitDurationInOpenState(OPEN).permittedNumberOfCallsInHalfOpenState(1).clock(clock).build());
        assertThat(breaker.tryAcquirePermission()).isTrue(); // the slow call, admitted while closed
        breaker.onError(NANOS, TimeUnit.NANOSECONDS, failure());
        breaker.onError(NANOS, TimeUnit.NANOSECONDS, failure());
        clock.advance(OPEN.plusMillis(1));
        assertThat(breaker.tryAcquirePermission()).isTrue(); // the probe
        breaker.onSuccess(NANOS, TimeUnit.NANOSECONDS); // but it is the slow call that answers
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void lateOutcomesOfCallsAdmittedBeforeATransitionDoNotCount() {
        UpstreamCircuit circuit = circuit(100, 2, 2, 1);
        UpstreamCircuit.Permit first = permit(circuit);
        UpstreamCircuit.Permit second = permit(circuit);
        openIt(circuit, 2);
        clock.advance(OPEN.plusMillis(1));
        succeed(circuit); // the probe closes it
        assertThat(circuit.state()).isEqualTo(State.CLOSED);

        // Two failures admitted before the circuit opened arrive now: they would fill the new window and reopen it.
        circuit.failed(first, NANOS, failure());
        circuit.failed(second, NANOS, failure());
        assertThat(circuit.state()).isEqualTo(State.CLOSED);

        // Failures of calls admitted in this state count as usual.
        openIt(circuit, 2);
    }
}
