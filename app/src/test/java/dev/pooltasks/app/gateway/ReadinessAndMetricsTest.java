package dev.pooltasks.app.gateway;

import dev.pooltasks.app.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** What an operator sees of upstream trouble: readiness by circuit state, and the upstream metrics. */
@QuarkusTest
@TestProfile(GatewayProfiles.NoCache.class)
class ReadinessAndMetricsTest extends GatewayTestBase {
    private static final int THRESHOLD = WireMockUpstreams.FAILURE_THRESHOLD;

    @Test
    void readinessStaysUpWhileEveryFederationHasAUsableMemberAndFlipsWhenOneHasNone() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'upstreams' }.data.east", equalTo("CLOSED"));

        openCircuit(east);
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'upstreams' }.data.east", equalTo("OPEN"))
                .body("checks.find { it.name == 'upstreams' }.data.'federation all'", equalTo("usable"));

        openCircuit(west);
        openCircuit(south);
        Management.given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'upstreams' }.data.'federation all'", equalTo("no usable member"));
        Management.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void upstreamCallsRejectionsAndCircuitStatesAreMeasured() {
        double successesBefore = metric("pooltasks_upstream_calls_seconds_count{outcome=\"success\",upstream=\"west\"}");
        assertOk(get("p-west", "limit", 2));
        assertThat(metric("pooltasks_upstream_calls_seconds_count{outcome=\"success\",upstream=\"west\"}"))
                .isEqualTo(successesBefore + 1);

        double failuresBefore = metric("pooltasks_upstream_calls_seconds_count{outcome=\"http_500\",upstream=\"east\"}");
        double rejectionsBefore = metric("pooltasks_upstream_rejections_total{reason=\"circuit_open\",upstream=\"east\"}");
        openCircuit(east);
        assertUnavailable(get("p-east"), "east");

        assertThat(metric("pooltasks_upstream_calls_seconds_count{outcome=\"http_500\",upstream=\"east\"}"))
                .isEqualTo(failuresBefore + THRESHOLD);
        assertThat(metric("pooltasks_upstream_rejections_total{reason=\"circuit_open\",upstream=\"east\"}"))
                .isEqualTo(rejectionsBefore + 1);
        assertThat(metric("pooltasks_upstream_circuit_state{upstream=\"east\"}")).isEqualTo(2.0);
        assertThat(metric("pooltasks_upstream_circuit_state{upstream=\"west\"}")).isEqualTo(0.0);
    }

    private static void openCircuit(FakeUpstream upstream) {
        upstream.answer(aResponse().withStatus(500));
        for (int i = 0; i < THRESHOLD; i++) {
            assertUnavailable(get(upstream.project()), upstream.project().substring(2));
        }
    }

    private static double metric(String series) {
        String prefix = series + " ";
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length())))
                .sum();
    }
}
