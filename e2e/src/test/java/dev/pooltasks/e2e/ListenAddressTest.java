package dev.pooltasks.e2e;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listening beyond loopback: refused without caller authentication unless allowed explicitly, and the startup log
 * suggests a first call that works with the authentication configured.
 */
class ListenAddressTest {
    private static final String PATH = "/v2/" + RunningPooltasks.PROJECT_ID
            + "/desktop-pools/script-execution-tasks/detail?limit=1";
    private static final String ALL_INTERFACES = "0.0.0.0";

    @Test
    void onAllInterfacesWithoutAuthenticationTheServiceRefusesToStartAndNamesTheFix() {
        try (RunningPooltasks app = RunningPooltasks.builder("listen-refused")
                .property("quarkus.http.host", ALL_INTERFACES).launch()) {
            int exitCode = app.awaitExit(Duration.ofSeconds(60));

            assertThat(exitCode).as(app.output()).isNotZero();
            assertThat(app.logText())
                    .contains("pooltasks refuses to listen on 0.0.0.0 without caller authentication")
                    .contains("pooltasks.auth.allow-anonymous=true")
                    .contains("pooltasks.auth.tokens.<name>.value")
                    .doesNotContain("Listening on");
        }
    }

    @Test
    void allowedExplicitlyItServesAnonymousCallersAndWarns() throws Exception {
        try (RunningPooltasks app = RunningPooltasks.builder("listen-anonymous")
                .property("quarkus.http.host", ALL_INTERFACES)
                .property("pooltasks.auth.allow-anonymous", "true").start()) {
            assertThat(get(app, null).statusCode()).isEqualTo(200);
            assertThat(app.logText())
                    .contains("WARN").contains("caller authentication: none (pooltasks.auth.allow-anonymous=true), "
                            + "and listening on 0.0.0.0: anyone who reaches this port can read every project")
                    .contains("try: curl 'http://localhost:" + app.port() + PATH.replace("limit=1", "limit=5"));
        }
    }

    @Test
    void withTokensItStartsAuthenticatesAndSuggestsATokenCall() throws Exception {
        String token = TestSecrets.random(32);
        try (RunningPooltasks app = RunningPooltasks.builder("listen-token")
                .property("quarkus.http.host", ALL_INTERFACES)
                .token("ops", token, "*", null).start()) {
            assertThat(get(app, null).statusCode()).isEqualTo(401);
            assertThat(get(app, token).statusCode()).isEqualTo(200);
            assertThat(app.logText()).contains("caller authentication: token (1 tokens)")
                    .contains("try: curl -H 'X-Auth-Token: <a configured token>' 'http://localhost:" + app.port())
                    .doesNotContain(token);
        }
    }

    @Test
    void withAccessKeysOnlyItSuggestsTheCommandLineNotAnUnsignedCurl() {
        String secretKey = TestSecrets.random(40);
        try (RunningPooltasks app = RunningPooltasks.builder("listen-aksk")
                .property("quarkus.http.host", ALL_INTERFACES)
                .accessKey("LISTENTESTAK", secretKey, "*", null).start()) {
            assertThat(app.logText()).contains("caller authentication: aksk (1 access keys)")
                    .contains("HUAWEICLOUD_SDK_AK=<AK> HUAWEICLOUD_SDK_SK=<SK> java -jar cli/target/pooltasks.jar tasks "
                            + "--endpoint http://localhost:"
                            + app.port() + " --project " + RunningPooltasks.PROJECT_ID)
                    .doesNotContain("try: curl")
                    .doesNotContain(secretKey);
        }
    }

    private static HttpResponse<String> get(RunningPooltasks app, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUri() + PATH))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return JdkHttp.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
