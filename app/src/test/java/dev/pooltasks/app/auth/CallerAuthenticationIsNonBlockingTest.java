package dev.pooltasks.app.auth;

import dev.pooltasks.app.Management;
import dev.pooltasks.domain.port.out.RateBudget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/**
 * Caller authentication waits for the credential's rate budget without holding the IO thread: with two event loops,
 * five requests whose budget has not answered yet are all inside the filter at once (a filter that blocked would hold
 * at most one per loop), each asked from an event loop; and answers completed from a thread of ours (as a remote
 * budget's client would) resume the requests: the granted ones reach the resource, the refused one gets 429.
 */
@QuarkusTest
@TestProfile(CallerAuthenticationIsNonBlockingTest.HeldBudget.class)
class CallerAuthenticationIsNonBlockingTest {
    static final String TOKEN = "held-budget-token-0123456789";
    static final String PATH = "/v2/0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5/desktop-pools/script-execution-tasks/detail";
    static final int EVENT_LOOPS = 2;

    /** Token authentication, two event loops, and the held budget in place of the application's. */
    public static final class HeldBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pooltasks.auth.tokens.poller.value", TOKEN,
                    "pooltasks.auth.tokens.poller.projects", "*",
                    "pooltasks.auth.tokens.poller.rate-limit-per-minute", "120",
                    "quarkus.vertx.event-loops-size", String.valueOf(EVENT_LOOPS));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(HeldRateBudget.class);
        }
    }

    @Inject
    HeldRateBudget budget;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    final List<HeldRateBudget.Take> taken = new ArrayList<>();

    @AfterEach
    void answerEveryHeldTake() {
        taken.forEach(take -> take.answer().complete(RateBudget.Decision.GRANTED));
        budget.takes.clear();
    }

    @Test
    void requestsWaitForTheBudgetOffTheIoThreadAndResumeWhenItAnswers() throws Exception {
        int requests = 2 * EVENT_LOOPS + 1;
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            responses.add(http.sendAsync(request(), HttpResponse.BodyHandlers.ofString()));
        }

        for (int i = 0; i < requests; i++) {
            HeldRateBudget.Take take = budget.takes.poll(60, TimeUnit.SECONDS);
            assertThat(take).as("budget asked for request %d of %d while none was answered", i + 1, requests)
                    .isNotNull();
            taken.add(take);
        }
        assertThat(taken).allSatisfy(take -> {
            assertThat(take.name()).isEqualTo("caller:token:poller");
            assertThat(take.perMinute()).isEqualTo(120);
            assertThat(take.onEventLoop()).as("asked on %s", take.thread()).isTrue();
        });
        assertThat(responses).noneMatch(CompletableFuture::isDone);

        // Answered from this (non-Vert.x) thread: all but one granted, the last refused.
        for (int i = 0; i < requests - 1; i++) {
            taken.get(i).answer().complete(RateBudget.Decision.GRANTED);
        }
        taken.get(requests - 1).answer().complete(RateBudget.Decision.refused(7));

        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            answers.add(response.get(60, TimeUnit.SECONDS));
        }
        assertThat(answers).filteredOn(answer -> answer.statusCode() == 200).hasSize(requests - 1)
                .allSatisfy(answer -> assertThat(answer.body()).contains("\"total_count\":1200"));
        HttpResponse<String> refused = answers.stream().filter(answer -> answer.statusCode() != 200)
                .findFirst().orElseThrow();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).contains("7");
        assertThat(refused.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(refused.body()).isEqualTo("{\"error_code\":\"APIG.0308\",\"error_msg\":"
                + "\"The throttling threshold has been reached: policy user over ratelimit\"}");
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pooltasks_caller_throttled_total{credential=\"poller\"} 1.0"));
    }

    @Test
    void aRequestWithoutValidCredentialsNeverAsksTheBudget() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(uri()).header("X-Auth-Token", TOKEN + "x")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(budget.takes).isEmpty();
    }

    private HttpRequest request() {
        return HttpRequest.newBuilder(uri()).header("X-Auth-Token", TOKEN).timeout(Duration.ofSeconds(60)).build();
    }

    private static URI uri() {
        return URI.create("http://localhost:" + RestAssured.port + PATH + "?limit=1");
    }
}
