package dev.pooltasks.domain.port.out;

import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.query.TaskQuery;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Keeps copies of task sources' answers for a while, so that repeated queries cost the source nothing, and lets only
 * one load per key run at a time (single flight). An implementation is configured with how long a copy is fresh and
 * how long it is kept after that (for serving stale copies when a source fails), and bounds what it holds. Tiers can
 * be stacked: a cache's loader may be the next tier's {@link #get}.
 */
public interface PageCache {

    /**
     * A fresh copy of the answer for {@code key} if this cache holds one; otherwise the loader's answer, kept unless it
     * fails. While a load for a key is under way, other lookups of that key wait for it rather than load again.
     * Freshness counts from the copy's {@link Copy#fetchedAtMillis()}, so a copy from a lower tier is fresh only for
     * what is left of its time. A loader that throws counts as a failed load; the failure is the stage's, never thrown.
     */
    CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader);

    /**
     * The fresh copy this cache holds for {@code key}, if it can tell at once (a cache in this process); null when it
     * holds none, only a load in flight, or cannot tell without a round trip (the default). Counts as a hit.
     */
    default Copy freshCopy(Key key) {
        return null;
    }

    /** The newest copy kept for {@code key}, fresh or not, if any: served when a load fails. */
    CompletionStage<Optional<Copy>> lastCopy(Key key);

    /**
     * What a copy is of: one task source's answer to one query, for one caller token where the source is called with
     * the caller's own token (null otherwise, so that all callers share the copy). {@link #toString()} hides the token.
     */
    record Key(String source, TaskQuery query, String callerToken) {
        public Key {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(query, "query");
        }

        @Override
        public String toString() {
            return "Key[source=" + source + ", query=" + query + (callerToken == null ? "" : ", callerToken=<redacted>")
                    + "]";
        }
    }

    /**
     * A source's answer and when the source gave it, in epoch milliseconds of the wall clock (copies may be shared
     * between replicas, whose monotonic clocks do not compare).
     */
    record Copy(TaskPage page, long fetchedAtMillis) {
        public Copy {
            Objects.requireNonNull(page, "page");
        }
    }

    /**
     * A copy and whether the lookup was answered without running its own loader ({@code hit}): from a copy this cache
     * holds, or from a load another lookup had started.
     */
    record Lookup(Copy copy, boolean hit) {
        public Lookup {
            Objects.requireNonNull(copy, "copy");
        }
    }
}
