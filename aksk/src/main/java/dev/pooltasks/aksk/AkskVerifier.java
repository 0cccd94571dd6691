package dev.pooltasks.aksk;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies the AK/SK signature ({@code SDK-HMAC-SHA256}) of an inbound request, as sent by the official Huawei Cloud
 * SDKs or by {@link AkskSigner}.
 *
 * <p>Checks, in order: Authorization present and well-formed (algorithm, Access, SignedHeaders, Signature);
 * SignedHeaders names {@code host} and {@code x-sdk-date}; X-Sdk-Date present, well-formed and within the allowed
 * skew of the clock (default ±15 minutes, as the Huawei gateway); an X-Security-Token, if sent, is signed; an
 * X-Sdk-Content-Sha256, if sent, equals the body's hash (unsigned payloads are refused); the access key is known; and
 * the signature recomputed over the headers the caller listed equals the one sent (constant-time comparison).
 *
 * <p>A signed request is valid for the whole skew window, as often as it is sent: there is no replay rejection. The
 * official SDKs sign with a date of one-second resolution, so a client that polls (the same query twice within a
 * second) sends the same signature again and has no way to sign differently. The API serves only safe, read-only
 * methods (GET, HEAD), so a replay within the window can only read again what the captured request could read; as
 * with Huawei Cloud's API gateway (which documents only the date check) and AWS SigV4, the skew check bounds it.
 * Verification is stateless: every replica verifies alike, and signed throughput has no global cap. A future
 * state-changing method would need a replay memory bounded per credential (never one global store that a busy
 * caller can fill) and shared by the replicas (in Redis), not here.
 *
 * <p>Repeated query values: the Java SDK signs them in the order it sends them, the Go SDK sorts them. The verifier
 * first recomputes with the values as sent and, only if that fails and some repeated values are not in sorted order,
 * with sorted values; both are the same pairs, so this lets both SDKs in without accepting any other request.
 *
 * <p>Thread-safe if the {@link SecretLookup} is.
 */
public final class AkskVerifier {
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofMinutes(15);

    private final SecretLookup secrets;
    private final Clock clock;
    private final Duration maxSkew;

    /** A verifier with the default ±15 minute skew. */
    public AkskVerifier(SecretLookup secrets, Clock clock) {
        this(secrets, clock, DEFAULT_MAX_SKEW);
    }

    public AkskVerifier(SecretLookup secrets, Clock clock, Duration maxSkew) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
        if (maxSkew.isNegative()) {
            throw new IllegalArgumentException("maxSkew must not be negative");
        }
    }

    /** Verifies a request; never throws for anything the caller sent (only for a failing {@link SecretLookup}). */
    public VerificationResult verify(SignableRequest request) {
        Objects.requireNonNull(request, "request");
        List<String> authorizations = request.headerValues(AkskSigner.HEADER_AUTHORIZATION);
        if (authorizations.isEmpty()) {
            return VerificationResult.rejected(FailureReason.MISSING, null, "no Authorization header");
        }
        if (authorizations.size() > 1) {
            return VerificationResult.rejected(FailureReason.MALFORMED, null, "more than one Authorization header");
        }
        AuthorizationHeader auth;
        try {
            auth = AuthorizationHeader.parse(authorizations.get(0));
        } catch (MalformedRequestException e) {
            return VerificationResult.rejected(FailureReason.MALFORMED, null, e.getMessage());
        }
        String ak = auth.accessKey();
        if (!auth.signedHeaders().contains("host") || !auth.signedHeaders().contains("x-sdk-date")) {
            return VerificationResult.rejected(FailureReason.MALFORMED, ak, "SignedHeaders must include host and x-sdk-date");
        }

        List<String> dates = request.headerValues(AkskSigner.HEADER_DATE);
        if (dates.isEmpty()) {
            return VerificationResult.rejected(FailureReason.MISSING, ak, "no X-Sdk-Date header");
        }
        if (dates.size() > 1) {
            return VerificationResult.rejected(FailureReason.MALFORMED, ak, "more than one X-Sdk-Date header");
        }
        String date = dates.get(0).trim();
        Instant signedAt;
        try {
            signedAt = AkskSigner.parseSdkDate(date);
        } catch (MalformedRequestException e) {
            return VerificationResult.rejected(FailureReason.MALFORMED, ak, e.getMessage());
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(maxSkew) > 0) {
            return VerificationResult.rejected(FailureReason.CLOCK_SKEW, ak, "X-Sdk-Date is outside the allowed skew");
        }

        List<String> tokens = request.headerValues(AkskSigner.HEADER_SECURITY_TOKEN);
        if (tokens.size() > 1) {
            return VerificationResult.rejected(FailureReason.MALFORMED, ak, "more than one X-Security-Token header");
        }
        if (!tokens.isEmpty() && !auth.signedHeaders().contains("x-security-token")) {
            return VerificationResult.rejected(FailureReason.MALFORMED, ak, "X-Security-Token is not signed");
        }
        Optional<String> declaredHash = request.header(AkskSigner.HEADER_CONTENT_SHA256);
        if (declaredHash.isPresent()
                && !declaredHash.get().trim().equalsIgnoreCase(Canonical.sha256Hex(request.bodyBytes()))) {
            return VerificationResult.rejected(FailureReason.MALFORMED, ak,
                    "X-Sdk-Content-Sha256 does not match the body (unsigned payloads are refused)");
        }

        StringBuilder canonicalRequest = new StringBuilder(256);
        String sortedRequest;
        try {
            sortedRequest = Canonical.appendRequest(canonicalRequest, request, auth.signedHeaders(),
                    AkskSigner.payloadHash(declaredHash, request));
        } catch (MalformedRequestException e) {
            return VerificationResult.rejected(FailureReason.MALFORMED, ak, e.getMessage());
        }

        Optional<String> secret = Objects.requireNonNullElse(secrets.secretFor(ak), Optional.empty());
        if (secret.isEmpty() || secret.get().isEmpty()) {
            return VerificationResult.rejected(FailureReason.UNKNOWN_KEY, ak, "unknown access key");
        }
        // Compared as bytes: the sent hex decoded once rather than the expected signature hex-encoded.
        byte[] sent = Canonical.unhex(auth.signature());
        boolean matches = matches(secret.get(), date, canonicalRequest, sent)
                || sortedRequest != null && matches(secret.get(), date, sortedRequest, sent);
        if (!matches) {
            return VerificationResult.rejected(FailureReason.BAD_SIGNATURE, ak, "signature does not match");
        }
        return VerificationResult.verified(ak, tokens.isEmpty() ? null : tokens.get(0).trim(), signedAt);
    }

    private static boolean matches(String secret, String date, CharSequence canonicalRequest, byte[] sent) {
        byte[] stringToSign = Canonical.stringToSign(date, Canonical.sha256(canonicalRequest));
        return MessageDigest.isEqual(AkskSigner.signature(secret, stringToSign), sent);
    }

    @Override
    public String toString() {
        return "AkskVerifier[maxSkew=" + maxSkew + "]";
    }
}
