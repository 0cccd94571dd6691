package dev.pooltasks.app;

import dev.pooltasks.adapter.out.workspace.WorkspaceUpstream;
import dev.pooltasks.domain.service.FederatedTaskSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * In sandbox mode, ready once the sandbox is generated (the check waits for it). Otherwise reports each upstream's
 * circuit state. Ready while every federation still has a member whose circuit is not open;
 * a single upstream that is down does not make the instance unready (its projects answer 503 quickly instead). Also
 * reports each mirror's freshness; a mirror never makes the instance unready: it serves its copy however old (the age
 * is in every answer), and through its upstream until its copy is loaded.
 */
@Readiness
@ApplicationScoped
public class UpstreamReadiness implements HealthCheck {
    @Inject
    TaskSources sources;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("upstreams");
        if (!sources.gatewayMode()) {
            sources.sandbox().orElseThrow().ready().join(); // generated while the server started
            return response.up().withData("mode", "sandbox").build();
        }
        Map<String, WorkspaceUpstream> byName = sources.upstreams().stream()
                .collect(Collectors.toMap(WorkspaceUpstream::name, Function.identity()));
        byName.values().forEach(upstream -> response.withData(upstream.name(), upstream.circuitState()));
        sources.mirrors().forEach(mirror -> response.withData("mirror " + mirror.projectId(), describe(mirror)));
        boolean ready = true;
        for (Map.Entry<String, FederatedTaskSource> federation : sources.federations().entrySet()) {
            boolean usable = federation.getValue().members().stream()
                    .anyMatch(member -> byName.get(member.name()).available());
            response.withData("federation " + federation.getKey(), usable ? "usable" : "no usable member");
            ready &= usable;
        }
        return response.status(ready).build();
    }

    private static String describe(MirroredProject mirror) {
        return mirror.source().status().map(status -> {
            if (!status.state().backfillDone()) {
                long walked = status.state().backfill() == null ? 0 : status.state().backfill().tasks();
                return "backfilling (" + walked + " tasks so far), served through the upstream meanwhile";
            }
            return "serving " + status.tasks() + " tasks, last synced "
                    + (status.age() == null ? "never" : status.age().getSeconds() + " s ago");
        }).orElse("not loaded yet (database unreachable?), served through the upstream meanwhile");
    }
}
