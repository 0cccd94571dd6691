package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.aksk.AkskVerifier;
import dev.pooltasks.aksk.SignableRequest;
import dev.pooltasks.aksk.VerificationResult;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** What goes on the wire for a query: the request target exactly, and the headers of each auth mode. */
class UpstreamRequestTest {
    private static final UpstreamSettings.Circuit CIRCUIT =
            new UpstreamSettings.Circuit(50, 10, 5, Duration.ofSeconds(5), 3);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T10:00:00Z"));

    private UpstreamRequest.Factory factory(String url, OutboundAuth auth) {
        return new UpstreamRequest.Factory(new UpstreamSettings("east", URI.create(url), Map.of("ours", "their id"),
                auth, Duration.ofSeconds(2), 0, true, Duration.ofMillis(50), CIRCUIT, 8, 1024, true), clock);
    }

    @Test
    void everyParameterGoesDownInTheContractsOrderPercentEncodedAsTheOfficialSdkEncodes() {
        TaskQuery query = TaskQuery.builder("p1")
                .desktopPoolId("pool/1")
                .scriptId("s 1")
                .scriptName("a b:c&d+e/f?g%h=i~j*k!l'm(n)o,p;q@r$s#té中")
                .status("finish")
                .taskType("command")
                .executeTimeStart("2026-11-01T00:00:00.500Z")
                .executeTimeEnd("2026-11-02T08:00:00.900+08:00")
                .taskIds(List.of("x y", "z:w"))
                .offset(5)
                .limit(3)
                .build();

        UpstreamRequest request = factory("http://127.0.0.1:8080", OutboundAuth.none()).build(query, Caller.ANONYMOUS);

        assertThat(request.pathAndQuery()).isEqualTo("/v2/p1/desktop-pools/script-execution-tasks/detail"
                + "?desktop_pool_id=pool%2F1&script_id=s%201"
                + "&script_name=a%20b%3Ac%26d%2Be%2Ff%3Fg%25h%3Di~j%2Ak%21l%27m%28n%29o%2Cp%3Bq%40r%24s%23t%C3%A9%E4%B8%AD"
                + "&status=SUCCESS&task_type=COMMAND"
                + "&execute_time_start=2026-11-01T00%3A00%3A01Z&execute_time_end=2026-11-02T00%3A00%3A00Z"
                + "&task_id=x%20y&task_id=z%3Aw&offset=5&limit=3");
    }

    @Test
    void absentParametersAreLeftOutAndTheProjectIsRewrittenUnderTheBasePath() {
        UpstreamRequest request = factory("https://gw.example.com/workspace/", OutboundAuth.none())
                .build(TaskQuery.builder("ours").build(), Caller.ANONYMOUS);

        assertThat(request.pathAndQuery())
                .isEqualTo("/workspace/v2/their%20id/desktop-pools/script-execution-tasks/detail?offset=0&limit=10");
        assertThat(request.headers()).containsExactlyInAnyOrderEntriesOf(
                Map.of("Host", "gw.example.com", "Accept", "application/json"));
    }

    @ParameterizedTest(name = "{0} -> Host {1}")
    @CsvSource({"https://gw.example.com, gw.example.com", "https://gw.example.com:443, gw.example.com",
            "https://gw.example.com:8443, gw.example.com:8443", "http://10.0.0.1:80, 10.0.0.1",
            "http://10.0.0.1:8080, 10.0.0.1:8080"})
    void hostIsWhatTheClientSends(String url, String host) {
        assertThat(factory(url, OutboundAuth.none()).build(TaskQuery.builder("p1").build(), Caller.ANONYMOUS)
                .headers()).containsEntry("Host", host);
    }

    @Test
    void tokenModeSendsTheConfiguredTokenAndPassThroughTheCallersOwn() {
        TaskQuery query = TaskQuery.builder("p1").build();
        Caller withToken = Caller.anonymous("callers-token");

        assertThat(factory("http://h:1", new OutboundAuth(OutboundAuth.Mode.TOKEN, "static", null, null, null))
                .build(query, withToken).headers()).containsEntry("X-Auth-Token", "static");
        assertThat(factory("http://h:1", new OutboundAuth(OutboundAuth.Mode.PASS_THROUGH, null, null, null, null))
                .build(query, withToken).headers()).containsEntry("X-Auth-Token", "callers-token");
        assertThat(factory("http://h:1", new OutboundAuth(OutboundAuth.Mode.PASS_THROUGH, null, null, null, null))
                .build(query, Caller.ANONYMOUS).headers()).doesNotContainKey("X-Auth-Token");
        assertThat(factory("http://h:1", OutboundAuth.none()).build(query, withToken).headers())
                .doesNotContainKey("X-Auth-Token");
    }

