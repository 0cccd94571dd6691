package dev.pooltasks.adapter.in.rest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static dev.pooltasks.adapter.in.rest.RequestLimitsTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RouterFailures on a real router: failures raised below JAX-RS (a handler that fails with a status or an exception,
 * or throws; a request the router cannot use) are answered in the error shape with a request id, never with the
 * framework's own body or a stack trace. (Requests no route matches never get here in the application: JAX-RS serves
 * every path and answers those itself, through ErrorMappers.)
 */
class RouterFailuresTest {
    static final String SECRET = "secret-in-an-exception-message-0123";
    static TestRouter server;

    @BeforeAll
    static void start() {
        server = new TestRouter(router -> {
            router.route("/fail/:status").handler(context ->
                    context.fail(Integer.parseInt(context.pathParam("status"))));
            router.route("/throw").handler(context -> {
                throw new IllegalStateException(SECRET);
            });
            router.route("/fail-with-cause").handler(context -> context.fail(new IllegalArgumentException(SECRET)));
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "a handler failing with {0}")
    @CsvSource(delimiter = '|', value = {
            "400|400|WKS.1001|bad request",
            "404|404|WKS.1003|resource not found",
            "405|405|WKS.1004|method not allowed",
            "406|406|WKS.1005|only application/json can be produced",
            "413|413|WKS.1001|bad request",
            "414|414|WKS.1008|request URI longer than 32768 characters",
            "415|415|WKS.1001|bad request",
            "431|431|WKS.1009|request headers larger than 49152 bytes",
            "500|500|WKS.1099|internal error",
            "502|500|WKS.1099|internal error",
            "503|500|WKS.1099|internal error",
    })
    void aFailureStatusIsAnsweredFromTheTable(int failure, int status, String code, String message) {
        assertError(RawHttp.get(server.port(), "/fail/" + failure), status, code, message);
    }

    @Test
    void anExceptionIs500WithoutItsMessageOrAStackTrace() {
        for (String path : new String[]{"/throw", "/fail-with-cause"}) {
            RawHttp.Answer answer = RawHttp.get(server.port(), path);

            assertError(answer, 500, "WKS.1099", "internal error");
            assertThat(answer.body()).doesNotContain(SECRET).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void theCallersSaneRequestIdIsKeptAndAnInsaneOneReplaced() {
        assertThat(RawHttp.get(server.port(), "/fail/500", "X-Request-Id: my-request.42").header("X-Request-Id"))
                .isEqualTo("my-request.42");
        assertThat(RawHttp.get(server.port(), "/fail/404", "X-Request-Id: bad id;" + SECRET).header("X-Request-Id"))
                .matches("[0-9a-f]{32}");
    }

    @Test
    void aRequestTheRouterCannotUseGetsTheErrorShapeToo() {
        // HTTP/1.1 without a Host header, and the asterisk-form target: failed by Vert.x before any route runs.
        RawHttp.Answer noHost = RawHttp.send(server.port(),
                "GET /v2/x HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        RawHttp.Answer asterisk = RawHttp.send(server.port(),
                "GET * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));

        assertError(noHost, 400, "WKS.1001", "bad request");
        assertError(asterisk, 404, "WKS.1003", "resource not found");
    }
}
