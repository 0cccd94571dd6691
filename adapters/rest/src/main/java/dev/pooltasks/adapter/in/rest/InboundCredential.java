package dev.pooltasks.adapter.in.rest;

import java.util.Objects;
import java.util.Set;

/**
 * A credential callers may use: an access key (its secret key verifies AK/SK signatures) or a static token.
 * {@link #toString()} never shows the secret.
 *
 * @param id                the access key id, or the token's name
 * @param secret            the secret key, or the token itself
 * @param projects          project ids (federation aliases included) it may read; "*" for all
 * @param requestsPerMinute requests allowed per minute; 0 for no limit
 */
public record InboundCredential(String id, String secret, Set<String> projects, int requestsPerMinute) {
    public InboundCredential {
        Objects.requireNonNull(id, "id");
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("credential " + id + " has no secret");
        }
        projects = Set.copyOf(projects);
        if (requestsPerMinute < 0) {
            throw new IllegalArgumentException("credential " + id + ": rate limit must be >= 0");
        }
    }

    @Override
    public String toString() {
        return "InboundCredential[id=" + id + ", projects=" + projects + ", requestsPerMinute=" + requestsPerMinute + "]";
    }
}
