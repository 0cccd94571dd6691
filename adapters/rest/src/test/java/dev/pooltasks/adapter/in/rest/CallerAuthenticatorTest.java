package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.adapter.out.memory.LocalRateBudget;
import dev.pooltasks.aksk.AkskSigner;
import dev.pooltasks.aksk.SignableRequest;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.port.out.RateBudget;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CallerAuthenticator with a clock the test moves and a real in-process rate budget: tokens, AK/SK signatures made by
 * the aksk signer, the clock skew, unknown keys, the projects each credential may read, throttling with Retry-After,
 * and what it tells logs and callers (never a secret).
 */
class CallerAuthenticatorTest {
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    static final String OTHER_PROJECT = "9f8e7d6c5b4a49389f8e7d6c5b4a4938";
    static final String AK = "HPUAUNITTEST00000001";
    static final String SK = "unit-test-secret-key-0123456789-abcdef";
    static final String LIMITED_AK = "HPUAUNITTEST00000002";
    static final String LIMITED_SK = "limited-secret-key-0123456789-abcdefg";
    static final String TOKEN = "unit-test-token-0123456789abcdefghijklmnop";
    static final String LIMITED_TOKEN = "limited-token-0123456789abcdefghijklmnop";
    static final String UNLIMITED_TOKEN = "unlimited-token-0123456789abcdefghijklm";

    final MutableClock clock = new MutableClock(T0);
    final RecordingBudget budget = new RecordingBudget(new LocalRateBudget(clock));
    final List<String> throttled = new CopyOnWriteArrayList<>();
    final InboundObserver observer = new InboundObserver() {
        @Override
        public void requestCompleted(int status, long nanos) {
        }

        @Override
        public void callerThrottled(String credential) {
            throttled.add(credential);
        }

        @Override
        public void requestRefused(String reason) {
        }
    };
    final InboundAuthSettings settings = new InboundAuthSettings(
            List.of(new InboundCredential(AK, SK, Set.of(PROJECT), 600),
                    new InboundCredential(LIMITED_AK, LIMITED_SK, Set.of(PROJECT, OTHER_PROJECT), 2)),
            List.of(new InboundCredential("main", TOKEN, Set.of(Caller.ANY_PROJECT), 600),
                    new InboundCredential("limited", LIMITED_TOKEN, Set.of(OTHER_PROJECT), 2),
                    new InboundCredential("unlimited", UNLIMITED_TOKEN, Set.of(PROJECT), 0)),
            Duration.ofMinutes(15));
    final CallerAuthenticator authenticator = new CallerAuthenticator(settings, clock, budget, observer);

    // ---------------------------------------------------------------- off

    @Test
    void withNoCredentialsConfiguredEveryoneIsAnonymousAndMayReadEverything() {
        CallerAuthenticator off = new CallerAuthenticator(InboundAuthSettings.none(), clock, budget, observer);

        CallerAuthenticator.Outcome outcome = now(off.authenticate(headers("X-Auth-Token", "anything"), unused()));

        assertThat(off.required()).isFalse();
        assertThat(off.describe()).isEqualTo("none");
        assertThat(outcome.isAccepted()).isTrue();
        assertThat(outcome.caller().principal()).isEqualTo("anonymous");
        assertThat(outcome.caller().token()).as("passed on to upstreams that take the caller's token")
                .isEqualTo("anything");
        assertThat(outcome.caller().mayRead(OTHER_PROJECT)).isTrue();
        assertThat(budget.names).isEmpty();
    }

    // ---------------------------------------------------------------- tokens

    @Test
    void aConfiguredTokenAuthenticatesItsCredential() {
        CallerAuthenticator.Outcome outcome = now(authenticator.authenticate(headers("X-Auth-Token", TOKEN), unused()));

        assertThat(outcome.isAccepted()).isTrue();
        assertThat(outcome.caller()).isEqualTo(new Caller("main", TOKEN, Set.of(Caller.ANY_PROJECT)));
        assertThat(budget.names).containsExactly("caller:token:main");
        assertThat(budget.rates).containsExactly(600);
    }

    @Test
    void anyOtherTokenOrNoneIs401AndTheTokenIsNotEchoed() {
        for (String wrong : List.of(TOKEN + "x", TOKEN.substring(1), TOKEN.toUpperCase(Locale.ROOT), "", SK)) {
            CallerAuthenticator.Outcome outcome = now(authenticator.authenticate(headers("X-Auth-Token", wrong),
                    unused()));

            assertUnauthenticated(outcome, "invalid token");
            assertThat(outcome.message()).doesNotContain(wrong.isEmpty() ? TOKEN : wrong);
        }
        assertUnauthenticated(now(authenticator.authenticate(headers(), unused())), "no credentials");
        assertThat(budget.names).as("the budget is asked only for an authenticated credential").isEmpty();
    }

