package dev.pooltasks.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.pooltasks.app.TaskApi.PATH;
import static dev.pooltasks.app.TaskApi.PROJECT;
import static dev.pooltasks.app.TaskApi.scripts;
import static dev.pooltasks.app.TaskApi.walk;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The answer's shape as the official SDKs parse it: snake_case names, string times, no nulls. */
@QuarkusTest
class WireFormatApiTest {
    @Inject
    ObjectMapper mapper;

    private static final String WIRE_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";
    private static final Set<String> TASK_FIELDS = Set.of("id", "desktop_pool_id", "desktop_pool_name", "scripts",
            "command_content", "command_type", "start_time", "end_time", "status", "success_num", "failed_num",
            "skip_num");

    @Test
    void everyTaskHasTheDocumentedFieldsAndTimeFormat() {
        List<Map<String, Object>> all = walk(100);
        for (Map<String, Object> task : all) {
            assertThat(TASK_FIELDS).containsAll(task.keySet());
            assertThat(task).containsKeys("id", "desktop_pool_id", "desktop_pool_name", "start_time", "status",
                    "success_num", "failed_num", "skip_num");
            assertThat(task.values()).doesNotContainNull();
            assertThat((String) task.get("start_time")).matches(WIRE_TIME);
            boolean finished = Set.of("FINISH", "FAILED").contains(task.get("status"));
            assertThat(task.containsKey("end_time")).as("end_time present iff finished: %s", task).isEqualTo(finished);
            if (finished) {
                assertThat((String) task.get("end_time")).matches(WIRE_TIME);
                assertThat(Instant.parse((String) task.get("end_time"))).isAfter(Instant.parse((String) task.get("start_time")));
            }
            if (scripts(task).isEmpty()) {
                assertThat(task).containsKeys("command_content", "command_type");
                assertThat(task.get("command_type")).isIn("POWERSHELL", "BAT", "SHELL");
            } else {
                assertThat(task).doesNotContainKeys("command_content", "command_type");
                assertThat(scripts(task)).allSatisfy(s -> assertThat(s).containsOnlyKeys("id", "name"));
            }
        }
    }

    @Test
    void theMapperThatWritesAnswersReachesTheDtosThroughBlackbird() {
        assertThat(mapper.getRegisteredModuleIds()).contains(new BlackbirdModule().getTypeId());
    }

    @Test
    void responseCarriesAFreshRequestIdWhenTheCallerSentNone() {
        Response first = given().pathParam("project_id", PROJECT).get(PATH);
        Response second = given().pathParam("project_id", PROJECT).get(PATH);
        assertThat(first.header("X-Request-Id")).matches("[0-9a-f]{32}");
        assertThat(second.header("X-Request-Id")).matches("[0-9a-f]{32}").isNotEqualTo(first.header("X-Request-Id"));
    }

    @Test
    void saneCallerRequestIdIsEchoedAndAnInsaneOneReplaced() {
        assertThat(given().header("X-Request-Id", "trace-42.a_b").pathParam("project_id", PROJECT).get(PATH)
                .header("X-Request-Id")).isEqualTo("trace-42.a_b");
        for (String insane : List.of("has space", "x".repeat(65), "<script>", "")) {
            String echoed = given().header("X-Request-Id", insane).pathParam("project_id", PROJECT).get(PATH)
                    .header("X-Request-Id");
            assertThat(echoed).matches("[0-9a-f]{32}");
        }
    }

    @Test
    void errorsAndOtherEndpointsOfTheApiPortCarryARequestIdToo() {
        assertThat(given().get("/nothing-here").header("X-Request-Id")).isNotBlank();
        assertThat(given().get("/q/openapi").header("X-Request-Id")).isNotBlank();
    }

    @Test
    void healthAndMetricsAreOnTheManagementPortOnly() {
        assertThat(Management.port()).isNotEqualTo(io.restassured.RestAssured.port);
        given().get("/q/health").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
        Management.given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void healthIsUp() {
        Management.given().get("/q/health").then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("UP"));
    }
}
