package dev.pooltasks.app.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * One upstream as the gateway sees it (a name in {@code pooltasks.upstreams}) and the project id it is asked for,
 * on a WireMock server. Several upstreams may share a server; they are told apart by the project in the path.
 */
public final class FakeUpstream {
    private final String name;
    private final String project;
    private final WireMockServer server;
    private final PagesTransformer pages;

    FakeUpstream(String name, String project, WireMockServer server, PagesTransformer pages) {
        this.name = name;
        this.project = project;
        this.server = server;
        this.pages = pages;
    }

    public String name() {
        return name;
    }

    /** The project id the gateway asks this upstream for. */
    public String project() {
        return project;
    }

    public WireMockServer server() {
        return server;
    }

    static String path(String project) {
        return "/v2/" + project + "/desktop-pools/script-execution-tasks/detail";
    }

    String path() {
        return path(project);
    }

    /** Serves these tasks (in the API order) through the page stubs of this server. */
    void serve(List<Map<String, Object>> tasks) {
        pages.serve(tasks);
    }

    /** The tasks served, in the API order. */
    List<Map<String, Object>> tasks() {
        return pages.tasks();
    }

    /** A response that answers pages of the served tasks by offset and limit. */
    static ResponseDefinitionBuilder pagesResponse() {
        return aResponse().withStatus(200).withTransformers(PagesTransformer.NAME);
    }

    /** From now on, this project answers pages, changed by {@code tweak} (a delay, say). */
    void answerPages(UnaryOperator<ResponseDefinitionBuilder> tweak) {
        answer(tweak.apply(pagesResponse()));
    }

    /** From now on, this project answers {@code response} (overriding the default page stub). */
    void answer(ResponseDefinitionBuilder response) {
        server.stubFor(request().willReturn(response));
    }

    /** Answers the responses one after the other, the last one from then on (a WireMock scenario). */
    void answerInTurn(ResponseDefinitionBuilder... responses) {
        String scenario = name + "-in-turn";
        for (int i = 0; i < responses.length; i++) {
            ScenarioMappingBuilder stub = request().inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "call-" + i)
                    .willReturn(responses[i]);
            if (i < responses.length - 1) {
                stub = stub.willSetStateTo("call-" + (i + 1));
            }
            server.stubFor(stub);
        }
    }

    private MappingBuilder request() {
        return get(urlPathEqualTo(path())).atPriority(1);
    }

    RequestPatternBuilder requested() {
        return getRequestedFor(urlPathEqualTo(path()));
    }

    /** Requests this upstream received for its project, oldest first. */
    List<LoggedRequest> requests() {
        return server.findAll(requested());
    }

    int hits() {
        return requests().size();
    }

    /** Fails unless exactly {@code count} requests for this project reached the server. */
    void verifyHits(int count) {
        server.verify(count, requested());
    }

    @Override
    public String toString() {
        return name;
    }
}
