package dev.pooltasks.domain.service;

import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failure a federation's answer passes on when failed members leave it unanswerable. */
class FederationFailureTest {
    private static final String EXPIRED = "{\"error_code\":\"APIG.0307\",\"error_msg\":\"The token has expired\"}";

    private static Map<String, Throwable> failures(Object... nameThenFailure) {
        Map<String, Throwable> failures = new LinkedHashMap<>();
        for (int i = 0; i < nameThenFailure.length; i += 2) {
            failures.put((String) nameThenFailure[i], (Throwable) nameThenFailure[i + 1]);
        }
        return failures;
    }

    private static TaskSourceRejectedException refused(String source, int status, String body, long retryAfter) {
        return new TaskSourceRejectedException(source, status, body, retryAfter);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void membersRefusingTheCallersCredentialsAlikePassTheFirstMembersRefusalOn(int status) {
        RuntimeException failure = FederationFailure.of("all", failures(
                "west", new CompletionException(refused("west", status, EXPIRED, -1)),
                "east", refused("east", status, "{\"other\":\"body\"}", -1)));

        assertThat(failure).isInstanceOfSatisfying(TaskSourceRejectedException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(status);
            assertThat(e.body()).isEqualTo(EXPIRED);
            assertThat(e.source()).isEqualTo("west,east");
            assertThat(e.retryAfterSeconds()).isEqualTo(-1);
        });
    }

    @Test
    void rateLimitsByUpstreamsOrByUsAreOne429AfterTheLongestPause() {
        RuntimeException failure = FederationFailure.of("all", failures(
                "east", refused("east", 429, "{}", 7),
                "west", new TaskSourceThrottledException("west", 12),
                "south", refused("south", 429, "{}", -1)));

        assertThat(failure).isInstanceOfSatisfying(TaskSourceThrottledException.class, e -> {
            assertThat(e.source()).isEqualTo("east,west,south");
            assertThat(e.retryAfterSeconds()).isEqualTo(12);
        });
    }

    @Test
    void anUpstreams429WithoutRetryAfterIsToBeRetriedAfterASecond() {
        RuntimeException failure = FederationFailure.of("all", failures("east", refused("east", 429, "{}", -1)));

        assertThat(failure).isInstanceOfSatisfying(TaskSourceThrottledException.class,
                e -> assertThat(e.retryAfterSeconds()).isEqualTo(1));
    }

    @Test
    void differentRefusalsMakeTheFederationUnavailableNamingEveryFailedMember() {
        assertUnavailable(FederationFailure.of("all", failures(
                "east", refused("east", 401, EXPIRED, -1),
                "west", refused("west", 403, "{}", -1))), "east", "west");
        assertUnavailable(FederationFailure.of("all", failures(
                "east", refused("east", 401, EXPIRED, -1),
                "west", refused("west", 429, "{}", 3))), "east", "west");
    }

    @Test
    void aRefusalBesideAnOutageIsAnOutage() {
        assertUnavailable(FederationFailure.of("all", failures(
                "east", refused("east", 401, EXPIRED, -1),
                "west", new TaskSourceUnavailableException("west", "timeout"))), "east", "west");
        assertUnavailable(FederationFailure.of("all", failures(
                "east", new TaskSourceThrottledException("east", 3),
                "west", new IllegalStateException("a bug"))), "east", "west");
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 405, 409, 422})
    void anotherClientErrorSaysTheMemberIsMisconfiguredSoTheFederationIsUnavailable(int status) {
        RuntimeException failure = FederationFailure.of("all", failures("east", refused("east", status, "{}", -1)));

        assertUnavailable(failure, "east");
        assertThat(failure.getMessage())
                .isEqualTo("federation all: upstream(s) east unavailable (upstream east answered HTTP " + status + ")");
    }

    @Test
    void anUnavailableFederationSaysWhyEachMemberFailedButNotWhatABugSaid() {
        String refused = "answered HTTP 401 (APIG.0301) to this gateway's own credentials (auth mode token): check "
                + "pooltasks.upstreams.east.auth";
        RuntimeException failure = FederationFailure.of("all", failures(
                "east", new TaskSourceUnavailableException("east", refused),
                "west", new IllegalStateException("a bug with internals"),
                "south", new TaskSourceThrottledException("south", 3)));

        assertUnavailable(failure, "east", "west", "south");
        assertThat(failure.getMessage()).isEqualTo("federation all: upstream(s) east, west, south unavailable "
                + "(upstream east unavailable: " + refused + "; rate limit of upstream south reached)");
    }

    private static void assertUnavailable(RuntimeException failure, String... names) {
        assertThat(failure).isInstanceOfSatisfying(TaskSourceUnavailableException.class,
                e -> assertThat(e.sources()).containsExactlyInAnyOrder(names));
    }
}
