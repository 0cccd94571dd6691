package dev.pooltasks.app;

import dev.pooltasks.adapter.out.sandbox.SandboxTaskStore;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Tells a first-time user what is running and what to try. */
public class StartupBanner {
    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    void onStart(@Observes StartupEvent event, SandboxTaskStore sandbox,
                 @ConfigProperty(name = "quarkus.http.host") String host,
                 @ConfigProperty(name = "quarkus.http.port") int port) {
        String base = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + port;
        LOG.infof("pooltasks mode: sandbox (no upstream configured): %d generated tasks in project %s",
                sandbox.size(), sandbox.projectId());
        LOG.infof("try: curl '%s/v2/%s/desktop-pools/script-execution-tasks/detail?limit=5'", base, sandbox.projectId());
        LOG.infof("health: %s/q/health   OpenAPI: %s/q/openapi", base, base);
    }
}
