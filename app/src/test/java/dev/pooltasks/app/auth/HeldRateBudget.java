package dev.pooltasks.app.auth;

import dev.pooltasks.domain.port.out.RateBudget;
import io.vertx.core.Context;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A rate budget that answers only when a test says so, as a budget in another process (Redis) answers after a round
 * trip; it records which thread asked. Enabled only by {@link CallerAuthenticationIsNonBlockingTest}'s profile.
 */
@Alternative
@Singleton
public class HeldRateBudget implements RateBudget {

    /** One {@link #take} call: what was asked, on which thread, and the answer the test completes. */
    public record Take(String name, int perMinute, String thread, boolean onEventLoop,
                       CompletableFuture<Decision> answer) {
    }

    final BlockingQueue<Take> takes = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<Decision> take(String name, int perMinute) {
        Take take = new Take(name, perMinute, Thread.currentThread().getName(), Context.isOnEventLoopThread(),
                new CompletableFuture<>());
        takes.add(take);
        return take.answer();
    }

    @Override
    public void pause(String name, Duration duration) {
        throw new UnsupportedOperationException("callers' budgets are never paused");
    }
}
