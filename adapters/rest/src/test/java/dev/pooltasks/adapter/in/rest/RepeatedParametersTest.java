package dev.pooltasks.adapter.in.rest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A single-valued parameter given twice is refused by name, decoded as JAX-RS decodes it; task_id may repeat. */
class RepeatedParametersTest {
    private static final String LIST = "/v2/p/desktop-pools/script-execution-tasks/detail";
    private static final String STATISTICS = "/v2/p/desktop-pools/script-execution-tasks/statistics";
    static TestRouter server;

    @BeforeAll
    static void start() {
        server = new TestRouter(router -> router.route().handler(context -> context.response().end("passed")));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "limit=10&limit=100|limit",
            "offset=0&limit=10&offset=20|offset",
            "limit=10&status=FAILED&status=FINISH|status",
            "script_name=a&limit=1&script_name=|script_name",
            "limit&limit=5|limit",
            "li%6Dit=5&limit=6|limit",
            "time%5Fzone=UTC&time_zone=Asia%2FShanghai|time_zone",
            "group_by=day&group_by=pool|group_by",
            "desktop_pool_id=a&execute_time_end=x&execute_time_end=y&desktop_pool_id=b|execute_time_end",
    })
    void theFirstSingleValuedNameGivenTwiceIsNamed(String query, String name) {
        assertThat(RepeatedParameters.repeated(query)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "limit=10", "task_id=a&task_id=b&task_id=c", "offset=0&limit=10&status=FAILED",
            "unknown=1&unknown=2", "&&limit=1&", "Limit=1&limit=2", "li%zzit=1&li%zzit=2", "limit=1&limit%3D2"})
    void queriesWithoutARepeatedSingleValuedNamePass(String query) {
        assertThat(RepeatedParameters.repeated(query)).isNull();
    }

    @Test
    void queriesOfThousandsOfPairsUpToTheUriLimitAreRead() {
        assertThat(RepeatedParameters.repeated("&".repeat(RequestLimits.MAX_URI_LENGTH))).isNull();
        assertThat(RepeatedParameters.repeated("x=1&".repeat(RequestLimits.MAX_URI_LENGTH / 4) + "limit=1&limit=2"))
                .isEqualTo("limit");
        assertThat(RepeatedParameters.repeated("limit=" + "=".repeat(RequestLimits.MAX_URI_LENGTH) + "&offset=1"))
                .isNull();
    }

    @Test
    void anApiRequestRepeatingOneIs400InTheErrorShapeNamingIt() {
        for (String[] request : new String[][] {{LIST + "?offset=0&limit=10&limit=100", "limit"},
                {STATISTICS + "?group_by=day&group_by=pool", "group_by"}}) {
            RawHttp.Answer answer = RawHttp.get(server.port(), request[0]);

            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.header("Content-Type")).isEqualTo("application/json");
            assertThat(answer.header("X-Request-Id")).matches("[0-9a-f]{32}");
            assertThat(answer.body()).isEqualTo("{\"error_code\":\"WKS.1001\",\"error_msg\":\"" + request[1]
                    + " is given more than once; give it once (only task_id may repeat)\",\"error_detail\":\""
                    + request[1] + "\"}");
        }
    }

    @Test
    void repeatedTaskIdsAndPathsOutsideTheApiPass() {
        assertThat(RawHttp.get(server.port(), LIST + "?task_id=a&task_id=b&limit=5").body()).isEqualTo("passed");
        assertThat(RawHttp.get(server.port(), "/console/?limit=1&limit=2").body()).isEqualTo("passed");
    }
}
