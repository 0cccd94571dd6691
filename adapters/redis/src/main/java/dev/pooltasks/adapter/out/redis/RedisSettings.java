package dev.pooltasks.adapter.out.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach Redis and how long to wait for it.
 *
 * @param url            {@code redis://[[user]:password@]host[:port][/database]} (or {@code rediss://} for TLS)
 * @param keyPrefix      the first part of every key (one per deployment, so deployments sharing a Redis stay apart)
 * @param deadline       the most any one call may take before the service goes on without Redis
 * @param maxConnections connections to Redis at most; calls wait for one within their deadline
 * @param openDuration   how long the circuit stays open (calls fail fast, nothing is sent) before probing Redis again
 * @param replicas       the number of replicas sharing budgets, for each replica's share while Redis is gone; 0 to
 *                       use the number seen recently through heartbeats
 * @param heartbeat      how often this replica says it is alive; a replica silent for three of these is not counted
 */
public record RedisSettings(String url, String keyPrefix, Duration deadline, int maxConnections,
                            Duration openDuration, int replicas, Duration heartbeat) {
    public RedisSettings {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // Not e's message: it quotes the URL, which may hold a password.
            throw new IllegalArgumentException("pooltasks.redis.url is not a URL (not shown: it may hold a password); "
                    + "it must look like redis://host:6379, its password URL-encoded");
        }
        if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("pooltasks.redis.url must look like redis://host:6379");
        }
        if (keyPrefix == null || !keyPrefix.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw new IllegalArgumentException("pooltasks.redis.key-prefix must be 1-64 characters of A-Z a-z 0-9 . _ : -");
        }
        if (deadline.toMillis() < 1) {
            throw new IllegalArgumentException("pooltasks.redis.deadline must be at least 1 ms");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("pooltasks.redis.max-connections must be at least 1");
        }
        if (openDuration.toMillis() < 1 || heartbeat.toMillis() < 1) {
            throw new IllegalArgumentException("pooltasks.redis.open-duration and heartbeat must be at least 1 ms");
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("pooltasks.redis.replicas must not be negative");
        }
    }

    /** Where Redis is, without credentials: safe to log. */
    public String endpoint() {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }
}
