package dev.pooltasks.aksk;

/**
 * A request (or Authorization header) that cannot be canonicalised: broken percent-escapes, a signed header that is
 * missing or repeated, and the like. Messages describe the structural problem only; they never contain a secret, a
 * signature or a string-to-sign.
 */
public final class MalformedRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedRequestException(String message) {
        super(message);
    }
}
