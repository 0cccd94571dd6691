package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.PageCache;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The page cache tier that replicas share: copies in Redis under {@code <prefix>:page:<digest>}, encoded by
 * {@link PageCodec}, single flight across replicas and kept for serving stale as {@link SharedCopies} keeps them.
 * Meant behind the in-process tier, whose single flight sends at most one lookup per key from each replica here.
 */
public final class RedisPageCache implements PageCache {
    private static final SharedCopies.Kind<Key, Copy> PAGES = new SharedCopies.Kind<>("page", CopyKeys::digest,
            PageCodec::encode, PageCodec::decode, Copy::fetchedAtMillis);

    private final SharedCopies<Key, Copy> copies;

    /**
     * @param ttl              how long after it was fetched a copy is fresh
     * @param keepAfterTtl     how long a copy is kept after that, for {@link #lastCopy}
     * @param singleFlightWait how long a lookup waits for another replica's load of the same key
     * @param clock            the wall clock copies are stamped and aged with (replicas' clocks should agree)
     */
    public RedisPageCache(RedisStore store, Duration ttl, Duration keepAfterTtl, Duration singleFlightWait, Clock clock) {
        this.copies = new SharedCopies<>(store, PAGES, ttl, keepAfterTtl, singleFlightWait, clock);
    }

    @Override
    public CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader) {
        return copies.get(key, loader).thenApply(found -> new Lookup(found.copy(), found.hit()));
    }

    @Override
    public CompletionStage<Optional<Copy>> lastCopy(Key key) {
        return copies.lastCopy(key);
    }
}
