package dev.pooltasks.app.gateway;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Starts three WireMock upstreams on dynamic ports (request journal on) and configures the gateway against them:
 * upstreams east, west and south (project {@code p-NAME} each, east also {@code ours → theirs}), federations
 * {@code all} (strict) and {@code all-partial} over the three, short deadlines (1 s), no rate limit, a circuit
 * breaker that opens when its last 3 calls all failed, for 10 s, then probes with one call; plus {@code narrow}
 * (bulkhead of 2), {@code limited} (3 calls a minute) and {@code large} (a 10 s deadline, for answers too large to
 * read) and {@code counted} (3 calls a minute, for statistics walks). Injects {@link Upstreams} into fields
 * annotated {@link InjectUpstreams}.
 */
public class WireMockUpstreams implements QuarkusTestResourceLifecycleManager {
    /** The deadline of east, west and south unless a profile passes another as the {@code deadline-millis} arg. */
    static final int DEADLINE_MILLIS = 1000;
    static final int NARROW_DEADLINE_MILLIS = 2000;
    static final int LARGE_DEADLINE_MILLIS = 10_000;
    /** The circuit's window: this many calls, all failed, open it (so: this many failures in a row). */
    static final int FAILURE_THRESHOLD = 3;
    /** Long, so that real time never closes a circuit during a test: tests move the application's clock instead. */
    static final int OPEN_MILLIS = 10_000;
    static final String OUTBOUND_ACCESS_KEY = "AKOUTBOUNDTEST";
    static final String OUTBOUND_SECRET_KEY = "outbound-secret-key-for-tests";
    static final String OUTBOUND_TOKEN = "outbound-static-token-for-tests";

    private WireMockServer east;
    private WireMockServer west;
    private WireMockServer south;
    private Upstreams upstreams;
    private int deadlineMillis = DEADLINE_MILLIS;

    @Override
    public void init(Map<String, String> initArgs) {
        deadlineMillis = Integer.parseInt(initArgs.getOrDefault("deadline-millis", String.valueOf(DEADLINE_MILLIS)));
    }

    @Override
    public Map<String, String> start() {
        PagesTransformer eastPages = new PagesTransformer();
        PagesTransformer westPages = new PagesTransformer();
        PagesTransformer southPages = new PagesTransformer();
        east = started(eastPages);
        west = started(westPages);
        south = started(southPages);
        upstreams = new Upstreams(east, eastPages, west, westPages, south, southPages);
        upstreams.reset();

        Map<String, String> config = new HashMap<>();
        upstream(config, "east", east, deadlineMillis);
        config.put("pooltasks.upstreams.east.projects.ours", "theirs");
        upstream(config, "west", west, deadlineMillis);
        upstream(config, "south", south, deadlineMillis);
        upstream(config, "narrow", east, NARROW_DEADLINE_MILLIS);
        config.put("pooltasks.upstreams.narrow.max-concurrent-calls", "2");
        // its first call is not warmed up (that would spend its budget): a longer deadline covers that
        upstream(config, "limited", south, 3 * DEADLINE_MILLIS);
        config.put("pooltasks.upstreams.limited.rate-limit-per-minute", "3");
        // WireMock itself takes about a second to start sending a 50 MiB answer: a deadline that leaves that out
        upstream(config, "large", east, LARGE_DEADLINE_MILLIS);
        // statistics walks within a budget: a call at a time, 3 a minute (its own bucket, no other test's)
        upstream(config, "counted", west, 3 * DEADLINE_MILLIS);
        config.put("pooltasks.upstreams.counted.rate-limit-per-minute", "3");
        // Outbound authentication: three more upstreams in front of west's project, one per auth mode.
        for (String mode : new String[] {"signed", "tokened", "passing"}) {
            upstream(config, mode, west, deadlineMillis);
            config.remove("pooltasks.upstreams." + mode + ".projects.p-" + mode);
            config.put("pooltasks.upstreams." + mode + ".projects.p-" + mode, "p-west");
        }
        config.put("pooltasks.upstreams.signed.auth.mode", "aksk");
        config.put("pooltasks.upstreams.signed.auth.access-key", OUTBOUND_ACCESS_KEY);
        config.put("pooltasks.upstreams.signed.auth.secret-key", OUTBOUND_SECRET_KEY);
        config.put("pooltasks.upstreams.tokened.auth.mode", "token");
        config.put("pooltasks.upstreams.tokened.auth.token", OUTBOUND_TOKEN);
        config.put("pooltasks.upstreams.passing.auth.mode", "pass-through");
        String members = "east:p-east,west:p-west,south:p-south";
        config.put("pooltasks.federations.all.members", members);
        config.put("pooltasks.federations.all-partial.members", members);
        config.put("pooltasks.federations.all-partial.partial", "true");
        return config;
    }

    private static WireMockServer started(PagesTransformer pages) {
        WireMockConfiguration options = options().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(40).extensions(pages);
        WireMockServer server = new WireMockServer(options);
        server.start();
        return server;
    }

    private static void upstream(Map<String, String> config, String name, WireMockServer server, int deadlineMillis) {
        String prefix = "pooltasks.upstreams." + name + ".";
        config.put(prefix + "url", "http://127.0.0.1:" + server.port());
        config.put(prefix + "projects.p-" + name, "p-" + name);
        config.put(prefix + "deadline", deadlineMillis + "ms");
        config.put(prefix + "rate-limit-per-minute", "0");
        config.put(prefix + "circuit-breaker.failure-rate-threshold", "100");
        config.put(prefix + "circuit-breaker.window-size", String.valueOf(FAILURE_THRESHOLD));
        config.put(prefix + "circuit-breaker.minimum-calls", String.valueOf(FAILURE_THRESHOLD));
        config.put(prefix + "circuit-breaker.half-open-probes", "1");
        config.put(prefix + "circuit-breaker.open-duration", OPEN_MILLIS + "ms");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(upstreams,
                new TestInjector.AnnotatedAndMatchesType(InjectUpstreams.class, Upstreams.class));
    }

    @Override
    public void stop() {
        for (WireMockServer server : new WireMockServer[] {east, west, south}) {
            if (server != null) {
                server.stop();
            }
        }
    }
}
