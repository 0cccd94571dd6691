package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.RateBudget;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fallback budget that stands in for the in-process engine with its clock stopped: bucket {@code name} grants the
 * {@code perMinute} it is first asked for and no more; a paused name grants nothing. Records what it was asked.
 */
final class CountingBudget implements RateBudget {
    final List<String> asked = new CopyOnWriteArrayList<>();
    final Map<String, Duration> pauses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> taken = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Decision> take(String name, int perMinute) {
        asked.add(name + " " + perMinute);
        if (pauses.containsKey(name)) {
            return CompletableFuture.completedFuture(Decision.refused(pauses.get(name).toSeconds()));
        }
        int count = taken.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        return CompletableFuture.completedFuture(perMinute == 0 || count <= perMinute ? Decision.GRANTED
                : Decision.refused(60));
    }

    @Override
    public void pause(String name, Duration duration) {
        pauses.put(name, duration);
    }
}
