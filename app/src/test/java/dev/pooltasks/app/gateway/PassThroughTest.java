package dev.pooltasks.app.gateway;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.havingExactly;
import static org.assertj.core.api.Assertions.assertThat;

/** A project served by one upstream: the query goes down as the contract spells it, the answer comes back as is. */
@QuarkusTest
@TestProfile(GatewayProfiles.NoCache.class)
class PassThroughTest extends GatewayTestBase {

    @Test
    void everyFilterAndTheWindowArePassedDownAndThePageComesBackUnchanged() {
        Response response = get("p-east",
                "desktop_pool_id", "pool-1",
                "script_id", "script-3",
                "script_name", "Chrome",
                "status", "success",
                "task_type", "script",
                "execute_time_start", "2026-11-01T00:00:00.500Z",
                "execute_time_end", "2026-11-02T08:00:00.900+08:00",
                "task_id", List.of("east-0001", "east-0002"),
                "offset", 5,
                "limit", 3);

        assertThat(total(response)).isEqualTo(Upstreams.EAST_TASKS.size());
        assertThat(tasks(response)).isEqualTo(east.tasks().subList(5, 8));
        east.verifyHits(1);
        east.server().verify(1, east.requested()
                .withQueryParam("desktop_pool_id", equalTo("pool-1"))
                .withQueryParam("script_id", equalTo("script-3"))
                .withQueryParam("script_name", equalTo("Chrome"))
                .withQueryParam("status", equalTo("SUCCESS"))
                .withQueryParam("task_type", equalTo("SCRIPT"))
                // whole seconds on the wire: an inclusive lower bound rounds up, an upper bound down, both in UTC
                .withQueryParam("execute_time_start", equalTo("2026-11-01T00:00:01Z"))
                .withQueryParam("execute_time_end", equalTo("2026-11-02T00:00:00Z"))
                .withQueryParam("task_id", havingExactly("east-0001", "east-0002"))
                .withQueryParam("offset", equalTo("5"))
                .withQueryParam("limit", equalTo("3")));
    }

    @Test
    void theQueryIsPercentEncodedAsTheOfficialSdkEncodesIt() {
        assertOk(get("p-east", "script_name", "Install Chrome: x&y+z/é*", "task_id", List.of("a b", "c:d"),
                "execute_time_start", "2026-11-01T00:00:00Z", "limit", 2));

        // RFC 3986: everything but A-Z a-z 0-9 - _ . ~ escaped, a space as %20; parameters in the contract's order
        assertThat(east.requests().get(0).getUrl()).isEqualTo(FakeUpstream.path("p-east")
                + "?script_name=Install%20Chrome%3A%20x%26y%2Bz%2F%C3%A9%2A"
                + "&execute_time_start=2026-11-01T00%3A00%3A00Z&task_id=a%20b&task_id=c%3Ad&offset=0&limit=2");
    }

    @Test
    void absentFiltersAreNotSentAndDefaultsApply() {
        assertThat(tasks(get("p-west"))).isEqualTo(west.tasks().subList(0, Math.min(10, west.tasks().size())));
        west.server().verify(1, west.requested()
                .withQueryParam("offset", equalTo("0"))
                .withQueryParam("limit", equalTo("10"))
                .withQueryParam("desktop_pool_id", absent())
                .withQueryParam("status", absent())
                .withQueryParam("task_id", absent())
                .withHeader("X-Auth-Token", absent()));
    }

    @ParameterizedTest(name = "status={0} goes down as {1}")
    @CsvSource({"SUCCESS,SUCCESS", "finish,SUCCESS", "WAITING,WAITING", "init,WAITING", "failed,FAILED",
            "Running,RUNNING"})
    void statusFilterIsSentInTheDocumentedVocabulary(String ours, String theirs) {
        assertOk(get("p-south", "status", ours));
        south.server().verify(1, south.requested().withQueryParam("status", equalTo(theirs)));
        south.verifyHits(1);
    }

