package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.aksk.AkskVerifier;
import dev.pooltasks.aksk.FailureReason;
import dev.pooltasks.aksk.SignableRequest;
import dev.pooltasks.aksk.VerificationResult;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.port.out.RateBudget;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Authenticates callers the way Huawei Cloud's gateway does: an AK/SK signature (SDK-HMAC-SHA256, verified against
 * the configured access keys, within the clock skew) or a configured static X-Auth-Token (compared in constant
 * time); then takes from the credential's rate budget ({@code caller:ak:<id>} or {@code caller:token:<name>}).
 * Never blocks: the budget may live in another process, so the outcome is a stage. Failure reasons given to callers
 * say no more than is safe.
 */
public final class CallerAuthenticator {
    public static final String AUTHORIZATION = "Authorization";
    public static final String AUTH_TOKEN = "X-Auth-Token";
    /** Budget names: an access key's is this prefix and its id, a token's the other prefix and its name. */
    public static final String ACCESS_KEY_BUDGET = "caller:ak:";
    public static final String TOKEN_BUDGET = "caller:token:";

    /** What became of a request's credentials. */
    public record Outcome(Caller caller, ApiError error, String message, long retryAfterSeconds) {
        static Outcome accepted(Caller caller) {
            return new Outcome(caller, null, null, -1);
        }

        static Outcome unauthenticated(String reason) {
            return new Outcome(null, ApiError.UNAUTHENTICATED, ApiError.UNAUTHENTICATED.message() + ": " + reason, -1);
        }

        static Outcome throttled(long retryAfterSeconds) {
            return new Outcome(null, ApiError.THROTTLED, ApiError.THROTTLED.message(), retryAfterSeconds);
        }

        public boolean isAccepted() {
            return caller != null;
        }
    }

    private final InboundAuthSettings settings;
    private final AkskVerifier verifier;
    private final RateBudget budget;
    private final InboundObserver observer;
    private final Map<String, InboundCredential> accessKeys = new HashMap<>();
    private final Map<InboundCredential, byte[]> tokenDigests = new HashMap<>();

    public CallerAuthenticator(InboundAuthSettings settings, Clock clock, RateBudget budget,
                               InboundObserver observer) {
        this.settings = settings;
        this.budget = budget;
        this.observer = observer;
        settings.accessKeys().forEach(credential -> accessKeys.put(credential.id(), credential));
        settings.tokens().forEach(credential -> tokenDigests.put(credential, sha256(credential.secret())));
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
     * is to be checked (most requests carry none). Both are called before this method returns; the stage completes
     * when the credential's rate budget has answered.
     */
    public CompletionStage<Outcome> authenticate(UnaryOperator<String> header, Supplier<SignableRequest> signedRequest) {
        String token = header.apply(AUTH_TOKEN);
        if (!settings.required()) {
            return CompletableFuture.completedFuture(Outcome.accepted(Caller.anonymous(token)));
        }
        if (header.apply(AUTHORIZATION) != null && !settings.accessKeys().isEmpty()) {
            return byAccessKey(signedRequest.get(), token);
        }
        if (token != null && !settings.tokens().isEmpty()) {
            return byToken(token);
        }
        return CompletableFuture.completedFuture(Outcome.unauthenticated("no credentials"));
    }

    private CompletionStage<Outcome> byAccessKey(SignableRequest request, String token) {
        VerificationResult result = verifier.verify(request);
        if (!result.isVerified()) {
            FailureReason reason = result.failure().orElse(FailureReason.MALFORMED);
            return CompletableFuture.completedFuture(switch (reason) {
                case CLOCK_SKEW -> Outcome.unauthenticated("X-Sdk-Date is missing or more than "
                        + settings.maxClockSkew().toMinutes() + " minutes off");
                case MISSING, MALFORMED -> Outcome.unauthenticated("malformed signature");
                default -> Outcome.unauthenticated("verify aksk signature fail");
            });
        }
        InboundCredential credential = accessKeys.get(result.accessKey().orElseThrow());
        return limited(ACCESS_KEY_BUDGET, credential, new Caller(credential.id(), token, credential.projects()));
    }

    private CompletionStage<Outcome> byToken(String token) {
        byte[] given = sha256(token);
        InboundCredential match = null;
        for (Map.Entry<InboundCredential, byte[]> entry : tokenDigests.entrySet()) {
            if (MessageDigest.isEqual(given, entry.getValue())) {
                match = entry.getKey();
            }
        }
        if (match == null) {
            return CompletableFuture.completedFuture(Outcome.unauthenticated("invalid token"));
        }
        return limited(TOKEN_BUDGET, match, new Caller(match.id(), token, match.projects()));
    }

    private CompletionStage<Outcome> limited(String budgetPrefix, InboundCredential credential, Caller caller) {
        if (credential.requestsPerMinute() == 0) {
            // No limit: no need to ask the budget (which may be a round trip to another process).
            return CompletableFuture.completedFuture(Outcome.accepted(caller));
        }
        return budget.take(budgetPrefix + credential.id(), credential.requestsPerMinute()).thenApply(decision -> {
            if (decision.granted()) {
                return Outcome.accepted(caller);
            }
            observer.callerThrottled(caller.principal());
            return Outcome.throttled(decision.retryAfterSeconds());
        });
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
