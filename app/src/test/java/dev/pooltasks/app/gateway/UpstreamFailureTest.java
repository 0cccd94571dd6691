package dev.pooltasks.app.gateway;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Broken connections and broken answers (F4, F5, F7), and answers too large to read: at most one retry, only where it
 * is safe, then 503.
 */
@QuarkusTest
@TestProfile(GatewayProfiles.NoCache.class)
class UpstreamFailureTest extends GatewayTestBase {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE"})
    void f4ConnectionFailureIsRetriedOnceThen503(Fault fault) {
        east.answer(aResponse().withFault(fault));

        Response response = get("p-east");

        assertUnavailable(response, "east");
        east.verifyHits(2);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE"})
    void f4ConnectionFailureThenSuccessAnswers200WithoutDuplicates(Fault fault) {
        east.answerInTurn(aResponse().withFault(fault), FakeUpstream.pagesResponse());

        Response response = get("p-east", "limit", 100);

        assertThat(tasks(response)).isEqualTo(east.tasks());
        east.verifyHits(2);
    }

    @Test
    void f4ConnectionFailureOfAFederationMemberIsRetriedThenTheMemberIsNamed() {
        west.answer(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        Response strict = get("all");
        assertUnavailable(strict, "west");
        west.verifyHits(2);

        Response partial = get("all-partial", "limit", 100);
        assertThat(partial.header(MISSING)).isEqualTo("west");
        assertThat(ids(partial)).isEqualTo(FakeTasks.ids(FakeTasks.merged(east.tasks(), south.tasks())));
        assertThat(total(partial)).isEqualTo(east.tasks().size() + south.tasks().size());
        // the third consecutive failure opened west's circuit, so this time the retry was not let through
        west.verifyHits(WireMockUpstreams.FAILURE_THRESHOLD);
    }

    static Stream<Arguments> malformedAnswers() {
        return Stream.of(
                Arguments.of("truncated JSON", json("{\"total_count\": 3, \"script_execution_tasks\": [{\"id\": \"x\",")),
                Arguments.of("HTML with a JSON content type", json("<html><body>Bad gateway</body></html>")),
                Arguments.of("HTML (text/html): a complete answer, not a connection failure", aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Service maintenance</body></html>")),
                Arguments.of("no total_count", json("{\"script_execution_tasks\": []}")),
                Arguments.of("negative total_count", json("{\"total_count\": -1, \"script_execution_tasks\": []}")),
                Arguments.of("task without an id", json("{\"total_count\": 1, \"script_execution_tasks\": "
                        + "[{\"desktop_pool_id\": \"p\", \"start_time\": \"2026-11-26T09:14:02Z\", \"status\": \"FINISH\"}]}")),
                Arguments.of("unreadable start_time", json("{\"total_count\": 1, \"script_execution_tasks\": "
                        + "[{\"id\": \"x\", \"desktop_pool_id\": \"p\", \"start_time\": \"yesterday\", \"status\": \"FINISH\"}]}")),
                Arguments.of("a JSON array", json("[1, 2, 3]")),
                Arguments.of("empty body", aResponse().withStatus(200).withHeader("Content-Type", "application/json")));
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedAnswers")
    void f5MalformedAnswerIsAnUpstreamFailureNeverPassedThroughNorRetried(String what, ResponseDefinitionBuilder answer) {
        east.answer(answer);

        Response response = get("p-east");

        assertUnavailable(response, "east");
        assertThat(response.asString()).doesNotContain("html", "maintenance", "total_count", "\"x\"");
        east.verifyHits(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = {"MALFORMED_RESPONSE_CHUNK", "RANDOM_DATA_THEN_CLOSE"})
    void f5GarbageOnTheWireIsAnUpstreamFailure(Fault fault) {
        east.answer(aResponse().withStatus(200).withFault(fault));

        Response response = get("p-east");

        assertUnavailable(response, "east");
        // Either a broken answer (not retried) or a broken connection (retried once): never more.
        assertThat(east.hits()).isBetween(1, 2);
    }

    @ParameterizedTest(name = "HTTP {0} then 200")
    @ValueSource(ints = {502, 503, 504})
    void f7GatewayErrorIsRetriedOnceAndTheRetryAnswers(int status) {
        east.answerInTurn(aResponse().withStatus(status).withBody("{\"error_code\":\"APIG.0201\"}"),
                FakeUpstream.pagesResponse());

        Response response = get("p-east", "offset", 2, "limit", 4);

        assertThat(tasks(response)).isEqualTo(east.tasks().subList(2, 6));
        assertThat(total(response)).isEqualTo(east.tasks().size());
        east.verifyHits(2);
    }

    @ParameterizedTest(name = "HTTP {0} twice")
    @ValueSource(ints = {502, 503, 504})
    void f7GatewayErrorTwiceGives503AfterExactlyOneRetry(int status) {
        east.answer(aResponse().withStatus(status));

        assertUnavailable(get("p-east"), "east");
        east.verifyHits(2);
    }

    @Test
    void f7InternalServerErrorIsNotRetried() {
        east.answerInTurn(aResponse().withStatus(500).withBody("{\"error_code\":\"WKS.9999\",\"error_msg\":\"boom\"}"),
                FakeUpstream.pagesResponse());

        Response response = get("p-east");

        assertUnavailable(response, "east");
        assertThat(response.asString()).doesNotContain("WKS.9999", "boom");
        east.verifyHits(1);
    }

    static Stream<Arguments> hugeAnswers() {
        byte[] body = new byte[50 * 1024 * 1024];
        Arrays.fill(body, (byte) ' ');
        return Stream.of(
                Arguments.of("50 MiB, its length declared", aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(body)),
                // read whole, this would take 5 s; the bound is reached after the ninth chunk
                Arguments.of("50 MiB in chunks, its length unknown", aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody(body)
                        .withChunkedDribbleDelay(100, 5000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeAnswers")
    void anAnswerLargerThanTheBoundIsAFailureReadNoFurtherAndTheGatewayKeepsServing(String what,
                                                                                   ResponseDefinitionBuilder answer) {
        FakeUpstream large = upstreams.large; // deadline 10 s, max-answer-size the default 4 MiB
        String tooLarge = "pooltasks_upstream_calls_seconds_count{outcome=\"too_large\",upstream=\"large\"}";
        double before = metricValue(tooLarge);
        large.answer(answer);

        Response response = get("p-large");

        assertUnavailable(response, "large");
        assertThat(response.jsonPath().getString("error_msg")).contains("larger than 4194304 bytes");
        // its own outcome, not a time-out, and not retried
        assertThat(metricValue(tooLarge)).isEqualTo(before + 1);
        large.verifyHits(1);

        assertThat(tasks(get("p-west", "limit", 100))).isEqualTo(west.tasks());
        large.answer(FakeUpstream.pagesResponse());
        assertThat(tasks(get("p-large", "limit", 100))).isEqualTo(east.tasks());
    }
}
