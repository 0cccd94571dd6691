package dev.pooltasks.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A federation whose members are called with the caller's own token (pass-through), over two pooltasks sandboxes that
 * require tokens: a caller whose token the members refuse gets their refusal (401, as a single upstream's route passes
 * it on), not "unavailable", from the strict and the partial federation alike, in lists and statistics; a token only
 * one member accepts gets the partial federation's answer from that member, the other named missing. A second gateway
 * calls the same members with tokens of its own, one of them wrong: that member's refusal is the gateway's problem,
 * not its caller's, so the member is unavailable (503) or missing, never a 401 to the caller.
 */
class PassThroughFederationTest {
    private static final String EAST = "east-project";
    private static final String WEST = "west-project";
    private static final String TASKS = "/desktop-pools/script-execution-tasks/detail";
    private static final String STATISTICS = "/desktop-pools/script-execution-tasks/statistics?group_by=status";
    private static final String BOTH = TestSecrets.random(32);
    private static final String EAST_ONLY = TestSecrets.random(32);

    private static RunningPooltasks east;
    private static RunningPooltasks west;
    private static RunningPooltasks gateway;
    /** Calls east with a token east refuses and west with one it accepts; no caller authentication of its own. */
    private static RunningPooltasks ownTokens;

    @BeforeAll
    static void startTheInstances() {
        east = RunningPooltasks.builder("passing-east").property("pooltasks.sandbox.project-id", EAST)
                .property("pooltasks.sandbox.seed", "21").property("pooltasks.sandbox.tasks", "300")
                .token("ops", BOTH, "*", 0).token("east-team", EAST_ONLY, EAST, 0).start();
        west = RunningPooltasks.builder("passing-west").property("pooltasks.sandbox.project-id", WEST)
                .property("pooltasks.sandbox.seed", "22").property("pooltasks.sandbox.tasks", "200")
                .token("ops", BOTH, "*", 0).start();
        gateway = RunningPooltasks.builder("passing-gateway")
                .upstream("east", east, EAST).property("pooltasks.upstreams.east.auth.mode", "pass-through")
                .upstream("west", west, WEST).property("pooltasks.upstreams.west.auth.mode", "pass-through")
                .property("pooltasks.federations.all.members", "east:" + EAST + ",west:" + WEST)
                .property("pooltasks.federations.all-partial.members", "east:" + EAST + ",west:" + WEST)
                .property("pooltasks.federations.all-partial.partial", "true").start();
        ownTokens = RunningPooltasks.builder("own-tokens-gateway")
                .upstream("east", east, EAST).property("pooltasks.upstreams.east.auth.mode", "token")
                .env("POOLTASKS_UPSTREAMS_EAST_AUTH_TOKEN", "revoked-" + BOTH)
                .upstream("west", west, WEST).property("pooltasks.upstreams.west.auth.mode", "token")
                .env("POOLTASKS_UPSTREAMS_WEST_AUTH_TOKEN", BOTH)
                .property("pooltasks.federations.all.members", "east:" + EAST + ",west:" + WEST)
                .property("pooltasks.federations.all-partial.members", "east:" + EAST + ",west:" + WEST)
                .property("pooltasks.federations.all-partial.partial", "true").start();
    }

    @AfterAll
    static void stopThem() {
        for (RunningPooltasks instance : new RunningPooltasks[] {gateway, ownTokens, east, west}) {
            if (instance != null) {
                instance.close();
            }
        }
    }

    @Test
    void aTokenBothMembersAcceptReadsTheWholeFederation() throws Exception {
        for (String alias : List.of("all", "all-partial")) {
            HttpResponse<String> answer = get(gateway, alias, TASKS + "?limit=0", BOTH);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).contains("\"total_count\":500");
            assertThat(answer.headers().firstValue("X-Pooltasks-Missing-Upstreams")).isEmpty();
        }
    }

    @Test
    void aTokenTheMembersRefuseGetsTheirRefusalFromEveryFederationInListsAndStatistics() throws Exception {
        HttpResponse<String> memberRefusal = get(east, EAST, TASKS, "expired-" + BOTH);
        assertThat(memberRefusal.statusCode()).isEqualTo(401);

        for (String alias : List.of("all", "all-partial")) {
            for (String path : List.of(TASKS, STATISTICS)) {
                HttpResponse<String> refused = get(gateway, alias, path, "expired-" + BOTH);
                assertThat(refused.statusCode()).as("%s %s: %s", alias, path, refused.body()).isEqualTo(401);
                assertThat(refused.body()).isEqualTo(memberRefusal.body()).contains("\"error_code\"");
            }
        }
    }

    @Test
    void aTokenOnlyOneMemberAcceptsIsRefusedByTheStrictFederationAndAnsweredInPartByThePartialOne()
            throws Exception {
        HttpResponse<String> westRefusal = get(west, WEST, TASKS, EAST_ONLY);
        assertThat(westRefusal.statusCode()).isEqualTo(401);

        HttpResponse<String> strict = get(gateway, "all", TASKS, EAST_ONLY);
        HttpResponse<String> partial = get(gateway, "all-partial", TASKS + "?limit=0", EAST_ONLY);

        assertThat(strict.statusCode()).as(strict.body()).isEqualTo(401);
        assertThat(strict.body()).isEqualTo(westRefusal.body());
        assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
        assertThat(partial.body()).contains("\"total_count\":300");
        assertThat(partial.headers().firstValue("X-Pooltasks-Missing-Upstreams")).hasValue("west");
    }

    @Test
    void aMemberRefusingTheGatewaysOwnTokenIsUnavailableToTheCallerNotARefusalOfTheCaller() throws Exception {
        HttpResponse<String> memberRefusal = get(east, EAST, TASKS, "revoked-" + BOTH);
        assertThat(memberRefusal.statusCode()).isEqualTo(401);
        String memberMessage = new ObjectMapper().readTree(memberRefusal.body()).path("error_msg").asText();
        assertThat(memberMessage).isNotBlank();

        for (String path : List.of(TASKS, STATISTICS)) {
            for (String project : List.of(EAST, "all")) {
                HttpResponse<String> unavailable = get(ownTokens, project, path, null);
                assertThat(unavailable.statusCode()).as("%s %s: %s", project, path, unavailable.body()).isEqualTo(503);
                assertThat(unavailable.body()).contains("\"error_code\":\"WKS.1006\"", "\"error_detail\":\"east\"",
                        "HTTP 401", "own credentials (auth mode token)", "pooltasks.upstreams.east.auth")
                        .doesNotContain(memberMessage);
            }
            HttpResponse<String> partial = get(ownTokens, "all-partial", path, null);
            assertThat(partial.statusCode()).as(partial.body()).isEqualTo(200);
            assertThat(partial.headers().firstValue("X-Pooltasks-Missing-Upstreams")).hasValue("east");
        }
        assertThat(get(ownTokens, "all-partial", TASKS + "?limit=0", null).body()).contains("\"total_count\":200");
        assertThat(get(ownTokens, WEST, TASKS + "?limit=0", null).body()).contains("\"total_count\":200");
        String log = ownTokens.logText();
        assertThat(log).contains("upstream east answered HTTP 401").doesNotContain("revoked-" + BOTH, BOTH);
        assertThat(log.lines().filter(line -> line.contains("upstream east answered HTTP 401")))
                .as("six refusals within seconds: warned once (then once a minute)").hasSize(1);
    }

    private static HttpResponse<String> get(RunningPooltasks instance, String project, String path, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance.baseUri() + "/v2/" + project + path));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return JdkHttp.client().send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