    @Test
    void aTokenIsNoCredentialWhenOnlyAccessKeysAreConfigured() {
        InboundAuthSettings akOnly = new InboundAuthSettings(settings.accessKeys(), List.of(), Duration.ofMinutes(15));
        CallerAuthenticator authenticator = new CallerAuthenticator(akOnly, clock, budget, observer);

        assertUnauthenticated(now(authenticator.authenticate(headers("X-Auth-Token", TOKEN), unused())),
                "no credentials");
    }

    // ---------------------------------------------------------------- AK/SK

    @Test
    void aRequestSignedWithAConfiguredKeyAuthenticatesIt() {
        SignableRequest request = signed(AK, SK, T0);

        CallerAuthenticator.Outcome outcome = now(authenticator.authenticate(headersOf(request), () -> request));

        assertThat(outcome.isAccepted()).as(String.valueOf(outcome)).isTrue();
        assertThat(outcome.caller()).isEqualTo(new Caller(AK, null, Set.of(PROJECT)));
        assertThat(budget.names).containsExactly("caller:ak:" + AK);
    }

    @Test
    void aSignedRequestCarryingAnAuthTokenToo() {
        // The token is not a credential then, but an upstream with pass-through auth receives it.
        SignableRequest request = signed(AK, SK, T0).withHeaders(Map.of("X-Auth-Token", "iam-token-for-upstream"));

        CallerAuthenticator.Outcome outcome = now(authenticator.authenticate(headersOf(request), () -> request));

        assertThat(outcome.caller()).isEqualTo(new Caller(AK, "iam-token-for-upstream", Set.of(PROJECT)));
    }

    @Test
    void theSameSignedRequestIsAcceptedAsOftenAsItIsSentWithinTheSkew() {
        SignableRequest request = signed(AK, SK, T0);
        for (int i = 0; i < 20; i++) {
            assertThat(now(authenticator.authenticate(headersOf(request), () -> request)).isAccepted())
                    .as("sent %d times", i + 1).isTrue();
        }
        clock.advance(Duration.ofMinutes(15));
        assertThat(now(authenticator.authenticate(headersOf(request), () -> request)).isAccepted()).isTrue();
    }

    @Test
    void aSignatureDatedOutsideTheSkewIs401SayingSo() {
        for (Duration skew : List.of(Duration.ofMinutes(-16), Duration.ofMinutes(16), Duration.ofMinutes(15).plusSeconds(1))) {
            SignableRequest request = signed(AK, SK, T0.plus(skew));

            CallerAuthenticator.Outcome outcome = now(authenticator.authenticate(headersOf(request), () -> request));

            assertUnauthenticated(outcome, "X-Sdk-Date is missing or more than 15 minutes off");
        }
        SignableRequest atTheEdge = signed(AK, SK, T0.minus(Duration.ofMinutes(15)));
        assertThat(now(authenticator.authenticate(headersOf(atTheEdge), () -> atTheEdge)).isAccepted()).isTrue();
    }

    @Test
    void aWrongSecretAnUnknownKeyOrATamperedRequestIs401WithoutDetail() {
        SignableRequest wrongSecret = signed(AK, SK + "x", T0);
        SignableRequest unknownKey = signed("HPUAUNKNOWNKEY000009", SK, T0);
        SignableRequest good = signed(AK, SK, T0);
        SignableRequest tampered = new SignableRequest(good.method(), good.rawPath(), "limit=100", good.headers(),
                null);

        for (SignableRequest request : List.of(wrongSecret, unknownKey, tampered)) {
            CallerAuthenticator.Outcome outcome = now(authenticator.authenticate(headersOf(request), () -> request));

            assertUnauthenticated(outcome, "verify aksk signature fail");
            assertThat(outcome.message()).doesNotContain(SK).doesNotContain("HPUAUNKNOWNKEY000009");
        }
        assertThat(budget.names).isEmpty();
    }

    @Test
    void aMalformedAuthorizationIs401() {
        SignableRequest garbage = signed(AK, SK, T0).withHeaders(Map.of("Authorization", "garbage"));

        assertUnauthenticated(now(authenticator.authenticate(headersOf(garbage), () -> garbage)),
                "malformed signature");
    }

    @Test
    void theSignableRequestIsBuiltOnlyWhenThereIsASignatureToCheck() {
        AtomicInteger built = new AtomicInteger();
        Supplier<SignableRequest> counting = () -> {
            built.incrementAndGet();
            return signed(AK, SK, T0);
        };

        now(authenticator.authenticate(headers("X-Auth-Token", TOKEN), counting));
        now(authenticator.authenticate(headers(), counting));
        assertThat(built).hasValue(0);

        now(authenticator.authenticate(headers("Authorization", "SDK-HMAC-SHA256 Access=" + AK), counting));
        assertThat(built).hasValue(1);
    }