    @Test
    void projectIdIsRewrittenForTheUpstream() {
        FakeUpstream theirs = new FakeUpstream("east", "theirs", east.server(), null);
        Response response = get("ours", "limit", 4);
        assertThat(tasks(response)).isEqualTo(east.tasks().subList(0, 4));
        theirs.verifyHits(1);
        east.verifyHits(0);
        get("theirs").then().statusCode(404).body("error_code", org.hamcrest.Matchers.equalTo("WKS.1002"));
        theirs.verifyHits(1);
    }

    @Test
    void unknownFieldsAreIgnoredUnknownValuesPassedOnAndTimesNormalised() {
        east.answer(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                {"total_count": 5, "request_id": "abc", "next_marker": {"nested": [1, 2]},
                 "script_execution_tasks": [
                  {"id": "t1", "desktop_pool_id": "pool", "desktop_pool_name": "pool name",
                   "scripts": [{"id": "s1", "name": "one", "hash": "ignored"}],
                   "start_time": "2026-11-26T09:14:02.123Z", "end_time": "2026-11-26T09:21:40.999Z",
                   "status": "PAUSED", "success_num": 1, "failed_num": 2, "skip_num": 3,
                   "region": "cn-north-4", "tags": {"a": "b"}},
                  {"id": "t2", "desktop_pool_id": "pool", "scripts": [], "command_content": "ls",
                   "command_type": "PYTHON", "start_time": "2026-11-26T17:14:02+08:00", "status": "FINISH",
                   "end_time": "2026-11-26T17:21:40.5+08:00", "success_num": 0, "failed_num": 0, "skip_num": 0},
                  {"id": "t3", "desktop_pool_id": "pool", "start_time": "2026-11-26T09:14:02",
                   "status": "RUNNING", "success_num": 4, "failed_num": 0, "skip_num": 0},
                  {"id": "t4", "desktop_pool_id": "pool", "start_time": "2026-11-26 09:14:02",
                   "status": "INIT", "success_num": 0, "failed_num": 0, "skip_num": 0},
                  {"id": "t5", "desktop_pool_id": "pool", "start_time": "2026-11-26T09:14:02.000000-00:00",
                   "status": "FAILED", "success_num": 0, "failed_num": 9, "skip_num": 1}
                 ]}
                """));

        Response response = get("p-east");

        assertThat(total(response)).isEqualTo(5);
        List<Map<String, Object>> tasks = tasks(response);
        assertThat(FakeTasks.ids(tasks)).containsExactly("t1", "t2", "t3", "t4", "t5");
        assertThat(tasks).allSatisfy(task -> assertThat(task.get("start_time")).isEqualTo("2026-11-26T09:14:02Z"));
        assertThat(tasks.get(0)).containsEntry("status", "PAUSED")
                .containsEntry("end_time", "2026-11-26T09:21:40Z")
                .containsEntry("desktop_pool_name", "pool name")
                .doesNotContainKeys("region", "tags");
        assertThat(tasks.get(0).get("scripts")).isEqualTo(List.of(Map.of("id", "s1", "name", "one")));
        assertThat(tasks.get(1)).containsEntry("command_type", "PYTHON")
                .containsEntry("end_time", "2026-11-26T09:21:40Z");
        assertThat(tasks.get(2)).doesNotContainKey("end_time");
        assertThat(tasks.get(4)).containsEntry("failed_num", 9).containsEntry("skip_num", 1);
        assertThat(response.asString()).doesNotContain("request_id", "next_marker", "cn-north-4");
        east.verifyHits(1);
    }

    @Test
    void loggedRequestsCarryTheUpstreamsOwnProjectOnly() {
        assertOk(get("p-east", "limit", 1));
        assertOk(get("p-west", "limit", 1));
        assertOk(get("p-south", "limit", 1));
        for (FakeUpstream upstream : upstreams.members()) {
            List<LoggedRequest> requests = upstream.server().findAll(
                    com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                            com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0).getUrl()).startsWith(FakeUpstream.path(upstream.project()) + "?");
        }
    }
}
