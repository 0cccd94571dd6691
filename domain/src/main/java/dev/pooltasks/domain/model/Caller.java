package dev.pooltasks.domain.model;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking: the credential that authenticated the request, the projects it may read, and the caller's own IAM
 * token where it sent one (some upstreams are called with it). {@link #toString()} never shows the token.
 *
 * @param principal        the access key id or token name that authenticated the caller; "anonymous" without
 *                         authentication
 * @param token            the caller's X-Auth-Token, or null
 * @param readableProjects project ids (federation aliases included) the caller may read; {@value #ANY_PROJECT} for all
 */
public record Caller(String principal, String token, Set<String> readableProjects) {
    public static final String ANY_PROJECT = "*";
    public static final Caller ANONYMOUS = anonymous(null);

    public Caller {
        Objects.requireNonNull(principal, "principal");
        readableProjects = Set.copyOf(readableProjects);
    }

    /** A caller when authentication is off: may read every project. */
    public static Caller anonymous(String token) {
        return new Caller("anonymous", token, Set.of(ANY_PROJECT));
    }

    public boolean mayRead(String projectId) {
        return readableProjects.contains(ANY_PROJECT) || readableProjects.contains(projectId);
    }

    @Override
    public String toString() {
        return "Caller[principal=" + principal + (token == null ? "" : ", token=<redacted>")
                + ", projects=" + readableProjects + "]";
    }
}
