package dev.pooltasks.app;

import dev.pooltasks.adapter.out.workspace.UpstreamClients;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableBean;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Singleton;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The sandbox default makes nothing it does not use: no upstream clients (their JSON reader and HTTP options). */
@QuarkusTest
class SandboxStartupTest {

    @Test
    void servesTheSandboxWithoutMakingUpstreamClients() {
        assertThat(TaskApi.get("limit", 1).statusCode()).isEqualTo(200);

        Set<InjectableBean<?>> made = Arc.container().getActiveContext(Singleton.class).getState()
                .getContextualInstances().keySet();
        assertThat(made.stream().map(InjectableBean::getTypes).collect(Collectors.toList()))
                .as("the singletons made so far")
                .isNotEmpty()
                .noneMatch(types -> types.contains(UpstreamClients.class));
    }
}
