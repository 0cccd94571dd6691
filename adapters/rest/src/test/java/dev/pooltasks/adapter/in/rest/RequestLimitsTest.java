package dev.pooltasks.adapter.in.rest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** RequestLimits on a real router: the path, URI and header checks, answered in the error shape with a request id. */
class RequestLimitsTest {
    static TestRouter server;

    @BeforeAll
    static void start() {
        server = new TestRouter(router -> router.route().handler(context -> context.response().end("passed")));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v2/p/desktop-pools/script-execution-tasks/detail", "/a%20b", "/%E5%A4%87",
            "/a%2Fb", "/a-._~!$&'()*+,;=:@b"})
    void wellFormedPathsAreNotMalformed(String path) {
        assertThat(RequestLimits.malformedPath(path)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%", "/%4", "/a%zz", "/%4g", "/%g4", "/a b", "/a\tb", "/a\u0001b", "/a\u007fb", "/é",
            "/\u5907"})
    void brokenEscapesAndRawControlSpaceOrNonAsciiCharactersAreMalformed(String path) {
        assertThat(RequestLimits.malformedPath(path)).isTrue();
    }

    @Test
    void noPathIsMalformed() {
        assertThat(RequestLimits.malformedPath(null)).isTrue();
    }

    @Test
    void anOrdinaryRequestPassesWithARequestId() {
        RawHttp.Answer answer = RawHttp.get(server.port(), "/v2/p/x?limit=1");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("passed");
        assertThat(answer.header("X-Request-Id")).matches("[0-9a-f]{32}");
    }

    @Test
    void aUriOfThe32KiBLimitPassesAndOneCharacterMoreIs414() {
        String prefix = "/v2/p/x?q=";
        String atLimit = prefix + "a".repeat(RequestLimits.MAX_URI_LENGTH - prefix.length());

        assertThat(RawHttp.get(server.port(), atLimit).status()).isEqualTo(200);
        RawHttp.Answer tooLong = RawHttp.get(server.port(), atLimit + "a", "X-Request-Id: caller-id-1");

        assertError(tooLong, 414, "WKS.1008", "request URI longer than 32768 characters");
        assertThat(tooLong.header("X-Request-Id")).isEqualTo("caller-id-1");
    }

    @Test
    void headersOfThe48KiBLimitPassAndOneByteMoreIs431() {
        // Counted as name + value + 4 per header: Host (4 + 9), Connection (10 + 5) and X-Big (5 + n).
        int n = RequestLimits.MAX_HEADERS_SIZE - (4 + 9 + 4) - (10 + 5 + 4) - (5 + 4);

        assertThat(RawHttp.get(server.port(), "/x", "X-Big: " + "b".repeat(n)).status()).isEqualTo(200);
        RawHttp.Answer tooLarge = RawHttp.get(server.port(), "/x", "X-Big: " + "b".repeat(n + 1));

        assertError(tooLarge, 431, "WKS.1009", "request headers larger than 49152 bytes");
    }

    @Test
    void aBrokenPercentEscapeInThePathIs400() {
        assertError(RawHttp.get(server.port(), "/v2/%zz/x"), 400, "WKS.1001", "malformed request path");
        assertError(RawHttp.get(server.port(), "/v2/p/x%4"), 400, "WKS.1001", "malformed request path");
    }

    @Test
    void rawControlAndNonAsciiBytesInThePathAre400() {
        for (byte[] path : new byte[][]{{'/', 'a', 0x01, 'b'}, {'/', 'a', 0x7f}, {'/', (byte) 0xc3, (byte) 0xa9}}) {
            byte[] head = "GET ".getBytes(StandardCharsets.ISO_8859_1);
            byte[] tail = " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            byte[] request = new byte[head.length + path.length + tail.length];
            System.arraycopy(head, 0, request, 0, head.length);
            System.arraycopy(path, 0, request, head.length, path.length);
            System.arraycopy(tail, 0, request, head.length + path.length, tail.length);

            assertError(RawHttp.send(server.port(), request), 400, "WKS.1001", "malformed request path");
        }
    }

    @Test
    void theUriIsCheckedBeforeThePathAndThePathBeforeTheHeaders() {
        String longBrokenUri = "/%zz?q=" + "a".repeat(RequestLimits.MAX_URI_LENGTH);
        String bigHeader = "X-Big: " + "b".repeat(RequestLimits.MAX_HEADERS_SIZE);

        assertError(RawHttp.get(server.port(), longBrokenUri, bigHeader), 414, "WKS.1008",
                "request URI longer than 32768 characters");
        assertError(RawHttp.get(server.port(), "/%zz", bigHeader), 400, "WKS.1001", "malformed request path");
    }

    static void assertError(RawHttp.Answer answer, int status, String code, String message) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("X-Request-Id")).matches("[A-Za-z0-9._-]{1,64}");
        assertThat(answer.body()).isEqualTo("{\"error_code\":\"" + code + "\",\"error_msg\":\"" + message + "\"}");
    }
}
