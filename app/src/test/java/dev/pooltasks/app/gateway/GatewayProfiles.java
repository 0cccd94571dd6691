package dev.pooltasks.app.gateway;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.List;
import java.util.Map;

/** The two gateway configurations the tests run under; each restarts Quarkus once. */
final class GatewayProfiles {
    static final int CACHE_TTL_MILLIS = 3000;

    private GatewayProfiles() {
    }

    /** Every request reaches the upstreams: no cache, no coalescing. For the fault tests. */
    public static final class NoCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pooltasks.cache.ttl", "0s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(WireMockUpstreams.class));
        }
    }

    /**
     * Cached answers for a short ttl, single flight, and stale answers served for a while when upstreams fail. The
     * deadline is longer: these tests are about what reaches the upstreams, not about time-outs, and 50 requests at
     * once on a busy machine must not time out.
     */
    public static final class Cached implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pooltasks.cache.ttl", CACHE_TTL_MILLIS + "ms",
                    "pooltasks.cache.serve-stale-for", "30s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(WireMockUpstreams.class, Map.of("deadline-millis", "3000")));
        }
    }
}
