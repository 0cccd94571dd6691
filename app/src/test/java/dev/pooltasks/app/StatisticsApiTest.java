package dev.pooltasks.app;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.pooltasks.app.ErrorShapeApiTest.assertError;
import static dev.pooltasks.app.TaskApi.PROJECT;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statistics operation over the sandbox, seen as a client sees it: its counts against the list walked page by page
 * and counted here, its filters, its errors in the API's error shape, request ids and metrics.
 */
@QuarkusTest
class StatisticsApiTest {
    static final String PATH = "/v2/{project_id}/desktop-pools/script-execution-tasks/statistics";

    static Response statistics(Object... queryPairs) {
        RequestSpecification request = given().pathParam("project_id", PROJECT);
        for (int i = 0; i < queryPairs.length; i += 2) {
            request = request.queryParam((String) queryPairs[i], queryPairs[i + 1]);
        }
        return request.when().get(PATH);
    }

    @ParameterizedTest
    @CsvSource({"day,UTC", "day,Asia/Shanghai", "day,America/Los_Angeles", "pool,UTC", "script,UTC", "status,UTC",
            "task_type,UTC"})
    void theCountsOfEveryGroupAreThoseOfTheListedTasks(String groupBy, String zone) {
        List<Map<String, Object>> tasks = TaskApi.walk(100);
        JsonPath answer = statistics("group_by", groupBy, "time_zone", zone).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();

        assertThat(answer.getString("group_by")).isEqualTo(groupBy);
        assertThat(answer.getString("time_zone")).isEqualTo(zone);
        List<Map<String, Object>> groups = StatisticsExpectations.assertTotalAndGroups(answer, tasks, groupBy,
                ZoneId.of(zone));
        if (groupBy.equals("day")) {
            assertThat(groups).extracting(group -> (String) group.get("key")).isSorted();
        } else if (groupBy.equals("pool") || groupBy.equals("script")) {
            assertThat(groups).isSortedAccordingTo(Comparator.comparing((Map<String, Object> group) ->
                    -((Number) group.get("task_count")).longValue()).thenComparing(group -> (String) group.get("key")));
            assertThat(groups).allSatisfy(group -> assertThat((String) group.get("name")).isNotBlank());
        }
    }

    @Test
    void poolGroupsAreNamedByTheirPoolsAndStatusGroupsByTheFilterValueThatSelectsThem() {
        Map<String, String> poolNames = new HashMap<>();
        TaskApi.walk(100).forEach(task -> poolNames.put((String) task.get("desktop_pool_id"),
                (String) task.get("desktop_pool_name")));
        List<Map<String, Object>> pools = statistics("group_by", "pool").then().statusCode(200).extract()
                .jsonPath().getList("groups");
        assertThat(pools).allSatisfy(group -> assertThat(group.get("name")).isEqualTo(poolNames.get(group.get("key"))));

        List<Map<String, Object>> statuses = statistics("group_by", "STATUS").then().statusCode(200).extract()
                .jsonPath().getList("groups");
        assertThat(statuses).extracting(group -> group.get("key") + "=" + group.get("name"))
                .containsExactly("FINISH=SUCCESS", "FAILED=FAILED", "RUNNING=RUNNING", "INIT=WAITING");
    }

    @Test
    void theListsFiltersApplyAndOffsetAndLimitPlayNoPart() {
        Object[] filters = {"status", "FAILED", "script_name", "chrome", "task_type", "SCRIPT"};
        int listed = TaskApi.total(TaskApi.get(filters));
        assertThat(listed).isPositive();

        Object[] withGrouping = {"status", "FAILED", "script_name", "chrome", "task_type", "SCRIPT", "group_by", "day",
                "offset", 5, "limit", 1};
        JsonPath answer = statistics(withGrouping).then().statusCode(200).extract().jsonPath();

        assertThat(answer.getLong("total.task_count")).isEqualTo(listed);
        assertThat(answer.getLong("total.status_counts.FAILED")).isEqualTo(listed);
        assertThat(answer.getMap("total.status_counts")).containsOnlyKeys("FINISH", "FAILED", "RUNNING", "INIT");
        assertThat(statistics("group_by", "pool", "desktop_pool_id", "no-such-pool").then().statusCode(200)
                .extract().jsonPath().getList("groups")).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1} -> 400 naming {2}")
    @CsvSource(delimiter = '|', value = {
            "group_by|week|group_by",
            "group_by||group_by",
            "time_zone|Mars/Olympus|time_zone",
            "status|DONE|status",
            "execute_time_start|yesterday|execute_time_start",
    })
    void invalidParametersGive400NamingThem(String parameter, String value, String detail) {
        Response response = parameter.equals("group_by")
                ? statistics("group_by", value == null ? "" : value)
                : statistics("group_by", "day", parameter, value);
        assertError(response, 400, "WKS.1001", detail);
    }

    @Test
    void withoutGroupByTheAnswerIs400() {
        assertError(given().pathParam("project_id", PROJECT).when().get(PATH), 400, "WKS.1001", "group_by");
    }

    @Test
    void unknownProjectWrongMethodAndMediaTypeGiveTheListsErrors() {
        assertError(given().pathParam("project_id", "ffffffffffffffffffffffffffffffff").queryParam("group_by", "day")
                .when().get(PATH), 404, "WKS.1002", "project_id");
        assertError(given().pathParam("project_id", PROJECT).when().post(PATH), 405, "WKS.1004", null);
        assertError(given().accept("text/html").pathParam("project_id", PROJECT).queryParam("group_by", "day")
                .when().get(PATH), 406, "WKS.1005", null);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 400})
    void answersCarryTheCallersRequestIdAndAreCountedInTheRequestMetrics(int status) {
        String series = "pooltasks_requests_seconds_count{outcome=\"" + (status == 200 ? "success" : "client_error")
                + "\",status=\"" + status + "\"} ";
        double before = metric(series);

        given().header("X-Request-Id", "stats-" + status).pathParam("project_id", PROJECT)
                .queryParam("group_by", status == 200 ? "day" : "weekday").when().get(PATH)
                .then().statusCode(status).header("X-Request-Id", "stats-" + status);

        assertThat(metric(series)).isGreaterThan(before);
    }

    private static double metric(String series) {
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(series))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).sum();
    }
}
