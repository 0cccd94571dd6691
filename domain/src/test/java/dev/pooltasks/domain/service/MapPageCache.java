package dev.pooltasks.domain.service;

import dev.pooltasks.domain.port.out.PageCache;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A page cache for testing the policy around caches: a plain map of copies, fresh for {@code ttl} on the test's clock,
 * keeping the newest copy of each key until a test removes it. No single flight and no bound (those are the real
 * cache's, tested in adapters/memory). It records the keys looked up and can be made to fail like a store that is down.
 */
final class MapPageCache implements PageCache {
    final List<Key> lookedUp = new CopyOnWriteArrayList<>();
    final List<Key> askedForLastCopy = new CopyOnWriteArrayList<>();
    private final Map<Key, Copy> copies = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;
    private volatile RuntimeException down;

    MapPageCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Every call fails with {@code failure} (a stage that fails), or works again with null. */
    MapPageCache down(RuntimeException failure) {
        down = failure;
        return this;
    }

    Map<Key, Copy> copies() {
        return copies;
    }

    void keep(Key key, Copy copy) {
        copies.put(key, copy);
    }

    @Override
    public CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader) {
        lookedUp.add(key);
        if (down != null) {
            return CompletableFuture.failedFuture(down);
        }
        Copy held = copies.get(key);
        if (held != null && clock.millis() - held.fetchedAtMillis() < ttl.toMillis()) {
            return CompletableFuture.completedFuture(new Lookup(held, true));
        }
        return loader.apply(key).thenApply(copy -> {
            copies.merge(key, copy, (old, fresh) -> fresh.fetchedAtMillis() >= old.fetchedAtMillis() ? fresh : old);
            return new Lookup(copy, false);
        });
    }

    @Override
    public Copy freshCopy(Key key) {
        Copy held = down == null ? copies.get(key) : null;
        return held != null && clock.millis() - held.fetchedAtMillis() < ttl.toMillis() ? held : null;
    }

    @Override
    public CompletionStage<Optional<Copy>> lastCopy(Key key) {
        askedForLastCopy.add(key);
        if (down != null) {
            return CompletableFuture.failedFuture(down);
        }
        return CompletableFuture.completedFuture(Optional.ofNullable(copies.get(key)));
    }
}
