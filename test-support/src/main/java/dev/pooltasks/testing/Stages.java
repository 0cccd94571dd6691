package dev.pooltasks.testing;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A stage's outcome, waited for in a test: its value, or the failure it completed with. Each wait gives up after 30 s,
 * a guard against a hang, not a timing assertion.
 */
public final class Stages {
    private static final long GUARD_SECONDS = 30;

    private Stages() {
    }

    /** The value {@code stage} completes with; an AssertionError if it fails instead. */
    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("expected a value, got a failure", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw noOutcome(e);
        }
    }

    /**
     * The failure {@code stage} completes with, as {@code get()} reports it (nothing more unwrapped, so a stage that
     * hands out a wrapped failure fails the caller's type assertions); an AssertionError if it succeeds.
     */
    public static Throwable failureOf(CompletionStage<?> stage) {
        Object value;
        try {
            value = stage.toCompletableFuture().get(GUARD_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw noOutcome(e);
        }
        throw new AssertionError("expected a failure, got " + value);
    }

    private static AssertionError noOutcome(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new AssertionError("no outcome (hang guard, not a timing assertion)", e);
    }
}
