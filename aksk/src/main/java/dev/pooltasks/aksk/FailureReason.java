package dev.pooltasks.aksk;

/** Why {@link AkskVerifier} rejected a request. */
public enum FailureReason {
    /** No Authorization header, or no X-Sdk-Date header. */
    MISSING,
    /**
     * The Authorization header, X-Sdk-Date or the request cannot be used: not SDK-HMAC-SHA256, a missing or repeated
     * parameter, SignedHeaders without host or x-sdk-date, a signed header absent from the request, an unsigned
     * X-Security-Token, a payload hash that does not match the body, broken percent-escapes, and the like.
     */
    MALFORMED,
    /** The access key is not known. */
    UNKNOWN_KEY,
    /** The signature does not match the request (wrong secret or altered request). */
    BAD_SIGNATURE,
    /** X-Sdk-Date is further from the verifier's clock than the allowed skew. */
    CLOCK_SKEW
}
