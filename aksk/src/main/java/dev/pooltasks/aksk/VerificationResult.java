package dev.pooltasks.aksk;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link AkskVerifier#verify}: either verified (with the caller's access key id) or rejected (with a
 * {@link FailureReason}). Holds no secret, expected signature or string-to-sign; {@link #toString()} does not print
 * the security token either.
 */
public final class VerificationResult {
    private final FailureReason failure;
    private final String accessKey;
    private final String securityToken;
    private final Instant signedAt;
    private final String detail;

    private VerificationResult(FailureReason failure, String accessKey, String securityToken, Instant signedAt,
                               String detail) {
        this.failure = failure;
        this.accessKey = accessKey;
        this.securityToken = securityToken;
        this.signedAt = signedAt;
        this.detail = detail;
    }

    static VerificationResult verified(String accessKey, String securityToken, Instant signedAt) {
        return new VerificationResult(null, Objects.requireNonNull(accessKey), securityToken,
                Objects.requireNonNull(signedAt), "verified");
    }

    static VerificationResult rejected(FailureReason reason, String claimedAccessKey, String detail) {
        return new VerificationResult(Objects.requireNonNull(reason), claimedAccessKey, null, null,
                Objects.requireNonNull(detail));
    }

    public boolean isVerified() {
        return failure == null;
    }

    /** The authenticated access key id; present only if verified. */
    public Optional<String> accessKey() {
        return isVerified() ? Optional.of(accessKey) : Optional.empty();
    }

    /**
     * The access key id named in the Authorization header, whether or not the request was verified (empty if the
     * header could not be parsed). Not authenticated unless {@link #isVerified()}: for logging only.
     */
    public Optional<String> claimedAccessKey() {
        return Optional.ofNullable(accessKey);
    }

    /**
     * The {@code X-Security-Token} of a temporary credential, if the verified request carried one (it is then always
     * among the signed headers). Checking it against the STS issuer is up to the caller.
     */
    public Optional<String> securityToken() {
        return Optional.ofNullable(securityToken);
    }

    /** The verified request's X-Sdk-Date; present only if verified. */
    public Optional<Instant> signedAt() {
        return Optional.ofNullable(signedAt);
    }

    /** Why the request was rejected; empty if verified. */
    public Optional<FailureReason> failure() {
        return Optional.ofNullable(failure);
    }

    /** A short, fixed description of the outcome, safe to log; it never quotes header values. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        if (isVerified()) {
            return "VerificationResult[verified, accessKey=" + accessKey + ", signedAt=" + signedAt
                    + (securityToken == null ? "" : ", securityToken=<present>") + "]";
        }
        return "VerificationResult[" + failure + ", claimedAccessKey=" + accessKey + ", detail=" + detail + "]";
    }
}
