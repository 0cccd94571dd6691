package dev.pooltasks.adapter.out.workspace;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One named upstream that speaks this API: a Huawei Cloud Workspace region or another pooltasks.
 *
 * @param baseUri            {@code http://} or {@code https://} base URL; a path in it is kept as a prefix
 * @param projectRewrites    our project id → the upstream's project id, for the projects routed to this upstream
 * @param deadline           total time allowed for one call, retry included, body included
 * @param requestsPerMinute  calls allowed per minute; 0 for no limit
 * @param circuit            when the circuit opens and how it recovers
 * @param maxConcurrentCalls the bulkhead: calls in flight at once, and the largest connection pool of each event loop
 * @param maxAnswerBytes     the largest answer body read; a larger one is a failure, read no further
 * @param trustedOrder       whether the upstream lists tasks in API order; if not, federations sort its tasks locally
 */
public record UpstreamSettings(
        String name,
        URI baseUri,
        Map<String, String> projectRewrites,
        OutboundAuth auth,
        Duration deadline,
        int requestsPerMinute,
        boolean retry,
        Duration retryBackoff,
        Circuit circuit,
        int maxConcurrentCalls,
        int maxAnswerBytes,
        boolean trustedOrder) {

    public UpstreamSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUri, "baseUri");
        String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || baseUri.getHost() == null) {
            throw new IllegalArgumentException("upstream " + name + ": url must be http:// or https:// with a host");
        }
        projectRewrites = Map.copyOf(projectRewrites);
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(circuit, "circuit");
        if (deadline.isZero() || deadline.isNegative()) {
            throw new IllegalArgumentException("upstream " + name + ": deadline must be positive");
        }
        if (requestsPerMinute < 0 || maxConcurrentCalls < 1 || maxAnswerBytes < 1) {
            throw new IllegalArgumentException("upstream " + name
                    + ": rate limit must be >= 0, max concurrent calls and max answer size >= 1");
        }
    }

    /** The upstream's id for one of our project ids (the same id unless rewritten). */
    public String upstreamProjectId(String projectId) {
        return projectRewrites.getOrDefault(projectId, projectId);
    }

    /**
     * The circuit breaker of an upstream: it opens when at least {@code failureRatePercent} of the last
     * {@code windowSize} calls failed (once {@code minimumCalls} have been made), fails fast for {@code openDuration},
     * then lets {@code halfOpenProbes} calls through, whose failure rate closes or reopens it.
     */
    public record Circuit(int failureRatePercent, int windowSize, int minimumCalls, Duration openDuration,
                          int halfOpenProbes) {
        public Circuit {
            if (failureRatePercent < 1 || failureRatePercent > 100) {
                throw new IllegalArgumentException("circuit breaker failure rate threshold must be 1..100 (percent)");
            }
            if (windowSize < 1 || minimumCalls < 1 || minimumCalls > windowSize || halfOpenProbes < 1) {
                throw new IllegalArgumentException("circuit breaker window size, minimum calls and half-open probes "
                        + "must be >= 1, and minimum calls at most the window size");
            }
            if (openDuration.isZero() || openDuration.isNegative()) {
                throw new IllegalArgumentException("circuit breaker open duration must be positive");
            }
        }
    }
}
