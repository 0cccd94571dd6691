package dev.pooltasks.domain.port.out;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Rate budgets: token buckets by name, each holding at most a minute's worth of tokens and refilled continuously, and
 * pauses during which a bucket gives nothing (an upstream's {@code Retry-After}). Used for the calls to each upstream
 * and for the requests of each caller credential. Where the buckets live is the implementation's business: in this
 * process, or in a store that all replicas share.
 */
public interface RateBudget {

    /**
     * Takes one token from bucket {@code name}, which holds up to {@code perMinute} tokens and gains {@code perMinute}
     * a minute. Never blocks the calling thread.
     *
     * @param perMinute the bucket's rate; 0 means no limit (only pauses apply)
     */
    CompletionStage<Decision> take(String name, int perMinute);

    /** No token from bucket {@code name} for {@code duration} from now; a longer pause already set stays. */
    void pause(String name, Duration duration);

    /**
     * Whether a token was taken, and if not, how long until one may be.
     *
     * @param retryAfterSeconds whole seconds until a token may be available, at least 1; 0 when granted
     */
    record Decision(boolean granted, long retryAfterSeconds) {
        public static final Decision GRANTED = new Decision(true, 0);

        public Decision {
            if (!granted && retryAfterSeconds < 1) {
                throw new IllegalArgumentException("a refusal says when to retry: at least 1 second");
            }
        }

        public static Decision refused(long retryAfterSeconds) {
            return new Decision(false, Math.max(1, retryAfterSeconds));
        }
    }
}
