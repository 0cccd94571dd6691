package dev.pooltasks.aksk;

import java.nio.charset.StandardCharsets;
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
 * X-Sdk-Content-Sha256, if sent, equals the body's hash (unsigned payloads are refused); the access key is known; the
 * signature recomputed over the headers the caller listed equals the one sent (constant-time comparison); and the
 * signature has not been accepted before ({@link ReplayGuard}).
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
    private final ReplayGuard replayGuard;

    /** A verifier with the default ±15 minute skew and a {@link ReplayGuard} of default capacity. */
    public AkskVerifier(SecretLookup secrets, Clock clock) {
        this(secrets, clock, DEFAULT_MAX_SKEW, new ReplayGuard());
    }

    public AkskVerifier(SecretLookup secrets, Clock clock, Duration maxSkew, ReplayGuard replayGuard) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
        this.replayGuard = Objects.requireNonNull(replayGuard, "replayGuard");
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

        String asSent;
        String sorted = null;
        try {
            asSent = AkskSigner.canonicalRequest(request, auth.signedHeaders(), Canonical.ValueOrder.AS_SENT);
            if (Canonical.hasUnsortedRepeatedValues(request.rawQuery())) {
                sorted = AkskSigner.canonicalRequest(request, auth.signedHeaders(), Canonical.ValueOrder.SORTED);
            }
        } catch (MalformedRequestException e) {
            return VerificationResult.rejected(FailureReason.MALFORMED, ak, e.getMessage());
        }

        Optional<String> secret = Objects.requireNonNullElse(secrets.secretFor(ak), Optional.empty());
        if (secret.isEmpty() || secret.get().isEmpty()) {
            return VerificationResult.rejected(FailureReason.UNKNOWN_KEY, ak, "unknown access key");
        }
        byte[] sent = auth.signature().getBytes(StandardCharsets.US_ASCII);
        boolean matches = matches(secret.get(), date, asSent, sent);
        if (!matches && sorted != null) {
            matches = matches(secret.get(), date, sorted, sent);
        }
        if (!matches) {
            return VerificationResult.rejected(FailureReason.BAD_SIGNATURE, ak, "signature does not match");
        }

        return switch (replayGuard.register(auth.signature(), signedAt.plus(maxSkew), now)) {
            case REPLAYED -> VerificationResult.rejected(FailureReason.REPLAYED, ak, "signature already used");
            case FULL -> VerificationResult.rejected(FailureReason.REPLAY_GUARD_FULL, ak, "replay guard is full");
            case FIRST_USE -> VerificationResult.verified(ak, tokens.isEmpty() ? null : tokens.get(0).trim(), signedAt);
        };
    }

    private static boolean matches(String secret, String date, String canonicalRequest, byte[] sent) {
        String expected = AkskSigner.signature(secret, AkskSigner.stringToSign(date, canonicalRequest));
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), sent);
    }

    @Override
    public String toString() {
        return "AkskVerifier[maxSkew=" + maxSkew + ", " + replayGuard + "]";
    }
}
