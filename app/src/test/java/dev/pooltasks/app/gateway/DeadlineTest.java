package dev.pooltasks.app.gateway;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Date;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/** Slow upstreams (F1, F2, F3, F9, F16): every call is bounded by the upstream's total deadline, retry included. */
@QuarkusTest
@TestProfile(GatewayProfiles.NoCache.class)
class DeadlineTest extends GatewayTestBase {

    @Test
    void f1SlowUpstreamBeyondTheDeadlineGives503NamingItInAboutTheDeadline() {
        east.answerPages(response -> response.withFixedDelay(DEADLINE * 4));

        long started = System.nanoTime();
        Response response = get("p-east");
        long elapsed = millisSince(started);

        assertUnavailable(response, "east");
        assertThat(response.jsonPath().getString("error_msg")).contains("east", DEADLINE + " ms");
        assertThat(elapsed).isLessThan(DEADLINE + SLACK);
        east.verifyHits(1); // a time-out is not retried: the deadline is spent
    }

    @Test
    void f1SlowMemberOfAPartialFederationIsLeftOutAndNamed() {
        east.answerPages(response -> response.withFixedDelay(DEADLINE * 4));

        long started = System.nanoTime();
        Response response = get("all-partial", "limit", 100);
        long elapsed = millisSince(started);

        assertThat(response.header(MISSING)).isEqualTo("east");
        assertThat(total(response)).isEqualTo(west.tasks().size() + south.tasks().size());
        assertThat(ids(response)).isEqualTo(FakeTasks.ids(FakeTasks.merged(west.tasks(), south.tasks())));
        assertThat(elapsed).isLessThan(DEADLINE + SLACK);
        east.verifyHits(1);
    }

    @Test
    void f2BodyDribbledSlowerThanTheDeadlineIsCutOffByTheTotalDeadline() {
        // 10 chunks over 4 deadlines: a chunk every 0.4 deadlines keeps a read (idle) timeout of one deadline from firing.
        east.answerPages(response -> response.withChunkedDribbleDelay(10, DEADLINE * 4));

        long started = System.nanoTime();
        Response response = get("p-east");
        long elapsed = millisSince(started);

        assertUnavailable(response, "east");
        assertThat(elapsed).isLessThan(DEADLINE + SLACK);
        east.verifyHits(1);
    }

    @Test
    void f2DribbleWithinTheDeadlineIsAnsweredWhole() {
        east.answerPages(response -> response.withChunkedDribbleDelay(5, DEADLINE / 3));

        Response response = get("p-east", "limit", 100);

        assertThat(tasks(response)).isEqualTo(east.tasks());
        east.verifyHits(1);
    }

    @Test
    void f3MembersAreCalledInParallel() {
        int delay = DEADLINE * 6 / 10;
        upstreams.members().forEach(member -> member.answerPages(response -> response.withFixedDelay(delay)));

        long started = System.nanoTime();
        Response response = get("all", "limit", 100);
        long elapsed = millisSince(started);

        assertThat(ids(response)).isEqualTo(
                FakeTasks.ids(FakeTasks.merged(east.tasks(), west.tasks(), south.tasks())));
        upstreams.members().forEach(member -> member.verifyHits(1));
        // Each call was received before any answer could have been sent: the calls overlapped.
        List<Long> received = upstreams.members().stream()
                .map(member -> member.requests().get(0)).map(LoggedRequest::getLoggedDate).map(Date::getTime).toList();
        long spread = received.stream().mapToLong(Long::longValue).max().orElseThrow()
                - received.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertThat(spread).as("ms between the first and last member call").isLessThan(delay);
        assertThat(elapsed).as("well under the sequential sum").isLessThan(3L * delay);
    }

    @Test
    void f9AllMembersFailingGives503NamingAllOfThemAtOnce() {
        upstreams.members().forEach(member -> member.answer(aResponse().withStatus(500)));

        long started = System.nanoTime();
        Response strict = get("all");
        Response partial = get("all-partial");
        long elapsed = millisSince(started);

        assertUnavailable(strict, "east", "south", "west");
        assertUnavailable(partial, "east", "south", "west");
        assertThat(partial.header(MISSING)).isNull();
        assertThat(elapsed).isLessThan(DEADLINE + SLACK);
        upstreams.members().forEach(member -> member.verifyHits(2)); // one per request: 500 is not retried
    }

    @Test
    void f9AllMembersTooSlowGives503InAboutOneDeadlineNotThree() {
        upstreams.members().forEach(member -> member.answerPages(response -> response.withFixedDelay(DEADLINE * 4)));

        long started = System.nanoTime();
        Response response = get("all");
        long elapsed = millisSince(started);

        assertUnavailable(response, "east", "south", "west");
        assertThat(elapsed).isLessThan(DEADLINE + SLACK);
        upstreams.members().forEach(member -> member.verifyHits(1));
    }

    @Test
    void f16RetryThatWouldSucceedAfterTheDeadlineIsCutOff() {
        // First attempt: 503 after half the deadline; the retry's answer would take 70 % of a deadline more, past the
        // deadline. A per-attempt time-out (each attempt its own deadline) would answer 200 after 1.2 deadlines.
        east.answerInTurn(
                aResponse().withStatus(503).withFixedDelay(DEADLINE / 2),
                FakeUpstream.pagesResponse().withFixedDelay(DEADLINE * 7 / 10));

        long started = System.nanoTime();
        Response response = get("p-east");
        long elapsed = millisSince(started);

        assertUnavailable(response, "east");
        assertThat(elapsed).isLessThan(DEADLINE + SLACK);
        east.verifyHits(2); // the retry was made, within the deadline, and cut off by it
    }

    @Test
    void f16SlowRetryableFailureThenQuickSuccessFitsTheDeadline() {
        east.answerInTurn(aResponse().withStatus(502).withFixedDelay(DEADLINE / 5), FakeUpstream.pagesResponse());

        Response response = get("p-east", "limit", 3);

        assertThat(tasks(response)).isEqualTo(east.tasks().subList(0, 3));
        east.verifyHits(2);
    }
}
