package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.aksk.AkskVerifier;
import dev.pooltasks.aksk.FailureReason;
import dev.pooltasks.aksk.SignableRequest;
import dev.pooltasks.aksk.VerificationResult;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.service.RateLimiter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Authenticates callers the way Huawei Cloud's gateway does: an AK/SK signature (SDK-HMAC-SHA256, verified against
 * the configured access keys, within the clock skew) or a configured static X-Auth-Token (compared in
 * constant time); then applies the credential's rate limit. Failure reasons given to callers say no more than is safe.
 */
public final class CallerAuthenticator {
    public static final String AUTHORIZATION = "Authorization";
    public static final String AUTH_TOKEN = "X-Auth-Token";

    /** What became of a request's credentials. */
    public record Outcome(Caller caller, ApiError error, String message, long retryAfterSeconds) {
        static Outcome accepted(Caller caller) {
            return new Outcome(caller, null, null, -1);
        }

        static Outcome unauthenticated(String reason) {
            return new Outcome(null, ApiError.UNAUTHENTICATED, "Incorrect IAM authentication information: " + reason, -1);
        }

        static Outcome throttled(long retryAfterSeconds) {
            return new Outcome(null, ApiError.THROTTLED,
                    "The throttling threshold has been reached: policy user over ratelimit", retryAfterSeconds);
        }

        public boolean isAccepted() {
            return caller != null;
        }
    }

    private final InboundAuthSettings settings;
    private final AkskVerifier verifier;
    private final Map<String, InboundCredential> accessKeys = new HashMap<>();
    private final Map<String, RateLimiter> limits = new HashMap<>();
    private final Map<InboundCredential, byte[]> tokenDigests = new HashMap<>();

    private final InboundObserver observer;

    public CallerAuthenticator(InboundAuthSettings settings, Clock clock, LongSupplier nanoClock,
                               InboundObserver observer) {
        this.settings = settings;
        this.observer = observer;
        settings.accessKeys().forEach(credential -> accessKeys.put(credential.id(), credential));
        settings.tokens().forEach(credential -> tokenDigests.put(credential, sha256(credential.secret())));
        for (InboundCredential credential : settings.accessKeys()) {
            limits.put("ak:" + credential.id(), new RateLimiter(credential.requestsPerMinute(), nanoClock));
        }
        for (InboundCredential credential : settings.tokens()) {
            limits.put("token:" + credential.id(), new RateLimiter(credential.requestsPerMinute(), nanoClock));
        }
        this.verifier = new AkskVerifier(accessKey -> Optional.ofNullable(accessKeys.get(accessKey))
                .map(InboundCredential::secret), clock, settings.maxClockSkew());
    }

    public boolean required() {
        return settings.required();
    }

    /** For logs: the enabled modes, without secrets. */
    public String describe() {
        return settings.describe();
    }

    /**
     * Authenticates a request. {@code header} reads a header's first value as received (null when absent);
     * {@code signedRequest} gives the raw path and query and every header, and is built only when an AK/SK signature
     * is to be checked (most requests carry none).
     */
    public Outcome authenticate(UnaryOperator<String> header, Supplier<SignableRequest> signedRequest) {
        Optional<String> token = Optional.ofNullable(header.apply(AUTH_TOKEN));
        if (!settings.required()) {
            return Outcome.accepted(Caller.anonymous(token.orElse(null)));
        }
        if (header.apply(AUTHORIZATION) != null && !settings.accessKeys().isEmpty()) {
            return byAccessKey(signedRequest.get(), token.orElse(null));
        }
        if (token.isPresent() && !settings.tokens().isEmpty()) {
            return byToken(token.get());
        }
        return Outcome.unauthenticated("no credentials");
    }

    private Outcome byAccessKey(SignableRequest request, String token) {
        VerificationResult result = verifier.verify(request);
        if (!result.isVerified()) {
            FailureReason reason = result.failure().orElse(FailureReason.MALFORMED);
            return switch (reason) {
                case CLOCK_SKEW -> Outcome.unauthenticated("X-Sdk-Date is missing or more than "
                        + settings.maxClockSkew().toMinutes() + " minutes off");
                case MISSING, MALFORMED -> Outcome.unauthenticated("malformed signature");
                default -> Outcome.unauthenticated("verify aksk signature fail");
            };
        }
        InboundCredential credential = accessKeys.get(result.accessKey().orElseThrow());
        return limited("ak:" + credential.id(), new Caller(credential.id(), token, credential.projects()));
    }

    private Outcome byToken(String token) {
        byte[] given = sha256(token);
        InboundCredential match = null;
        for (Map.Entry<InboundCredential, byte[]> entry : tokenDigests.entrySet()) {
            if (MessageDigest.isEqual(given, entry.getValue())) {
                match = entry.getKey();
            }
        }
        if (match == null) {
            return Outcome.unauthenticated("invalid token");
        }
        return limited("token:" + match.id(), new Caller(match.id(), token, match.projects()));
    }

    private Outcome limited(String key, Caller caller) {
        RateLimiter limiter = limits.get(key);
        if (!limiter.tryAcquire()) {
            observer.callerThrottled(caller.principal());
            return Outcome.throttled(limiter.secondsUntilAvailable());
        }
        return Outcome.accepted(caller);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
