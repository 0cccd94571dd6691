package dev.pooltasks.aksk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Canonicalisation rules and signer behaviour, pinned with hand-written expectations. */
class AkskSignerTest {
    static final Instant T0 = Instant.parse("2021-10-01T12:00:00.987Z");

    static Map<String, List<String>> headers(String... nameThenValue) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 0; i < nameThenValue.length; i += 2) {
            headers.put(nameThenValue[i], List.of(nameThenValue[i + 1]));
        }
        return headers;
    }

    @Test
    void canonicalRequestFollowsTheDocumentedLayout() {
        SignableRequest request = new SignableRequest("get", "/v2/p1/desktop-pools/script-execution-tasks/detail",
                "task_id=t-2&limit=10&task_id=t-1&script_name=a+b%20c%3a%26&flag&empty=&execute_time_start="
                        + "2021-10-01T12:00:00Z&name=%E4%B8%AD",
                headers("Host", "workspace.example.com", "X-Project-Id", "  p1  ", "User-Agent", "ua/1",
                        "X-Sdk-Date", "20211001T120000Z"),
                null);

        String canonical = AkskSigner.canonicalRequest(request, List.of("host", "user-agent", "x-project-id",
                "x-sdk-date"));

        assertThat(canonical).isEqualTo("GET\n"
                + "/v2/p1/desktop-pools/script-execution-tasks/detail/\n"
                + "empty=&execute_time_start=2021-10-01T12%3A00%3A00Z&flag=&limit=10&name=%E4%B8%AD"
                + "&script_name=a%20b%20c%3A%26&task_id=t-2&task_id=t-1\n"
                + "host:workspace.example.com\n"
                + "user-agent:ua/1\n"
                + "x-project-id:p1\n"
                + "x-sdk-date:20211001T120000Z\n"
                + "\n"
                + "host;user-agent;x-project-id;x-sdk-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "''|/",
            "/|/",
            "/v2|/v2/",
            "/v2/|/v2/",
            "/v2/p1/detail|/v2/p1/detail/",
            "/a//b|/a//b/",
            "/a/b//|/a/b/",
            "/a/b%2Fc|/a/b%2Fc/",
            "/a/p%201|/a/p%201/",
            "/a/p 1|/a/p%201/",
            "/a/p+1|/a/p%2B1/",
            "/a/%e4%b8%ad|/a/%E4%B8%AD/",
            "/a/中|/a/%E4%B8%AD/",
            "/a/x~y_z.w-v|/a/x~y_z.w-v/",
            "/a/%7E*|/a/~%2A/"})
    void canonicalUri(String rawPath, String expected) {
        assertThat(Canonical.uri(rawPath)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "''|''",
            "b=2&a=1|a=1&b=2",
            "a=2&a=1&a=10|a=2&a=1&a=10",
            "a=1&&b=2&|a=1&b=2",
            "k|k=",
            "k=|k=",
            "k==v|k=%3Dv",
            "k=a+b|k=a%20b",
            "k=a%2Bb|k=a%2Bb",
            "k=a%20b|k=a%20b",
            "k=%7e%2a|k=~%2A",
            "k=*'()!|k=%2A%27%28%29%21",
            "k=%E4%B8%AD%E6%96%87|k=%E4%B8%AD%E6%96%87",
            "k=中文|k=%E4%B8%AD%E6%96%87",
            "script_id%5B%5D=1|script_id%5B%5D=1",
            "B=1&a=1&_=1&~=1|B=1&_=1&a=1&~=1"})
    void canonicalQuery(String rawQuery, String expected) {
        assertThat(Canonical.Query.of(rawQuery).asSent()).isEqualTo(expected);
    }

    @Test
    void sortedValuesAreTheEncodedValuesOfEachKeyInOrder() {
        assertThat(Canonical.Query.of("a=2&b=x&a=1&a=10&a=").sorted())
                .isEqualTo("a=&a=1&a=10&a=2&b=x");
        assertThat(Canonical.Query.of("a=1&a=2&b=9&b=9").hasUnsortedRepeatedValues()).isFalse();
        assertThat(Canonical.Query.of("a=2&a=1").hasUnsortedRepeatedValues()).isTrue();
    }

    @Test
    void signsTheHeadersTheSdkWouldSign() {
        SignableRequest request = new SignableRequest("GET", "/v2/p", null, headers(
                "Host", "h", "User-Agent", "ua", "X-Project-Id", "p", "Content-Type", "application/json",
                "Content-Length", "0", "Accept-Encoding", "gzip", "Connection", "keep-alive", "X_Custom", "1",
                "X-Security-Token", "tok", "Accept", "application/json"), null);

        assertThat(AkskSigner.signedHeaderNames(request))
                .containsExactly("accept", "host", "user-agent", "x-project-id", "x-sdk-date", "x-security-token");
        assertThat(new AkskSigner().sign(request, "AK", "SK", T0).get("Authorization"))
                .contains("SignedHeaders=accept;host;user-agent;x-project-id;x-sdk-date;x-security-token,");
    }

    @Test
    void signReturnsTheDateTruncatedToTheSecondAndTheAuthorization() {
        SignableRequest request = new SignableRequest("GET", "/v2/p", "", headers("Host", "h"), null);

        Map<String, String> added = new AkskSigner().sign(request, "AK", "SK", T0);

        assertThat(added.keySet()).containsExactly("X-Sdk-Date", "Authorization");
        assertThat(added.get("X-Sdk-Date")).isEqualTo("20211001T120000Z");
        String expectedCanonical = "GET\n/v2/p/\n\nhost:h\nx-sdk-date:20211001T120000Z\n\nhost;x-sdk-date\n"
                + Canonical.EMPTY_BODY_SHA256;
        String expectedSignature = AkskSigner.signature("SK", "SDK-HMAC-SHA256\n20211001T120000Z\n"
                + Canonical.sha256Hex(expectedCanonical.getBytes(StandardCharsets.UTF_8)));
        assertThat(added.get("Authorization"))
                .isEqualTo("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + expectedSignature);
    }

    @Test
    void anExistingDateHeaderIsReplacedByTheSigningTime() {
        SignableRequest request = new SignableRequest("GET", "/", "", headers("Host", "h",
                "X-Sdk-Date", "19990101T000000Z"), null);

        Map<String, String> added = new AkskSigner().sign(request, "AK", "SK", T0);

        assertThat(added.get("X-Sdk-Date")).isEqualTo("20211001T120000Z");
        assertThat(new AkskVerifier(ak -> java.util.Optional.of("SK"), java.time.Clock.fixed(T0,
                java.time.ZoneOffset.UTC)).verify(request.withHeaders(added)).isVerified()).isTrue();
    }

    @Test
    void theBodyIsHashed() {
        byte[] body = "{\"a\":\"ü\"}".getBytes(StandardCharsets.UTF_8);
        SignableRequest request = new SignableRequest("POST", "/x", null, headers("Host", "h",
                "X-Sdk-Date", "20211001T120000Z"), body);

        assertThat(AkskSigner.canonicalRequest(request, List.of("host", "x-sdk-date")))
                .endsWith("\n" + Canonical.sha256Hex(body))
                .doesNotEndWith(Canonical.EMPTY_BODY_SHA256);
    }

    @Test
    void hmacMatchesRfc4231TestCase2() {
        assertThat(AkskSigner.signature("Jefe", "what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(Canonical.sha256Hex(new byte[0])).isEqualTo(Canonical.EMPTY_BODY_SHA256);
    }

    @Test
    void stringToSignLayout() {
        assertThat(AkskSigner.stringToSign("20211001T120000Z", ""))
                .isEqualTo("SDK-HMAC-SHA256\n20211001T120000Z\n" + Canonical.EMPTY_BODY_SHA256);
    }

    @Test
    void sdkDateFormatAndStrictParsing() {
        assertThat(AkskSigner.sdkDate(Instant.parse("2024-02-29T23:59:58.999Z"))).isEqualTo("20240229T235958Z");
        assertThat(AkskSigner.parseSdkDate("20240229T235958Z")).isEqualTo(Instant.parse("2024-02-29T23:59:58Z"));
        assertThatThrownBy(() -> AkskSigner.parseSdkDate("20230229T000000Z")).isInstanceOf(MalformedRequestException.class);
        assertThatThrownBy(() -> AkskSigner.parseSdkDate("20240229T235958")).isInstanceOf(MalformedRequestException.class);
    }

    @ParameterizedTest
    @CsvSource({"20240229T235958Z", "00000101T000000Z", "99991231T235959Z", "20230229T000000Z", "20241301T000000Z",
            "20240100T000000Z", "20240431T000000Z", "20240101T240000Z", "20240101T236000Z", "20240101T235960Z",
            "2024010lT000000Z", "20240101t000000Z", "20240101T000000z", "+20240101T00000Z", "-0001010T000000Z",
            "202401011T00000Z", "20240101 000000Z", "120240101T000000Z", "20240101T000000Z ", "2024-01-01T00:00"})
    void readsDatesByPositionExactlyAsTheStrictFormatter(String value) {
        DateTimeFormatter strict = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
                .withResolverStyle(ResolverStyle.STRICT);
        Instant expected;
        try {
            expected = LocalDateTime.parse(value, strict).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            assertThatThrownBy(() -> AkskSigner.parseSdkDate(value)).isInstanceOf(MalformedRequestException.class);
            return;
        }
        assertThat(AkskSigner.parseSdkDate(value)).isEqualTo(expected);
    }

    @Test
    void refusesWhatItCannotSignSafely() {
        AkskSigner signer = new AkskSigner();
        SignableRequest ok = new SignableRequest("GET", "/", "", headers("Host", "h"), null);

        assertThatThrownBy(() -> signer.sign(new SignableRequest("GET", "/", "", headers("User-Agent", "u"), null),
                "AK", "SK", T0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Host");
        assertThatThrownBy(() -> signer.sign(ok.withHeaders(Map.of("Authorization", "x")), "AK", "SK", T0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Authorization");
        assertThatThrownBy(() -> signer.sign(ok, "A K", "SK", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign(ok, "AK,", "SK", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign(ok, "AK", "", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> signer.sign(ok.withHeaders(Map.of("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD")),
                "AK", "SK", T0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsigned");
        assertThatThrownBy(() -> signer.sign(new SignableRequest("GET", "/", "a=%G0", headers("Host", "h"), null),
                "AK", "SK", T0)).isInstanceOf(MalformedRequestException.class);
        SignableRequest twoValues = new SignableRequest("GET", "/", "", Map.of("Host", List.of("h"),
                "X-Project-Id", List.of("a", "b")), null);
        assertThatThrownBy(() -> signer.sign(twoValues, "AK", "SK", T0)).isInstanceOf(MalformedRequestException.class);
    }

    @ParameterizedTest(name = "{0} -> Host {1}")
    @CsvSource({
            "https://workspace.cn-north-4.myhuaweicloud.com/v2/p?limit=1, workspace.cn-north-4.myhuaweicloud.com",
            "https://h.example.com:443/v2/p, h.example.com",
            "http://h.example.com:80/v2/p, h.example.com",
            "http://127.0.0.1:8080/v2/p, 127.0.0.1:8080",
            "https://h.example.com:8443/v2/p, h.example.com:8443"})
    void signableRequestFromAUri(String uri, String host) {
        SignableRequest request = SignableRequest.of("get", URI.create(uri), Map.of(), null);

        assertThat(request.header("host")).contains(host);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawPath()).isEqualTo("/v2/p");
    }

    @Test
    void signableRequestKeepsRawPathAndQueryAndAnExplicitHost() {
        SignableRequest request = SignableRequest.of("GET",
                URI.create("http://127.0.0.1:9/v2/p%201/x?task_id=a&task_id=b&n=%E4%B8%AD%20x"),
                Map.of("HOST", List.of("front.example.com")), new byte[] {1, 2});

        assertThat(request.rawPath()).isEqualTo("/v2/p%201/x");
        assertThat(request.rawQuery()).isEqualTo("task_id=a&task_id=b&n=%E4%B8%AD%20x");
        assertThat(request.headerValues("Host")).containsExactly("front.example.com");
        assertThat(request.body()).containsExactly(1, 2);
        assertThat(request).isEqualTo(new SignableRequest("GET", "/v2/p%201/x",
                "task_id=a&task_id=b&n=%E4%B8%AD%20x", Map.of("host", List.of("front.example.com")),
                new byte[] {1, 2}));
    }
}
