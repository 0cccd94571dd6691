package dev.pooltasks.app;

import dev.pooltasks.adapter.in.rest.CallerAuthenticator;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Tells a first-time user what is running and what to try. */
public class StartupBanner {
    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    void onStart(@Observes StartupEvent event, TaskSources sources, CallerAuthenticator auth,
                 @ConfigProperty(name = "quarkus.http.host") String host,
                 @ConfigProperty(name = "quarkus.http.port") int port) {
        String base = "http://" + ("0.0.0.0".equals(host) ? "localhost" : host) + ":" + port;
        sources.sandbox().ifPresent(sandbox -> LOG.infof(
                "pooltasks mode: sandbox (no upstream configured): %d generated tasks in project %s",
                sandbox.size(), sandbox.projectId()));
        if (sources.gatewayMode()) {
            LOG.infof("pooltasks mode: gateway, %d upstream(s), %d federation(s)",
                    sources.upstreams().size(), sources.federations().size());
            sources.upstreams().forEach(upstream -> LOG.infof("upstream %s: %s, projects %s, auth %s",
                    upstream.name(), upstream.settings().baseUri(), upstream.settings().projectRewrites().keySet(),
                    upstream.settings().auth()));
            sources.federations().forEach((alias, federation) -> LOG.infof("federation %s: members %s", alias,
                    federation.members().stream().map(m -> m.name() + ":" + m.projectId()).toList()));
            sources.pageCache().ifPresentOrElse(cache -> LOG.infof("upstream cache: up to %d MiB of copies",
                    cache.stats().maxWeightBytes() >> 20), () -> LOG.info("upstream cache: off (ttl 0)"));
        }
        boolean loopback = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
        if (auth.required()) {
            LOG.infof("caller authentication: %s", auth.describe());
        } else if (loopback) {
            LOG.infof("caller authentication: none, so listening on %s only; configure access keys or tokens and set "
                    + "quarkus.http.host=0.0.0.0 (QUARKUS_HTTP_HOST) to serve other machines", host);
        } else {
            LOG.warnf("caller authentication: none, and listening on %s: anyone who reaches this port can read "
                    + "every project", host);
        }
        String project = sources.byProject().keySet().iterator().next();
        LOG.infof("try: curl '%s/v2/%s/desktop-pools/script-execution-tasks/detail?limit=5'", base, project);
        LOG.infof("health: %s/q/health   OpenAPI: %s/q/openapi", base, base);
    }
}
