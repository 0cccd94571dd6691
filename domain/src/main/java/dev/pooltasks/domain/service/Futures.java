package dev.pooltasks.domain.service;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** What the services need of {@link java.util.concurrent.CompletableFuture}'s failures, written once. */
final class Futures {
    private Futures() {
    }

    /**
     * The failure a stage's {@link CompletionException} wraps (however deeply a chain of stages wrapped it), or the
     * failure itself: the exception that callers and the failure policies look at.
     */
    static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The stage a call returns, or a failed one if the call throws instead: a port's failure is always a stage's. */
    static <T> CompletableFuture<T> attempt(Supplier<CompletionStage<T>> call) {
        try {
            return call.get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
