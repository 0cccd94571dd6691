package dev.pooltasks.app;

import dev.pooltasks.adapter.in.rest.CallerAuthenticator;
import dev.pooltasks.adapter.out.workspace.OutboundAuth;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.TreeSet;

/** Tells a first-time user what is running, where to look and what to try. */
public class StartupBanner {
    private static final Logger LOG = Logger.getLogger(StartupBanner.class);
    private static final String TASKS_PATH = "/desktop-pools/script-execution-tasks/detail?limit=5";

    void onStart(@Observes StartupEvent event, TaskSources sources, CallerAuthenticator auth, PooltasksConfig config,
                 @ConfigProperty(name = "quarkus.http.host") String host,
                 @ConfigProperty(name = "quarkus.http.port") int port,
                 @ConfigProperty(name = "quarkus.management.host") String managementHost,
                 @ConfigProperty(name = "quarkus.management.port") int managementPort) {
        String base = "http://" + reachableName(host) + ":" + port;
        String management = "http://" + reachableName(managementHost) + ":" + managementPort;
        sources.sandbox().ifPresent(sandbox -> LOG.infof(
                "pooltasks mode: sandbox (no upstream configured): %d generated tasks in project %s",
                sandbox.size(), sandbox.projectId()));
        if (sources.gatewayMode()) {
            LOG.infof("pooltasks mode: gateway, %d upstream(s), %d federation(s)",
                    sources.upstreams().size(), sources.federations().size());
            sources.upstreams().forEach(upstream -> LOG.infof("upstream %s: %s, projects %s, calls %s%s",
                    upstream.name(), upstream.settings().baseUri(),
                    new TreeSet<>(upstream.settings().projectRewrites().keySet()), // sorted: the same line every start
                    inWords(upstream.settings().auth()), config.upstreams().get(upstream.name()).servesStatistics()
                            ? "; statistics asked of it (a pooltasks)" : ""));
            sources.federations().forEach((alias, federation) -> LOG.infof("federation %s: members %s", alias,
                    federation.members().stream().map(m -> m.name() + ":" + m.projectId()).toList()));
            sources.mirrors().forEach(mirror -> LOG.infof("project %s is mirrored: served from its copy in PostgreSQL "
                    + "(schema %s), synced from upstream %s every %s", mirror.projectId(), config.postgres().schema(),
                    mirror.upstream().name(), config.mirror().interval()));
            sources.pageCache().ifPresentOrElse(cache -> LOG.infof("upstream cache: up to %d MiB of copies",
                    cache.stats().maxWeightBytes() >> 20), () -> LOG.info("upstream cache: off (ttl 0)"));
        }
        if (auth.required()) {
            LOG.infof("caller authentication: %s", auth.describe());
        } else if (ListenAddressGuard.isLoopback(host)) {
            LOG.infof("caller authentication: none, so listening on %s only; configure access keys or tokens and set "
                    + "quarkus.http.host=0.0.0.0 (QUARKUS_HTTP_HOST) to serve other machines", host);
        } else {
            LOG.warnf("caller authentication: none (pooltasks.auth.allow-anonymous=true), and listening on %s: "
                    + "anyone who reaches this port can read every project", host);
        }
        String project = sources.byProject().keySet().iterator().next();
        String url = base + "/v2/" + project + TASKS_PATH;
        if (!auth.required()) {
            LOG.infof("try: curl '%s'", url);
        } else if (!config.callerAuth().tokens().isEmpty()) {
            LOG.infof("try: curl -H 'X-Auth-Token: <a configured token>' '%s'", url);
        } else {
            LOG.infof("try (signed with AK/SK, which curl cannot do): HUAWEICLOUD_SDK_AK=<AK> HUAWEICLOUD_SDK_SK=<SK> "
                    + "java -jar cli/target/pooltasks.jar tasks --endpoint %s --project %s --limit 5 "
                    + "(the pooltasks command line, see README)",
                    base, project);
        }
        LOG.infof("console: %s/console/?project_id=%s%s", base, project,
                auth.required() ? " (it asks for a token: X-Auth-Token values only, AK/SK stays out of browsers)" : "");
        LOG.infof("Swagger UI: %s/q/swagger-ui/   OpenAPI: %s/q/openapi", base, base);
        LOG.infof("health: %s/q/health   metrics: %s/q/metrics (management interface)", management, management);
    }

    /** An address to call a server listening on {@code host} at: all interfaces are reachable at localhost. */
    private static String reachableName(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "localhost";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** How calls to an upstream authenticate, for people; never a secret. */
    static String inWords(OutboundAuth auth) {
        return switch (auth.mode()) {
            case NONE -> "without credentials";
            case TOKEN -> "with a configured X-Auth-Token";
            case PASS_THROUGH -> "with the caller's own X-Auth-Token, passed on";
            case AKSK -> "signed with access key " + auth.accessKey()
                    + (auth.securityToken() == null ? "" : " (temporary, with a security token)");
        };
    }
}
