package dev.pooltasks.aksk;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * Remembers accepted signatures until the request they came from can no longer pass the clock-skew check, so that a
 * captured request cannot be sent a second time. Bounded and thread-safe; expired entries are evicted on every call.
 * When it holds {@code capacity} unexpired signatures it refuses new ones ({@link Outcome#FULL}) rather than forget a
 * signature that could still be replayed.
 *
 * <p>Memory: about 200 bytes per entry, so the default capacity (100 000) costs about 20 MB at worst. With a 15 minute
 * skew a signature stays for up to 30 minutes (a request dated 15 minutes ahead is accepted now and could be replayed
 * until 15 minutes after its date), so the default covers a sustained ~55 accepted requests per second.
 */
public final class ReplayGuard {
    public static final int DEFAULT_CAPACITY = 100_000;

    /** Result of {@link #register}. */
    public enum Outcome {
        /** Not seen before (or its earlier entry has expired); now remembered. */
        FIRST_USE,
        /** Seen before and still remembered. */
        REPLAYED,
        /** Not seen before, but the guard is full of unexpired entries; not remembered. */
        FULL
    }

    private record Entry(String signature, Instant expiresAt) {
    }

    private final int capacity;
    private final Map<String, Instant> seen = new HashMap<>();
    private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>(Comparator.comparing(Entry::expiresAt));

    public ReplayGuard() {
        this(DEFAULT_CAPACITY);
    }

    public ReplayGuard(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    /**
     * Records a signature that must not be accepted again until {@code expiresAt}.
     *
     * @param signature the signature (any unique string)
     * @param expiresAt the last instant at which the request could still be accepted
     * @param now       the current time, used to evict entries whose {@code expiresAt} is before it
     */
    public synchronized Outcome register(String signature, Instant expiresAt, Instant now) {
        Objects.requireNonNull(signature, "signature");
        Objects.requireNonNull(expiresAt, "expiresAt");
        evictExpired(Objects.requireNonNull(now, "now"));
        if (seen.containsKey(signature)) {
            return Outcome.REPLAYED;
        }
        if (expiresAt.isBefore(now)) {
            return Outcome.FIRST_USE; // can no longer be accepted anyway: nothing to remember
        }
        if (seen.size() >= capacity) {
            return Outcome.FULL;
        }
        seen.put(signature, expiresAt);
        byExpiry.add(new Entry(signature, expiresAt));
        return Outcome.FIRST_USE;
    }

    /** The number of signatures still remembered at {@code now} (evicts the expired ones first). */
    public synchronized int size(Instant now) {
        evictExpired(now);
        return seen.size();
    }

    private void evictExpired(Instant now) {
        while (!byExpiry.isEmpty() && byExpiry.peek().expiresAt().isBefore(now)) {
            seen.remove(byExpiry.poll().signature());
        }
    }

    @Override
    public synchronized String toString() {
        return "ReplayGuard[capacity=" + capacity + ", entries=" + seen.size() + "]";
    }
}
