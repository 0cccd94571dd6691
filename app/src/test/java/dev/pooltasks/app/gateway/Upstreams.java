package dev.pooltasks.app.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * The fake upstreams of {@link WireMockUpstreams}: three WireMock servers (east, west, south), plus more upstreams
 * configured on the east and south servers for the bulkhead (narrow), rate-limit (limited) and answer size (large)
 * tests, and on the west server for statistics walks within a rate budget (counted).
 */
public final class Upstreams {
    static final List<Map<String, Object>> EAST_TASKS = FakeTasks.generate("east", 12, 1);
    static final List<Map<String, Object>> WEST_TASKS = FakeTasks.generate("west", 9, 2);
    static final List<Map<String, Object>> SOUTH_TASKS = FakeTasks.generate("south", 7, 3);

    final FakeUpstream east;
    final FakeUpstream west;
    final FakeUpstream south;
    /** Upstream {@code narrow}: max 2 calls in flight, deadline 2 s, on the east server. */
    final FakeUpstream narrow;
    /** Upstream {@code limited}: 3 calls a minute, on the south server. */
    final FakeUpstream limited;
    /** Upstream {@code large}: a 10 s deadline, on the east server. */
    final FakeUpstream large;
    /** Upstream {@code counted}: 3 calls a minute, on the west server, for statistics walks within a budget. */
    final FakeUpstream counted;

    private final List<WireMockServer> servers;

    Upstreams(WireMockServer eastServer, PagesTransformer eastPages, WireMockServer westServer,
              PagesTransformer westPages, WireMockServer southServer, PagesTransformer southPages) {
        east = new FakeUpstream("east", "p-east", eastServer, eastPages);
        west = new FakeUpstream("west", "p-west", westServer, westPages);
        south = new FakeUpstream("south", "p-south", southServer, southPages);
        narrow = new FakeUpstream("narrow", "p-narrow", eastServer, eastPages);
        limited = new FakeUpstream("limited", "p-limited", southServer, southPages);
        large = new FakeUpstream("large", "p-large", eastServer, eastPages);
        counted = new FakeUpstream("counted", "p-counted", westServer, westPages);
        servers = List.of(eastServer, westServer, southServer);
    }

    /** The three members of the federations, in configuration order. */
    List<FakeUpstream> members() {
        return List.of(east, west, south);
    }

    /**
     * Forgets stubs, scenarios and journals; every server answers pages of its default tasks for any project at a
     * low priority, so that a test's own stubs win.
     */
    void reset() {
        for (WireMockServer server : servers) {
            server.resetAll();
            server.stubFor(get(urlPathMatching("/v2/[^/]+/desktop-pools/script-execution-tasks/detail"))
                    .atPriority(10).willReturn(FakeUpstream.pagesResponse()));
        }
        east.serve(EAST_TASKS);
        west.serve(WEST_TASKS);
        south.serve(SOUTH_TASKS);
    }

    void resetJournals() {
        servers.forEach(WireMockServer::resetRequests);
    }
}
