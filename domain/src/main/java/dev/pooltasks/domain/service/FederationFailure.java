package dev.pooltasks.domain.service;

import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;

import java.util.Map;
import java.util.StringJoiner;

/**
 * What a federation's answer fails with when failed members leave it unanswerable. A refusal the caller can act on is
 * passed on as a single upstream's route passes it on, instead of calling the federation unavailable:
 * <ul>
 *   <li>every failed member refused the caller's credentials with the same status (401 or 403, as a pass-through
 *       member does with an expired token): that status and the first such member's body;</li>
 *   <li>every failed member was rate limited, by its upstream (429) or by the rate limit configured here: 429 naming
 *       them, to be retried after the longest pause any of them asked for.</li>
 * </ul>
 * Anything else (down, too slow, circuit open, malformed, a refusal of this service's own credentials, or another 4xx,
 * which says a member is misconfigured rather than anything about the caller) makes the federation unavailable, naming
 * the failed members and saying why each failed.
 */
final class FederationFailure {
    private FederationFailure() {
    }

    /** @param failures each failed member's name and failure, in member order */
    static RuntimeException of(String alias, Map<String, Throwable> failures) {
        TaskSourceRejectedException refused = null;
        boolean sameRefusal = true;
        boolean allRateLimited = true;
        long retryAfterSeconds = -1;
        // why each failed, as a single upstream's route tells it: task sources' messages are written for callers,
        // anything else (a bug) is only named
        StringJoiner reasons = new StringJoiner("; ", " (", ")").setEmptyValue("");
        for (Throwable failure : failures.values()) {
            Throwable cause = Futures.cause(failure);
            if (cause instanceof TaskSourceRejectedException || cause instanceof TaskSourceThrottledException
                    || cause instanceof TaskSourceUnavailableException) {
                reasons.add(cause.getMessage());
            }
            if (cause instanceof TaskSourceRejectedException rejected) {
                boolean credentials = rejected.httpStatus() == 401 || rejected.httpStatus() == 403;
                sameRefusal &= credentials && (refused == null || refused.httpStatus() == rejected.httpStatus());
                if (refused == null) {
                    refused = rejected;
                }
                allRateLimited &= rejected.isRateLimit();
                retryAfterSeconds = Math.max(retryAfterSeconds, rejected.retryAfterSeconds());
            } else if (cause instanceof TaskSourceThrottledException throttled) {
                sameRefusal = false;
                retryAfterSeconds = Math.max(retryAfterSeconds, throttled.retryAfterSeconds());
            } else {
                sameRefusal = false;
                allRateLimited = false;
            }
        }
        String sources = String.join(",", failures.keySet());
        if (sameRefusal && refused != null) {
            return new TaskSourceRejectedException(sources, refused.httpStatus(), refused.body(), -1);
        }
        if (allRateLimited && !failures.isEmpty()) {
            // an upstream's 429 without Retry-After: a second, the shortest pause a caller can be told
            return new TaskSourceThrottledException(sources, Math.max(1, retryAfterSeconds));
        }
        return new TaskSourceUnavailableException(failures.keySet(), "federation " + alias + ": upstream(s) "
                + String.join(", ", failures.keySet()) + " unavailable" + reasons);
    }
}