    @Test
    void akskModeSignsHostProjectAndDateAsTheOfficialSdkDoes() {
        OutboundAuth auth = new OutboundAuth(OutboundAuth.Mode.AKSK, null, "AKTEST", "secret-key", null);
        UpstreamRequest request = factory("https://gw.example.com", auth)
                .build(TaskQuery.builder("ours").scriptName("Install Chrome:x&y").build(), Caller.anonymous("ignored"));

        assertThat(request.headers()).containsEntry("X-Project-Id", "their id")
                .containsEntry("X-Sdk-Date", "20261129T100000Z")
                .doesNotContainKey("X-Auth-Token");
        assertThat(request.headers().get("Authorization"))
                .startsWith("SDK-HMAC-SHA256 Access=AKTEST, SignedHeaders=host;x-project-id;x-sdk-date, Signature=");
        assertThat(verify(request, "secret-key").isVerified()).isTrue();
        assertThat(verify(request, "another-key").isVerified()).isFalse();
    }

    @Test
    void aTemporaryCredentialsSecurityTokenIsSentAndSigned() {
        OutboundAuth auth = new OutboundAuth(OutboundAuth.Mode.AKSK, null, "AKTEST", "secret-key", "sts-token");
        UpstreamRequest request = factory("https://gw.example.com", auth)
                .build(TaskQuery.builder("p1").build(), Caller.ANONYMOUS);

        assertThat(request.headers()).containsEntry("X-Security-Token", "sts-token");
        assertThat(request.headers().get("Authorization"))
                .contains("SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,");
        assertThat(verify(request, "secret-key").isVerified()).isTrue();
    }

    @Test
    void statisticsGoDownWithTheirGroupingAndTimeZoneThenTheListsFiltersWithoutAWindow() {
        StatisticsQuery query = StatisticsQuery.of(TaskQuery.builder("ours").scriptName("Install Chrome:x&y")
                .status("waiting").executeTimeStart("2026-11-01T00:00:00Z").taskIds(List.of("t 1", "t2"))
                .offset(40).limit(20).build(), "DAY", "Asia/Shanghai");

        UpstreamRequest request = factory("https://gw.example.com/workspace", OutboundAuth.none())
                .statistics(query, Caller.ANONYMOUS);

        assertThat(request.pathAndQuery()).isEqualTo("/workspace/v2/their%20id/desktop-pools/script-execution-tasks"
                + "/statistics?group_by=day&time_zone=Asia%2FShanghai&script_name=Install%20Chrome%3Ax%26y"
                + "&status=WAITING&execute_time_start=2026-11-01T00%3A00%3A00Z&task_id=t%201&task_id=t2");
        assertThat(factory("http://h:1", OutboundAuth.none()).statistics(StatisticsQuery.of(
                TaskQuery.builder("p1").build(), "task_type", "+08:00"), Caller.ANONYMOUS).pathAndQuery())
                .isEqualTo("/v2/p1/desktop-pools/script-execution-tasks/statistics?group_by=task_type"
                        + "&time_zone=%2B08%3A00");
    }

    @Test
    void statisticsAreAuthenticatedAsListsAre() {
        StatisticsQuery query = StatisticsQuery.of(TaskQuery.builder("ours").build(), "pool", null);
        OutboundAuth aksk = new OutboundAuth(OutboundAuth.Mode.AKSK, null, "AKTEST", "secret-key", null);

        UpstreamRequest signed = factory("https://gw.example.com", aksk).statistics(query, Caller.ANONYMOUS);

        assertThat(signed.pathAndQuery()).endsWith("/statistics?group_by=pool&time_zone=UTC");
        assertThat(signed.headers()).containsEntry("X-Project-Id", "their id");
        assertThat(verify(signed, "secret-key").isVerified()).isTrue();
        assertThat(factory("http://h:1", new OutboundAuth(OutboundAuth.Mode.PASS_THROUGH, null, null, null, null))
                .statistics(query, Caller.anonymous("callers-token")).headers())
                .containsEntry("X-Auth-Token", "callers-token");
    }

    /** Verifies as a receiving gateway would, from the request as sent. */
    private VerificationResult verify(UpstreamRequest request, String secret) {
        URI uri = URI.create("https://gw.example.com" + request.pathAndQuery());
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.headers().forEach((name, value) -> headers.put(name, List.of(value)));
        SignableRequest received = new SignableRequest("GET", uri.getRawPath(), uri.getRawQuery(), headers, null);
        return new AkskVerifier(accessKey -> Optional.of(secret), clock).verify(received);
    }
}