    // ---------------------------------------------------------------- projects

    @Test
    void eachCredentialReadsOnlyItsProjects() {
        Caller byKey = now(authenticator.authenticate(headersOf(signed(AK, SK, T0)), () -> signed(AK, SK, T0)))
                .caller();
        Caller byLimitedToken = now(authenticator.authenticate(headers("X-Auth-Token", LIMITED_TOKEN), unused()))
                .caller();
        Caller byMainToken = now(authenticator.authenticate(headers("X-Auth-Token", TOKEN), unused())).caller();

        assertThat(byKey.mayRead(PROJECT)).isTrue();
        assertThat(byKey.mayRead(OTHER_PROJECT)).isFalse();
        assertThat(byLimitedToken.mayRead(OTHER_PROJECT)).isTrue();
        assertThat(byLimitedToken.mayRead(PROJECT)).isFalse();
        assertThat(byMainToken.mayRead(PROJECT)).isTrue();
        assertThat(byMainToken.mayRead("any-project-at-all")).isTrue();
    }

    // ---------------------------------------------------------------- rate limits

    @Test
    void aTokenOverItsRateIs429WithRetryAfterUntilItsBudgetRefills() {
        for (int i = 0; i < 2; i++) {
            assertThat(now(authenticator.authenticate(headers("X-Auth-Token", LIMITED_TOKEN), unused())).isAccepted())
                    .as("request %d of 2", i + 1).isTrue();
        }

        CallerAuthenticator.Outcome third = now(authenticator.authenticate(headers("X-Auth-Token", LIMITED_TOKEN),
                unused()));

        assertThat(third.isAccepted()).isFalse();
        assertThat(third.error()).isEqualTo(ApiError.THROTTLED);
        assertThat(third.error().httpStatus()).isEqualTo(429);
        assertThat(third.error().code()).isEqualTo("APIG.0308");
        assertThat(third.message()).isEqualTo("The throttling threshold has been reached: policy user over ratelimit");
        // Two a minute: the next token comes 30 seconds after the bucket was emptied.
        assertThat(third.retryAfterSeconds()).isEqualTo(30);
        assertThat(throttled).containsExactly("limited");
        // Other credentials have budgets of their own.
        assertThat(now(authenticator.authenticate(headers("X-Auth-Token", TOKEN), unused())).isAccepted()).isTrue();

        clock.advance(Duration.ofSeconds(29));
        assertThat(now(authenticator.authenticate(headers("X-Auth-Token", LIMITED_TOKEN), unused())).retryAfterSeconds())
                .isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(now(authenticator.authenticate(headers("X-Auth-Token", LIMITED_TOKEN), unused())).isAccepted())
                .isTrue();
        assertThat(throttled).containsExactly("limited", "limited");
    }

    @Test
    void anAccessKeyOverItsRateIs429AndCountedUnderItsId() {
        for (int i = 0; i < 2; i++) {
            SignableRequest request = signed(LIMITED_AK, LIMITED_SK, T0);
            assertThat(now(authenticator.authenticate(headersOf(request), () -> request)).isAccepted()).isTrue();
        }
        SignableRequest request = signed(LIMITED_AK, LIMITED_SK, T0);

        CallerAuthenticator.Outcome outcome = now(authenticator.authenticate(headersOf(request), () -> request));

        assertThat(outcome.error()).isEqualTo(ApiError.THROTTLED);
        assertThat(outcome.retryAfterSeconds()).isEqualTo(30);
        assertThat(throttled).containsExactly(LIMITED_AK);
        assertThat(budget.names).containsOnly("caller:ak:" + LIMITED_AK).hasSize(3);
        assertThat(budget.rates).containsOnly(2);
    }

    @Test
    void aCredentialWithoutALimitNeverAsksTheBudget() {
        for (int i = 0; i < 1000; i++) {
            assertThat(now(authenticator.authenticate(headers("X-Auth-Token", UNLIMITED_TOKEN), unused())).isAccepted())
                    .isTrue();
        }
        assertThat(budget.names).isEmpty();
    }

    // ---------------------------------------------------------------- a budget that answers later

