package dev.pooltasks.app.gateway;

import dev.pooltasks.app.Management;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;

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

        // Once their open duration has passed, the circuits wait for a probe: ready again, before any call.
        clock.advance(Duration.ofMillis(WireMockUpstreams.OPEN_MILLIS + 100));
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'upstreams' }.data.east", equalTo("HALF_OPEN"))
                .body("checks.find { it.name == 'upstreams' }.data.'federation all'", equalTo("usable"));
    }

    @Test
    void upstreamCallsRejectionsAndCircuitStatesAreMeasured() {
        String westSuccesses = "pooltasks_upstream_calls_seconds_count{outcome=\"success\",upstream=\"west\"}";
        double successesBefore = metricValue(westSuccesses);
        assertOk(get("p-west", "limit", 2));
        assertThat(metricValue(westSuccesses)).isEqualTo(successesBefore + 1);

        String eastFailures = "pooltasks_upstream_calls_seconds_count{outcome=\"http_500\",upstream=\"east\"}";
        String eastRejections = "pooltasks_upstream_rejections_total{reason=\"circuit_open\",upstream=\"east\"}";
        double failuresBefore = metricValue(eastFailures);
        double rejectionsBefore = metricValue(eastRejections);
        openCircuit(east);
        assertUnavailable(get("p-east"), "east");

        assertThat(metricValue(eastFailures)).isEqualTo(failuresBefore + THRESHOLD);
        assertThat(metricValue(eastRejections)).isEqualTo(rejectionsBefore + 1);
        assertThat(metricValue("pooltasks_upstream_circuit_state{upstream=\"east\"}")).isEqualTo(2.0);
        assertThat(metricValue("pooltasks_upstream_circuit_state{upstream=\"west\"}")).isEqualTo(0.0);
        // resilience4j's own view of the same breakers
        assertThat(metricValue("resilience4j_circuitbreaker_state{name=\"east\",state=\"open\"}")).isEqualTo(1.0);
        assertThat(metricValue("resilience4j_circuitbreaker_state{name=\"west\",state=\"closed\"}")).isEqualTo(1.0);
        assertThat(metricValue("resilience4j_circuitbreaker_not_permitted_calls_total"
                + "{kind=\"not_permitted\",name=\"east\"}")).isGreaterThanOrEqualTo(1.0);
    }

    private static void openCircuit(FakeUpstream upstream) {
        upstream.answer(aResponse().withStatus(500));
        for (int i = 0; i < THRESHOLD; i++) {
            assertUnavailable(get(upstream.project()), upstream.project().substring(2));
        }
    }
}
