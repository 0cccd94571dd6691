package dev.pooltasks.app;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox is generated once the server listens, without waiting for a first query: in an instance of its own (a
 * profile of its own), which nothing has queried or checked for readiness, it is generated all the same.
 */
@QuarkusTest
@TestProfile(SandboxGeneratedOnceListeningTest.OwnInstance.class)
class SandboxGeneratedOnceListeningTest {
    @Inject
    TaskSources sources;

    @Test
    void isGeneratedWithoutAQuery() throws Exception {
        sources.sandbox().orElseThrow().generation().get(30, TimeUnit.SECONDS);

        assertThat(sources.sandbox().orElseThrow().generation()).isCompleted();
        assertThat(TaskApi.get("limit", 0).jsonPath().getInt("total_count")).isEqualTo(500);
    }

    public static final class OwnInstance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pooltasks.sandbox.tasks", "500");
        }
    }
}