    @Test
    void theOutcomeWaitsForABudgetThatAnswersLater() {
        HeldBudget held = new HeldBudget();
        CallerAuthenticator authenticator = new CallerAuthenticator(settings, clock, held, observer);

        CompletableFuture<CallerAuthenticator.Outcome> granted = authenticator
                .authenticate(headers("X-Auth-Token", TOKEN), unused()).toCompletableFuture();
        CompletableFuture<CallerAuthenticator.Outcome> refused = authenticator
                .authenticate(headers("X-Auth-Token", LIMITED_TOKEN), unused()).toCompletableFuture();

        assertThat(granted).isNotDone();
        assertThat(refused).isNotDone();
        held.answers.get(0).complete(RateBudget.Decision.GRANTED);
        held.answers.get(1).complete(RateBudget.Decision.refused(5));

        assertThat(granted).isCompletedWithValueMatching(outcome -> outcome.caller().principal().equals("main"));
        assertThat(refused).isCompletedWithValueMatching(outcome -> outcome.retryAfterSeconds() == 5
                && outcome.error() == ApiError.THROTTLED);
        assertThat(throttled).containsExactly("limited");
    }

    // ---------------------------------------------------------------- what logs and callers see

    @Test
    void describeAndToStringsNeverShowASecret() {
        List<String> printed = new ArrayList<>();
        printed.add(authenticator.describe());
        settings.accessKeys().forEach(credential -> printed.add(credential.toString()));
        settings.tokens().forEach(credential -> printed.add(credential.toString()));
        printed.add(settings.toString());
        printed.add(now(authenticator.authenticate(headers("X-Auth-Token", TOKEN), unused())).toString());
        printed.add(now(authenticator.authenticate(headersOf(signed(AK, SK, T0)), () -> signed(AK, SK, T0)))
                .toString());
        printed.add(now(authenticator.authenticate(headers("X-Auth-Token", TOKEN + "x"), unused())).toString());

        assertThat(authenticator.required()).isTrue();
        assertThat(authenticator.describe()).isEqualTo("aksk (2 access keys), token (3 tokens)");
        for (String text : printed) {
            for (String secret : List.of(SK, LIMITED_SK, TOKEN, LIMITED_TOKEN, UNLIMITED_TOKEN)) {
                assertThat(text).doesNotContain(secret);
            }
        }
        assertThat(printed).anySatisfy(text -> assertThat(text).contains(AK));
    }

    // ---------------------------------------------------------------- helpers

    static SignableRequest signed(String accessKey, String secretKey, Instant at) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("pooltasks.example.com:8080"));
        headers.put("X-Project-Id", List.of(PROJECT));
        SignableRequest unsigned = new SignableRequest("GET",
                "/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/detail", "limit=10&status=FAILED", headers,
                null);
        return unsigned.withHeaders(new AkskSigner().sign(unsigned, accessKey, secretKey, at));
    }

    /** The header reader the filter gives: first value, case-insensitive, null when absent. */
    static UnaryOperator<String> headersOf(SignableRequest request) {
        return name -> request.header(name).orElse(null);
    }

    static UnaryOperator<String> headers(String... nameThenValue) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameThenValue.length; i += 2) {
            headers.put(nameThenValue[i], List.of(nameThenValue[i + 1]));
        }
        return headersOf(new SignableRequest("GET", "/", null, headers, null));
    }

    static Supplier<SignableRequest> unused() {
        return () -> {
            throw new AssertionError("no signature to check, so no signable request is needed");
        };
    }

    /** The outcome of a stage that must already be complete (the in-process budget answers at once). */
    static CallerAuthenticator.Outcome now(CompletionStage<CallerAuthenticator.Outcome> stage) {
        CompletableFuture<CallerAuthenticator.Outcome> future = stage.toCompletableFuture();
        assertThat(future).isDone();
        return future.join();
    }

    static void assertUnauthenticated(CallerAuthenticator.Outcome outcome, String reason) {
        assertThat(outcome.isAccepted()).isFalse();
        assertThat(outcome.caller()).isNull();
        assertThat(outcome.error()).isEqualTo(ApiError.UNAUTHENTICATED);
        assertThat(outcome.message()).isEqualTo("Incorrect IAM authentication information: " + reason);
        assertThat(outcome.retryAfterSeconds()).isNegative();
    }

    /** The real budget, recording the names and rates it is asked for. */
    static final class RecordingBudget implements RateBudget {
        final RateBudget delegate;
        final List<String> names = new CopyOnWriteArrayList<>();
        final List<Integer> rates = new CopyOnWriteArrayList<>();

        RecordingBudget(RateBudget delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletionStage<Decision> take(String name, int perMinute) {
            names.add(name);
            rates.add(perMinute);
            return delegate.take(name, perMinute);
        }

        @Override
        public void pause(String name, Duration duration) {
            delegate.pause(name, duration);
        }
    }

    /** A budget in another process, as it were: it answers when the test says so. */
    static final class HeldBudget implements RateBudget {
        final List<CompletableFuture<Decision>> answers = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<Decision> take(String name, int perMinute) {
            CompletableFuture<Decision> answer = new CompletableFuture<>();
            answers.add(answer);
            return answer;
        }

        @Override
        public void pause(String name, Duration duration) {
            throw new UnsupportedOperationException();
        }
    }
}
