package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.domain.port.out.RateBudget;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A rate budget that grants every token, except for names it was told to refuse, and remembers pauses. */
final class FakeRateBudget implements RateBudget {
    final Map<String, Long> refusing = new ConcurrentHashMap<>();
    final List<String> pauses = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Decision> take(String name, int perMinute) {
        Long retryAfter = refusing.get(name);
        return CompletableFuture.completedFuture(retryAfter == null ? Decision.GRANTED : Decision.refused(retryAfter));
    }

    @Override
    public void pause(String name, Duration duration) {
        pauses.add(name + " " + duration);
    }
}
