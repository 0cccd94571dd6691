package dev.pooltasks.app.gateway;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pooltasks.app.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Caching with single flight (F12), reuse within the ttl (F13) and stale answers when an upstream fails. Each test
 * uses its own script_name, so that no test sees another's cached answers. Copies age by the application's clock,
 * which the tests move instead of waiting for the ttl.
 */
@QuarkusTest
@TestProfile(GatewayProfiles.Cached.class)
class CacheTest extends GatewayTestBase {
    private static final int TTL = GatewayProfiles.CACHE_TTL_MILLIS;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static List<HttpResponse<String>> concurrently(int count, String project, String query) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> calls = IntStream.range(0, count)
                .mapToObj(i -> send(project, query)).toList();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            answers.add(call.get(20, TimeUnit.SECONDS));
        }
        return answers;
    }

    @Test
    void cacheHitsAndMissesAreMeasured() {
        String hit = "pooltasks_cache_lookups_total{result=\"hit\",upstream=\"south\"}";
        String miss = "pooltasks_cache_lookups_total{result=\"miss\",upstream=\"south\"}";
        double hitsBefore = metric(hit);
        double missesBefore = metric(miss);
        String name = unique("metrics");

        assertOk(get("p-south", "script_name", name, "limit", 2));
        assertOk(get("p-south", "script_name", name, "limit", 2));
        assertOk(get("p-south", "script_name", name, "limit", 2));

        south.verifyHits(1);
        assertThat(metric(miss)).isEqualTo(missesBefore + 1);
        assertThat(metric(hit)).isEqualTo(hitsBefore + 2);
    }

    @Test
    void theCachesSizeAndBoundAreMeasured() {
        String name = unique("size");
        assertOk(get("p-south", "script_name", name, "limit", 2));

        assertThat(metric("pooltasks_cache_max_weight_bytes")).isEqualTo(64.0 * 1024 * 1024);
        assertThat(metric("pooltasks_cache_weight_bytes")).isPositive()
                .isLessThanOrEqualTo(metric("pooltasks_cache_max_weight_bytes"));
        assertThat(metric("pooltasks_cache_entries")).isPositive();
        assertThat(metric("pooltasks_cache_evictions_total{cause=\"size\"}")).isNotNegative();
        assertThat(metric("pooltasks_cache_evictions_total{cause=\"expired\"}")).isNotNegative();
    }

    @Test
    void onlyAPassThroughUpstreamsAnswersAreKeptPerCallerToken() {
        String name = unique("tokens");
        for (String token : List.of("token-a", "token-b", "token-a")) {
            for (String project : List.of("p-passing", "p-tokened")) {
                given().header("X-Auth-Token", token).pathParam("project_id", project)
                        .queryParam("script_name", name).get(PATH).then().statusCode(200);
            }
        }

        List<String> tokensSent = west.requests().stream().map(request -> request.getHeader("X-Auth-Token")).toList();
        assertThat(tokensSent).as("the pass-through upstream per caller token, the token upstream once for all")
                .containsExactlyInAnyOrder("token-a", "token-b", WireMockUpstreams.OUTBOUND_TOKEN);
    }

    private static double metric(String series) {
        String prefix = series + " ";
        return dev.pooltasks.app.Management.given().get("/q/metrics").then().statusCode(200).extract().asString()
                .lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()))).sum();
    }

    @Test
    void f12ConcurrentIdenticalRequestsShareOneUpstreamCall() throws Exception {
        east.answerPages(response -> response.withFixedDelay(200));
        String query = "limit=5&script_name=" + unique("f12");

        List<HttpResponse<String>> answers = concurrently(50, "p-east", query);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200));
        assertThat(answers.stream().map(HttpResponse::body).distinct()).hasSize(1);
        assertThat(answers.get(0).body()).contains("\"" + east.tasks().get(4).get("id") + "\"");
        east.verifyHits(1);
    }

    @Test
    void f12ConcurrentIdenticalFederatedRequestsShareOneCallPerMemberBlock() throws Exception {
        upstreams.members().forEach(member -> member.answerPages(response -> response.withFixedDelay(200)));
        String query = "limit=20&script_name=" + unique("f12");

        List<HttpResponse<String>> answers = concurrently(50, "all", query);

        assertThat(answers).allSatisfy(answer -> assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200));
        assertThat(answers.stream().map(HttpResponse::body).distinct()).hasSize(1);
        upstreams.members().forEach(member -> member.verifyHits(1));
    }

    @Test
    void f13RepeatWithinTheTtlIsServedFromTheCacheAndAfterItFetchedAgain() {
        String name = unique("f13");
        Response first = get("p-west", "script_name", name, "limit", 4);
        Response again = get("p-west", "script_name", name, "limit", 4);
        west.verifyHits(1);
        assertThat(tasks(first)).isEqualTo(west.tasks().subList(0, 4));
        assertThat(again.asString()).isEqualTo(first.asString());
        // another window is another query
        assertOk(get("p-west", "script_name", name, "limit", 5));
        west.verifyHits(2);

        clock.advance(Duration.ofMillis(TTL));
        assertThat(get("p-west", "script_name", name, "limit", 4).asString()).isEqualTo(first.asString());
        west.verifyHits(3);
    }

    @Test
    void f13DownUpstreamAfterCachingIsServedStaleAndMarked() throws InterruptedException {
        String name = unique("stale");
        Response fresh = get("p-south", "script_name", name);
        Response freshFederated = get("all", "script_name", name);
        assertThat(fresh.header(STALE)).isNull();
        assertThat(freshFederated.header(STALE)).isNull();
        south.verifyHits(2); // its own project and the federation's block 0 are different queries

        south.answer(aResponse().withStatus(500));
        clock.advance(Duration.ofMillis(TTL));

        Response stale = get("p-south", "script_name", name);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.header(STALE)).isEqualTo("south");
        assertThat(stale.asString()).isEqualTo(fresh.asString());
        Response staleFederated = get("all", "script_name", name);
        assertThat(staleFederated.header(STALE)).isEqualTo("south");
        assertThat(staleFederated.header(MISSING)).isNull();
        assertThat(staleFederated.asString()).isEqualTo(freshFederated.asString());
        south.verifyHits(2 + 2); // each refresh was tried (500 is not retried)

        // A query never answered before has nothing stale to fall back on.
        assertUnavailable(get("p-south", "script_name", unique("never")), "south");
        south.verifyHits(2 + 2 + 1);

        // Once the upstream is back, answers are fresh again.
        south.answer(FakeUpstream.pagesResponse());
        // The failures above opened its circuit, which lets probes through once its open duration has passed.
        clock.advance(Duration.ofMillis(WireMockUpstreams.OPEN_MILLIS + 200));
        Response recovered = get("p-south", "script_name", name);
        assertThat(recovered.statusCode()).isEqualTo(200);
        assertThat(recovered.header(STALE)).isNull();
    }

    @Test
    void aCallersTokenRefusedSinceGetsTheRefusalNotTheCopyKeptWhileItWasAccepted() {
        String name = unique("revoked");
        String revoked = "{\"error_code\":\"APIG.0307\",\"error_msg\":\"The token has expired\"}";
        Response accepted = given().header("X-Auth-Token", "token-revoked").pathParam("project_id", "p-passing")
                .queryParam("script_name", name).get(PATH);
        assertThat(accepted.statusCode()).isEqualTo(200);

        west.answer(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody(revoked));
        clock.advance(Duration.ofMillis(TTL));
        Response refused = given().header("X-Auth-Token", "token-revoked").pathParam("project_id", "p-passing")
                .queryParam("script_name", name).get(PATH);
        // an outage, on the other hand, is answered with that copy, marked stale
        west.answer(aResponse().withStatus(500));
        Response down = given().header("X-Auth-Token", "token-revoked").pathParam("project_id", "p-passing")
                .queryParam("script_name", name).get(PATH);

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.asString()).isEqualTo(revoked);
        assertThat(refused.header(STALE)).isNull();
        assertThat(down.statusCode()).isEqualTo(200);
        assertThat(down.header(STALE)).isEqualTo("passing");
        assertThat(down.asString()).isEqualTo(accepted.asString());
    }

    @Test
    void aRefusalOfTheGatewaysOwnCredentialsIsAnsweredWithTheCopyKeptBefore() {
        String name = unique("gateway-token-revoked");
        Response accepted = get("p-tokened", "script_name", name);
        assertThat(accepted.statusCode()).isEqualTo(200);

        west.answer(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error_code\":\"APIG.0307\",\"error_msg\":\"The token has expired\"}"));
        clock.advance(Duration.ofMillis(TTL));
        Response stale = get("p-tokened", "script_name", name);

        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.header(STALE)).isEqualTo("tokened");
        assertThat(stale.asString()).isEqualTo(accepted.asString());
        assertUnavailable(get("p-tokened", "script_name", unique("never")), "tokened");
    }

    @Test
    void f13WalkingAFederationReadsNoBlockTwiceWithinTheTtl() {
        east.serve(FakeTasks.generate("east", 137, 31));
        west.serve(FakeTasks.generate("west", 61, 32));
        south.serve(FakeTasks.generate("south", 105, 33));
        List<Map<String, Object>> expected = FakeTasks.merged(east.tasks(), west.tasks(), south.tasks());
        String name = unique("walk");

        List<Map<String, Object>> walked = new ArrayList<>();
        for (int offset = 0; offset < expected.size(); offset += 50) {
            walked.addAll(tasks(get("all", "script_name", name, "offset", offset, "limit", 50)));
        }

        assertThat(walked).isEqualTo(expected);
        for (FakeUpstream member : upstreams.members()) {
            // Normally each block is read once; on a very slow machine a walk may outlast the ttl, and then a block
            // may be read again, but never sooner than a ttl after the previous read.
            Map<String, Long> lastRead = new HashMap<>();
            for (LoggedRequest request : member.requests()) {
                long at = request.getLoggedDate().getTime();
                Long previous = lastRead.put(request.queryParameter("offset").firstValue(), at);
                if (previous != null) {
                    assertThat(at - previous).as("%s block %s read again after %d ms", member, request.getUrl(),
                            at - previous).isGreaterThanOrEqualTo(TTL - 1);
                }
            }
            assertThat(lastRead).hasSize((member.tasks().size() + 99) / 100);
        }
    }
}
