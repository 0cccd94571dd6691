package dev.pooltasks.app;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.stream.IntStream;

import static dev.pooltasks.app.TaskApi.PATH;
import static dev.pooltasks.app.TaskApi.PROJECT;
import static dev.pooltasks.app.TaskApi.get;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** Every invalid input gets a 4xx in the API's error shape, naming the parameter, never a 5xx or a stack trace. */
@QuarkusTest
class ErrorShapeApiTest {

    @ParameterizedTest(name = "{0}={1} -> 400 naming {2}")
    @CsvSource(delimiter = '|', value = {
            "limit|101|limit",
            "limit|-1|limit",
            "limit|abc|limit",
            "limit|1.5|limit",
            "limit|99999999999|limit",
            "offset|-1|offset",
            "offset|ten|offset",
            "offset|2147483648|offset",
            "status|DONE|status",
            "status|SUCCESS,FAILED|status",
            "task_type|SCRIPTS|task_type",
            "execute_time_start|yesterday|execute_time_start",
            "execute_time_start|2021-10-01|execute_time_start",
            "execute_time_end|2021-10-01T12:00:00|execute_time_end",
            "execute_time_end|2021-13-01T12:00:00Z|execute_time_end",
    })
    void invalidParameterGives400NamingIt(String parameter, String value, String detail) {
        assertError(get(parameter, value), 400, "WKS.1001", detail);
    }

    @Test
    void startAfterEndIsRejected() {
        assertError(get("execute_time_start", "2026-10-02T00:00:00Z", "execute_time_end", "2026-10-01T00:00:00Z"),
                400, "WKS.1001", "execute_time_start");
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "limit|99999999999|limit must be between 0 and 100",
            "limit|-99999999999|limit must be between 0 and 100",
            "limit|1.5|limit must be an integer",
            "offset|2147483648|offset must be between 0 and 2147483647",
            "offset|0x10|offset must be an integer",
    })
    void anIntegerTooLargeForItsTypeIsOutOfRangeNotNotAnInteger(String parameter, String value, String message) {
        Response response = get(parameter, value);
        assertError(response, 400, "WKS.1001", parameter);
        assertThat(response.jsonPath().getString("error_msg")).isEqualTo(message);
    }

    @Test
    void aSingleValuedParameterGivenTwiceIsRejectedByNameWhileTaskIdsMayRepeat() {
        Response twice = get("offset", 0, "limit", 10, "limit", 100);
        assertError(twice, 400, "WKS.1001", "limit");
        assertThat(twice.jsonPath().getString("error_msg")).startsWith("limit is given more than once");
        assertError(StatisticsApiTest.statistics("group_by", "day", "group_by", "pool"), 400, "WKS.1001", "group_by");
        get("task_id", "a", "task_id", "b", "limit", 10).then().statusCode(200);
    }

    @Test
    void atMostOneHundredTaskIds() {
        Object[] pairs = IntStream.range(0, 101).boxed()
                .flatMap(i -> java.util.stream.Stream.of("task_id", "id-" + i)).toArray();
        assertError(get(pairs), 400, "WKS.1001", "task_id");
        Object[] hundred = java.util.Arrays.copyOf(pairs, 200);
        get(hundred).then().statusCode(200);
    }

    @Test
    void overlongValuesAreRejected() {
        assertError(get("desktop_pool_id", "p".repeat(256)), 400, "WKS.1001", "desktop_pool_id");
        assertError(get("script_name", "n".repeat(1001)), 400, "WKS.1001", "script_name");
        get("script_name", "n".repeat(1000)).then().statusCode(200);
    }

    @Test
    void controlCharactersAreRejected() {
        assertError(get("script_name", "Install\u0000Chrome"), 400, "WKS.1001", "script_name");
    }

    @Test
    void unknownProjectGives404WithItsOwnCode() {
        assertError(TaskApi.getInProject("ffffffffffffffffffffffffffffffff"), 404, "WKS.1002", "project_id");
    }

    @Test
    void unknownPathGives404InTheErrorShape() {
        Response response = given().when().get("/v2/" + PROJECT + "/desktop-pools/no-such-thing");
        assertError(response, 404, "WKS.1003", null);
    }

    @Test
    void wrongMethodGives405InTheErrorShape() {
        Response response = given().pathParam("project_id", PROJECT).when().post(PATH);
        assertError(response, 405, "WKS.1004", null);
    }

    @Test
    void unacceptableMediaTypeGives406InTheErrorShape() {
        Response response = given().accept("text/html").pathParam("project_id", PROJECT).when().get(PATH);
        assertError(response, 406, "WKS.1005", null);
    }

    @Test
    void getWithJsonContentTypeAsTheOfficialSdkSendsItWorks() {
        given().contentType("application/json").pathParam("project_id", PROJECT)
                .when().get(PATH)
                .then().statusCode(200).body("total_count", notNullValue());
    }

    static void assertError(Response response, int status, String code, String detail) {
        response.then()
                .statusCode(status)
                .contentType("application/json")
                .header("X-Request-Id", not(emptyOrNullString()))
                .body("error_code", org.hamcrest.Matchers.equalTo(code))
                .body("error_msg", not(emptyOrNullString()));
        assertThat(response.body().asString()).doesNotContain("Exception").doesNotContain("\tat ");
        if (detail != null) {
            response.then().body("error_detail", org.hamcrest.Matchers.equalTo(detail));
        }
    }
}
