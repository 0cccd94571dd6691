package dev.pooltasks.adapter.out.workspace;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One named upstream that speaks this API: a Huawei Cloud Workspace region or another pooltasks.
 *
 * @param projectRewrites our project id → the upstream's project id, for the projects routed to this upstream
 * @param deadline        total time allowed for one call, retry included, body included
 * @param requestsPerMinute calls allowed per minute; 0 for no limit
 * @param trustedOrder    whether the upstream lists tasks in API order; if not, federations sort its tasks locally
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
        int circuitFailureThreshold,
        Duration circuitOpenDuration,
        int maxConcurrentCalls,
        boolean trustedOrder) {

    public UpstreamSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(baseUri, "baseUri");
        projectRewrites = Map.copyOf(projectRewrites);
        Objects.requireNonNull(auth, "auth");
        if (deadline.isZero() || deadline.isNegative()) {
            throw new IllegalArgumentException("upstream " + name + ": deadline must be positive");
        }
        if (requestsPerMinute < 0 || maxConcurrentCalls < 1 || circuitFailureThreshold < 1) {
            throw new IllegalArgumentException("upstream " + name
                    + ": rate limit must be >= 0, max concurrent calls and circuit failure threshold >= 1");
        }
    }

    /** The upstream's id for one of our project ids (the same id unless rewritten). */
    public String upstreamProjectId(String projectId) {
        return projectRewrites.getOrDefault(projectId, projectId);
    }
}
