package dev.pooltasks.app.gateway;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream's own refusals (F6, F8) and our own rate limit: never retried at once, never held against the
 * upstream's health; passed on unchanged for a single upstream, except a refusal of this gateway's own credentials,
 * which the caller cannot fix: the upstream is then unavailable to it.
 */
@QuarkusTest
@TestProfile(GatewayProfiles.NoCache.class)
class UpstreamRejectionTest extends GatewayTestBase {
    private static final String THROTTLED = "{\"error_code\":\"APIG.0308\",\"error_msg\":\"The throttling threshold "
            + "has been reached: policy user over ratelimit, limit:100, time:1 minute\"}";

    @Test
    void f6UpstreamThrottlingIsPassedOnNotRetriedAndItsRetryAfterHonoured() {
        east.answerInTurn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json").withBody(THROTTLED),
                FakeUpstream.pagesResponse());

        Response throttled = get("p-east");
        // Within the second the upstream asked for, our limiter answers without calling it.
        Response held = get("p-east");

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.asString()).isEqualTo(THROTTLED);
        assertThat(throttled.header("Retry-After")).isEqualTo("1");
        assertThat(held.statusCode()).isEqualTo(429);
        assertThat(held.jsonPath().getString("error_code")).isEqualTo("WKS.1007");
        assertThat(held.jsonPath().getString("error_detail")).isEqualTo("east");
        assertThat(held.jsonPath().getString("error_msg")).isNotBlank();
        assertThat(held.header("Retry-After")).isEqualTo("1");
        east.verifyHits(1);

        // The pause is over when the second has passed on the application's clock.
        clock.advance(Duration.ofMillis(1100));
        assertThat(tasks(get("p-east", "limit", 2))).isEqualTo(east.tasks().subList(0, 2));
        east.verifyHits(2);
    }

    @Test
    void f6AThrottledFederationMemberMakesTheStrictFederationAnswer429AndThePartialOneAnswerWithoutIt() {
        west.answer(aResponse().withStatus(429).withHeader("Retry-After", "1").withBody(THROTTLED));

        Response strict = get("all");
        // within the second west asked for, our limiter holds its calls back: the same answer, west not called
        Response partial = get("all-partial");
        Response again = get("all");

        for (Response throttled : List.of(strict, again)) {
            assertThat(throttled.statusCode()).isEqualTo(429);
            assertThat(throttled.jsonPath().getString("error_code")).isEqualTo("WKS.1007");
            assertThat(throttled.jsonPath().getString("error_detail")).isEqualTo("west");
            assertThat(throttled.jsonPath().getString("error_msg")).isNotBlank();
            assertThat(throttled.header("Retry-After")).isEqualTo("1");
            assertNoStackTrace(throttled.asString());
        }
        assertThat(partial.statusCode()).isEqualTo(200);
        assertThat(partial.header(MISSING)).isEqualTo("west");
        west.verifyHits(1);
    }

    @Test
    void f8MembersRefusingTheGatewaysCredentialsAreUnavailableInAFederationAndMissingFromAPartialOne() {
        // east, west and south are called without credentials (auth mode none): their refusals are this gateway's
        // to fix. (Members refusing the caller's own token, passed through, are PassThroughFederationTest's.)
        east.answer(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error_code\":\"APIG.0307\",\"error_msg\":\"The token has expired\"}"));
        south.answer(aResponse().withStatus(403).withHeader("Content-Type", "application/json")
                .withBody("{\"error_code\":\"APIG.0302\",\"error_msg\":\"no\"}"));

        assertUnavailable(get("all"), "east", "south");
        assertUnavailable(StatisticsGatewayTest.statistics("all", "group_by", "status"), "east", "south");
        Response partial = get("all-partial");
        assertThat(partial.statusCode()).isEqualTo(200);
        assertThat(partial.header(MISSING)).isEqualTo("east,south");
        assertThat(total(partial)).isEqualTo(west.tasks().size());

        west.answer(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody("{}"));
        assertUnavailable(get("all-partial"), "east", "south", "west");
    }

    @Test
    void aRefusalBesideAnOutageOrAMisconfiguredMemberLeavesTheFederationUnavailable() {
        east.answer(aResponse().withStatus(401).withBody("{\"error_code\":\"APIG.0301\",\"error_msg\":\"no\"}"));
        west.answer(aResponse().withStatus(404).withBody("{\"error_code\":\"WKS.0001\",\"error_msg\":\"no\"}"));

        assertUnavailable(get("all"), "east", "west");

        east.answer(FakeUpstream.pagesResponse());
        assertUnavailable(get("all"), "west");
    }

    @Test
    void ourRateLimitRejectsTheCallBeforeItReachesTheUpstream() {
        FakeUpstream limited = upstreams.limited; // 3 calls a minute
        for (int i = 0; i < 3; i++) {
            assertThat(total(get("p-limited", "limit", 1))).isEqualTo(limited.tasks().size());
        }
        limited.verifyHits(3);

        Response rejected = get("p-limited", "limit", 1);

        assertThat(rejected.statusCode()).isEqualTo(429);
        assertThat(rejected.jsonPath().getString("error_code")).isEqualTo("WKS.1007");
        assertThat(rejected.jsonPath().getString("error_detail")).isEqualTo("limited");
        // the next token comes in at most 20 s (3 a minute)
        assertThat(Integer.parseInt(rejected.header("Retry-After"))).isBetween(1, 20);
        assertNoStackTrace(rejected.asString());
        limited.verifyHits(3);
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {401, 403})
    void f8ARefusalOfTheCallersOwnTokenIsPassedOnUnchangedAndNotRetried(int status) {
        String body = status == 401
                ? "{\"error_code\":\"APIG.0301\",\"error_msg\":\"Incorrect IAM authentication information\"}"
                : "{\"error_code\":\"APIG.0302\",\"error_msg\":\"The IAM user is not authorized to access the API\"}";
        west.answer(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body));

        Response response = given().header("X-Auth-Token", "callers-iam-token").pathParam("project_id", "p-passing")
                .get(PATH);

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.asString()).isEqualTo(body);
        assertThat(response.header("Retry-After")).isNull();
        west.verifyHits(1);
    }

    @ParameterizedTest(name = "{0} (auth mode {1}), HTTP {2}")
    @CsvSource({"east, none, 401", "tokened, token, 401", "signed, aksk, 403"})
    void f8ARefusalOfTheGatewaysOwnCredentialsMakesTheUpstreamUnavailableWithoutItsMessage(String upstream,
                                                                                         String mode, int status) {
        FakeUpstream stub = upstream.equals("east") ? east : west;
        // A region's message may name the access key it refused: the caller learns only the code.
        stub.answer(aResponse().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody("{\"error_code\":\"APIG.0301\",\"error_msg\":\"ak " + WireMockUpstreams.OUTBOUND_ACCESS_KEY
                        + " not exist\"}"));
        String refusals = "pooltasks_upstream_calls_seconds_count{outcome=\"credentials_refused\",upstream=\""
                + upstream + "\"}";
        double before = metricValue(refusals);

        Response response = get("p-" + upstream);

        assertUnavailable(response, upstream);
        assertThat(response.jsonPath().getString("error_msg"))
                .contains("HTTP " + status + " (APIG.0301)", "own credentials (auth mode " + mode + ")",
                        "pooltasks.upstreams." + upstream + ".auth")
                .doesNotContain(WireMockUpstreams.OUTBOUND_ACCESS_KEY, "not exist");
        stub.verifyHits(1);
        assertThat(metricValue(refusals)).isEqualTo(before + 1);
    }

    @Test
    void f8ManyAuthenticationErrorsDoNotOpenTheCircuit() {
        east.answer(aResponse().withStatus(401).withBody("{\"error_code\":\"APIG.0301\",\"error_msg\":\"no\"}"));
        int calls = WireMockUpstreams.FAILURE_THRESHOLD * 3;
        for (int i = 0; i < calls; i++) {
            assertUnavailable(get("p-east"), "east");
        }
        east.verifyHits(calls);

        east.answer(FakeUpstream.pagesResponse());
        assertThat(tasks(get("p-east", "limit", 1))).isEqualTo(east.tasks().subList(0, 1));
        east.verifyHits(calls + 1);
    }

    @Test
    void otherClientErrorsArePassedOnToo() {
        String body = "{\"error_code\":\"WKS.0001\",\"error_msg\":\"project not found upstream\"}";
        east.answer(aResponse().withStatus(404).withHeader("Content-Type", "application/json").withBody(body));

        Response response = get("p-east");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.asString()).isEqualTo(body);
        east.verifyHits(1);
    }
}
