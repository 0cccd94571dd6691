package dev.pooltasks.adapter.in.rest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A single-valued parameter given twice is refused by name, decoded as JAX-RS decodes it (task_id may repeat); a
 * malformed percent-escape is refused, naming the API's parameter it is in.
 */
class QueryChecksTest {
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
        assertThat(repeated(query)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "limit=10", "task_id=a&task_id=b&task_id=c", "offset=0&limit=10&status=FAILED",
            "unknown=1&unknown=2", "&&limit=1&", "Limit=1&limit=2", "limit=1&limit%3D2",
            "script_name=%FF%fe&limit=%31", "script_name=100%25", "a+b=%20&a+b=1"})
    void queriesWithoutARepeatedSingleValuedNamePass(String query) {
        assertThat(QueryChecks.refusal(query)).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "script_name=100%|script_name",
            "script_name=%zz&limit=1|script_name",
            "limit=1&task_id=%4|task_id",
            "li%6Dit=%G1|limit",
            "time_zone=Asia%2FShanghai%2|time_zone",
            "li%zzit=1&li%zzit=2|",
            "unknown=%|",
            "%=1|",
            "limit=%|limit",
    })
    void aMalformedEscapeIsRefusedNamingTheApisParameterItIsIn(String query, String name) {
        Refusal refusal = QueryChecks.refusal(query);

        assertThat(refusal).isNotNull();
        assertThat(refusal.reason()).isEqualTo(Refusal.MALFORMED_QUERY);
        assertThat(refusal.detail()).isEqualTo(name);
        assertThat(refusal.message()).isEqualTo((name == null ? "the query" : name) + " has a malformed percent-escape:"
                + " '%' must be followed by two hex digits (write '%' itself as %25)");
    }

    @Test
    void theFirstMalformedOrRepeatedPairDecides() {
        assertThat(QueryChecks.refusal("limit=1&limit=2&offset=%").reason()).isEqualTo(Refusal.REPEATED_PARAMETER);
        assertThat(QueryChecks.refusal("offset=%&limit=1&limit=2").reason()).isEqualTo(Refusal.MALFORMED_QUERY);
    }

    @Test
    void queriesOfThousandsOfPairsUpToTheUriLimitAreRead() {
        int limit = RequestLimits.MAX_URI_LENGTH;
        assertThat(QueryChecks.refusal("&".repeat(limit))).isNull();
        assertThat(repeated("x=1&".repeat(limit / 4) + "limit=1&limit=2")).isEqualTo("limit");
        assertThat(QueryChecks.refusal("limit=" + "=".repeat(limit) + "&offset=1")).isNull();
        assertThat(QueryChecks.refusal("x=1&".repeat(limit / 4) + "%41")).isNull();
        assertThat(QueryChecks.refusal("x=%41&".repeat(limit / 6) + "x=%4").reason())
                .isEqualTo(Refusal.MALFORMED_QUERY);
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
    void anApiRequestWithAMalformedEscapeIs400InTheErrorShapeNamingTheParameter() {
        RawHttp.Answer answer = RawHttp.get(server.port(), LIST + "?limit=5&script_name=50%");

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.header("X-Request-Id")).matches("[0-9a-f]{32}");
        assertThat(answer.body()).isEqualTo("{\"error_code\":\"WKS.1001\",\"error_msg\":\"script_name has a malformed"
                + " percent-escape: '%' must be followed by two hex digits (write '%' itself as %25)\","
                + "\"error_detail\":\"script_name\"}");
    }

    @Test
    void repeatedTaskIdsWellFormedEscapesAndPathsOutsideTheApiPass() {
        assertThat(RawHttp.get(server.port(), LIST + "?task_id=a&task_id=b&limit=5").body()).isEqualTo("passed");
        assertThat(RawHttp.get(server.port(), LIST + "?script_name=100%25").body()).isEqualTo("passed");
        assertThat(RawHttp.get(server.port(), "/console/?limit=1&limit=2").body()).isEqualTo("passed");
        assertThat(RawHttp.get(server.port(), "/console/?q=%zz").body()).isEqualTo("passed");
    }

    /** The parameter a query is refused for repeating; null if it is not refused for that. */
    private static String repeated(String query) {
        Refusal refusal = QueryChecks.refusal(query);
        return refusal != null && refusal.reason().equals(Refusal.REPEATED_PARAMETER) ? refusal.detail() : null;
    }
}
