package dev.pooltasks.app.gateway;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;

/** Federations: one merged, consistently paged list over several upstreams (F14, F15), strict and partial. */
@QuarkusTest
@TestProfile(GatewayProfiles.NoCache.class)
class FederationTest extends GatewayTestBase {

    /** Sizes that cross block boundaries (137, 105) and stay inside one (61). */
    private void serveMidSizedMembers() {
        east.serve(FakeTasks.generate("east", 137, 11));
        west.serve(FakeTasks.generate("west", 61, 12));
        south.serve(FakeTasks.generate("south", 105, 13));
    }

    private List<Map<String, Object>> allTasks() {
        return FakeTasks.merged(east.tasks(), west.tasks(), south.tasks());
    }

    @ParameterizedTest(name = "limit {0}")
    @ValueSource(ints = {1, 7, 33, 100})
    void f14WalkingTheAliasListsEveryTaskOfEveryMemberOnceInGlobalOrder(int limit) {
        serveMidSizedMembers();
        List<Map<String, Object>> expected = allTasks();
        assertThat(FakeTasks.ids(expected)).doesNotHaveDuplicates();
        // start times repeat across members, so the id tie-break decides part of the order
        assertThat(expected.stream().map(task -> task.get("start_time")).distinct().count())
                .isLessThan(expected.size());

        List<Map<String, Object>> walked = new ArrayList<>();
        for (int offset = 0; offset < expected.size(); offset += limit) {
            Response page = get("all", "offset", offset, "limit", limit);
            assertThat(total(page)).isEqualTo(expected.size());
            walked.addAll(tasks(page));
        }

        assertThat(walked).isEqualTo(expected);
        Response pastTheEnd = get("all", "offset", expected.size(), "limit", limit);
        assertThat(tasks(pastTheEnd)).isEmpty();
        assertThat(total(pastTheEnd)).isEqualTo(expected.size());
        for (FakeUpstream member : upstreams.members()) {
            assertThat(member.requests()).allSatisfy(request -> {
                assertThat(Integer.parseInt(request.queryParameter("offset").firstValue()) % 100).isZero();
                assertThat(Integer.parseInt(request.queryParameter("limit").firstValue())).isBetween(1, 100);
            });
        }
    }

    @Test
    void withoutACacheAFirstPageAsksEachMemberOnlyForThePage() {
        serveMidSizedMembers();

        Response response = get("all", "offset", 0, "limit", 10);

        assertThat(tasks(response)).isEqualTo(allTasks().subList(0, 10));
        for (FakeUpstream member : upstreams.members()) {
            member.server().verify(1, member.requested()
                    .withQueryParam("offset", equalTo("0"))
                    .withQueryParam("limit", equalTo("10")));
            member.verifyHits(1);
        }
    }

    @Test
    void f14LimitZeroGivesTheSumOfTotals() {
        serveMidSizedMembers();
        Response response = get("all", "limit", 0);
        assertThat(tasks(response)).isEmpty();
        assertThat(total(response)).isEqualTo(137 + 61 + 105);
    }

    @Test
    void f14FiltersArePassedToEveryMemberWithItsOwnProject() {
        get("all", "status", "WAITING", "script_name", "Chrome", "task_id", List.of("a", "b"), "limit", 5)
                .then().statusCode(200);
        for (FakeUpstream member : upstreams.members()) {
            member.server().verify(1, member.requested()
                    .withQueryParam("status", equalTo("WAITING"))
                    .withQueryParam("script_name", equalTo("Chrome"))
                    .withQueryParam("offset", equalTo("0"))
                    .withQueryParam("limit", equalTo("5")));
            member.verifyHits(1);
        }
    }

    @Test
    void f15DeepPageCostsABoundedNumberOfAlignedBlocks() {
        east.serve(FakeTasks.generate("east", 420, 21));
        west.serve(FakeTasks.generate("west", 350, 22));
        south.serve(FakeTasks.generate("south", 430, 23));
        List<Map<String, Object>> expected = allTasks();

        Response response = get("all", "offset", 990, "limit", 10);

        assertThat(total(response)).isEqualTo(1200);
        assertThat(tasks(response)).isEqualTo(expected.subList(990, 1000));
        int blocks = 0;
        for (FakeUpstream member : upstreams.members()) {
            List<LoggedRequest> requests = member.requests();
            assertAlignedBlocks(requests);
            assertThat(requests).as("blocks read from %s", member).hasSizeLessThanOrEqualTo(10);
            Set<String> offsets = new HashSet<>();
            requests.forEach(request -> assertThat(offsets.add(request.queryParameter("offset").firstValue()))
                    .as("block %s read twice", request.getUrl()).isTrue());
            blocks += requests.size();
        }
        // A member is read one block past what it contributed at most: the 1000 merged tasks need ≤ 10 + 3 blocks,
        // whole ones, as the page ends at a block boundary.
        assertThat(blocks).isLessThanOrEqualTo(13);
    }

    private static void assertAlignedBlocks(List<LoggedRequest> requests) {
        assertThat(requests).allSatisfy(request -> {
            assertThat(Integer.parseInt(request.queryParameter("offset").firstValue()) % 100).isZero();
            assertThat(request.queryParameter("limit").firstValue()).isEqualTo("100");
        });
    }

    @Test
    void partialFederationAnswersWithTheHealthyMembersAndNamesTheMissingOne() {
        serveMidSizedMembers();
        south.answer(aResponse().withStatus(500));
        List<Map<String, Object>> healthy = FakeTasks.merged(east.tasks(), west.tasks());

        List<Map<String, Object>> walked = new ArrayList<>();
        for (int offset = 0; offset < healthy.size(); offset += 100) {
            Response page = get("all-partial", "offset", offset, "limit", 100);
            assertThat(page.header(MISSING)).isEqualTo("south");
            assertThat(page.header(STALE)).isNull();
            assertThat(total(page)).isEqualTo(137 + 61);
            walked.addAll(tasks(page));
        }
        assertThat(walked).isEqualTo(healthy);
    }

    @Test
    void strictFederationFailsNamingTheDownMember() {
        south.answer(aResponse().withStatus(500));

        Response response = get("all");

        assertUnavailable(response, "south");
        assertThat(response.jsonPath().getString("error_msg")).contains("south");
        assertThat(response.header(MISSING)).isNull();
        south.verifyHits(1);
    }

    @Test
    void healthyFederationCarriesNoMissingOrStaleHeader() {
        Response response = get("all-partial", "limit", 100);
        assertThat(ids(response)).isEqualTo(FakeTasks.ids(allTasks()));
        assertThat(response.header(MISSING)).isNull();
        assertThat(response.header(STALE)).isNull();
    }
}
