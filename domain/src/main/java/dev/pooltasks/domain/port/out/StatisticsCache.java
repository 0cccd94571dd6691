package dev.pooltasks.domain.port.out;

import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.query.StatisticsQuery;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Keeps task sources' statistics for a while, so that repeated counts cost the source nothing, and lets only one load
 * per key run at a time (single flight). An implementation is configured with how long a copy is fresh and bounds what
 * it holds. Unlike {@link PageCache}, it keeps no copy past its freshness: a failed count is not answered from an older
 * one. Tiers can be stacked as page caches are: a cache's loader may be the next tier's {@link #get}.
 */
public interface StatisticsCache {

    /**
     * A fresh copy of the statistics for {@code key} if this cache holds one; otherwise the loader's answer, kept unless
     * it fails. While a load for a key is under way, other lookups of that key wait for it rather than load again.
     * Freshness counts from the copy's {@link Copy#fetchedAtMillis()}, so a copy from a lower tier is fresh only for
     * what is left of its time. The lookup is a hit when it was answered without running its own loader. A loader that
     * throws counts as a failed load; the failure is the stage's, never thrown.
     */
    CompletionStage<Lookup> get(Key key, Function<Key, CompletionStage<Copy>> loader);

    /**
     * What a copy is of: one task source's statistics for one query, for one caller token where the source is called
     * with the caller's own token (null otherwise, so that all callers share the copy). {@link #toString()} hides the
     * token.
     */
    record Key(String source, StatisticsQuery query, String callerToken) {
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
     * A source's statistics and when the source gave them, in epoch milliseconds of the wall clock (copies may be
     * shared between replicas, whose monotonic clocks do not compare).
     */
    record Copy(TaskStatistics statistics, long fetchedAtMillis) {
        public Copy {
            Objects.requireNonNull(statistics, "statistics");
        }
    }

    /** A copy and whether the lookup was answered without running its own loader. */
    record Lookup(Copy copy, boolean hit) {
        public Lookup {
            Objects.requireNonNull(copy, "copy");
        }
    }
}
