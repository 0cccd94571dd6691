package dev.pooltasks.domain.service;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

class FuturesTest {

    @Test
    void aFailureThroughAChainOfStagesIsTheOneThatFailedTheFirst() {
        IllegalStateException first = new IllegalStateException("upstream down");
        CompletableFuture<Object> chain = CompletableFuture.failedFuture(first)
                .thenApply(value -> value)
                .thenCompose(CompletableFuture::completedFuture);

        Throwable seen = chain.handle((value, failure) -> failure).join();

        assertThat(seen).isInstanceOf(CompletionException.class);
        assertThat(Futures.cause(seen)).isSameAs(first);
        assertThat(Futures.cause(new CompletionException(new CompletionException(first)))).isSameAs(first);
    }

    @Test
    void otherFailuresAndAnEmptyWrapperAreThemselves() {
        IllegalStateException plain = new IllegalStateException("plain");
        ExecutionException blocking = new ExecutionException(plain);
        CompletionException empty = new CompletionException("no cause", null);

        assertThat(Futures.cause(plain)).isSameAs(plain);
        assertThat(Futures.cause(blocking)).isSameAs(blocking);
        assertThat(Futures.cause(empty)).isSameAs(empty);
    }
}
