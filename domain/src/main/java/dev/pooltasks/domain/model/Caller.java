package dev.pooltasks.domain.model;

/**
 * Who is asking: the credential that authenticated the request, and the caller's own IAM token where it sent one
 * (some upstreams are called with it). {@link #toString()} never shows the token.
 *
 * @param principal the access key or token name that authenticated the caller; "anonymous" without authentication
 * @param token     the caller's X-Auth-Token, or null
 */
public record Caller(String principal, String token) {
    public static final Caller ANONYMOUS = new Caller("anonymous", null);

    public Caller {
        java.util.Objects.requireNonNull(principal, "principal");
    }

    @Override
    public String toString() {
        return "Caller[principal=" + principal + (token == null ? "" : ", token=<redacted>") + "]";
    }
}
