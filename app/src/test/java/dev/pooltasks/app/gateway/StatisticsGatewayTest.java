package dev.pooltasks.app.gateway;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.pooltasks.app.StatisticsExpectations;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Statistics in gateway mode: an upstream that only lists is walked in aligned blocks within its rate budget, up to
 * the limit (2,000 tasks by default) beyond which the answer is 400 WKS.1010; a federation sums its members.
 */
@QuarkusTest
@TestProfile(GatewayProfiles.NoCache.class)
class StatisticsGatewayTest extends GatewayTestBase {
    static final String STATISTICS = "/v2/{project_id}/desktop-pools/script-execution-tasks/statistics";

    static Response statistics(String project, Object... queryPairs) {
        var request = given().pathParam("project_id", project);
        for (int i = 0; i < queryPairs.length; i += 2) {
            request = request.queryParam((String) queryPairs[i], queryPairs[i + 1]);
        }
        return request.when().get(STATISTICS);
    }

    @Test
    void anUpstreamIsWalkedInAlignedBlocksAndItsTasksCounted() {
        east.serve(FakeTasks.generate("east", 250, 31));

        JsonPath answer = statistics("p-east", "group_by", "script", "status", "FAILED").then().statusCode(200)
                .extract().jsonPath();

        assertCounts(answer, east.tasks(), "script");
        List<LoggedRequest> calls = east.requests();
        assertThat(calls).extracting(call -> call.queryParameter("offset").firstValue())
                .containsExactlyInAnyOrder("0", "100", "200");
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.queryParameter("limit").firstValue()).isEqualTo("100");
            assertThat(call.queryParameter("status").firstValue()).isEqualTo("FAILED");
        });
        // after the first block, the walk asks only for tasks started no later than its newest task
        String newest = (String) east.tasks().get(0).get("start_time");
        assertThat(calls).filteredOn(call -> !call.queryParameter("offset").firstValue().equals("0"))
                .allSatisfy(call -> assertThat(call.queryParameter("execute_time_end").firstValue()).isEqualTo(newest));
    }

    @Test
    void moreTasksThanTheLimitGive400AfterOneCall() {
        east.serve(FakeTasks.generate("east", 2001, 32));

        Response response = statistics("p-east", "group_by", "day");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.header("X-Request-Id")).isNotBlank();
        assertThat(response.jsonPath().getString("error_code")).isEqualTo("WKS.1010");
        assertThat(response.jsonPath().getString("error_msg")).contains("2,001 tasks match", "at most 2,000",
                "narrow the filters", "mirror the project");
        assertNoStackTrace(response.asString());
        east.verifyHits(1);

        east.serve(FakeTasks.generate("east", 2000, 32));
        assertCounts(statistics("p-east", "group_by", "day").then().statusCode(200).extract().jsonPath(),
                east.tasks(), "day");
        east.verifyHits(1 + 20);
    }

    @Test
    void aWalkStopsWhenTheUpstreamsRateBudgetRunsOut() {
        FakeUpstream counted = upstreams.counted; // 3 calls a minute
        west.serve(FakeTasks.generate("west", 450, 33));
        clock.advance(java.time.Duration.ofMinutes(2)); // a full bucket, whatever came before

        Response response = statistics("p-counted", "group_by", "pool");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(429);
        assertThat(response.jsonPath().getString("error_code")).isEqualTo("WKS.1007");
        assertThat(response.jsonPath().getString("error_detail")).isEqualTo("counted");
        assertThat(Integer.parseInt(response.header("Retry-After"))).isBetween(1, 20);
        counted.verifyHits(3);
    }

    @Test
    void aFederationSumsItsMembers() {
        east.serve(FakeTasks.generate("east", 137, 41));
        west.serve(FakeTasks.generate("west", 61, 42));
        south.serve(FakeTasks.generate("south", 105, 43));

        for (String groupBy : List.of("day", "pool", "script", "status", "task_type")) {
            JsonPath answer = statistics("all", "group_by", groupBy, "time_zone", "Asia/Shanghai").then()
                    .statusCode(200).extract().jsonPath();
            assertCounts(answer, FakeTasks.merged(east.tasks(), west.tasks(), south.tasks()), groupBy);
        }
    }

    @Test
    void aFailedMemberFailsTheStrictAliasAndIsNamedMissingByThePartialOne() {
        west.answer(aResponse().withStatus(503));

        assertUnavailable(statistics("all", "group_by", "status"), "west");

        Response partial = statistics("all-partial", "group_by", "status");
        assertThat(partial.statusCode()).isEqualTo(200);
        assertThat(partial.header(MISSING)).isEqualTo("west");
        assertCounts(partial.jsonPath(), FakeTasks.merged(east.tasks(), south.tasks()), "status");
    }

    /** The counts of these tasks (the fake upstreams apply no filter: every task they serve counts). */
    private static void assertCounts(JsonPath answer, List<Map<String, Object>> tasks, String groupBy) {
        StatisticsExpectations.assertTotalAndGroups(answer, tasks, groupBy, ZoneId.of(answer.getString("time_zone")));
    }
}
