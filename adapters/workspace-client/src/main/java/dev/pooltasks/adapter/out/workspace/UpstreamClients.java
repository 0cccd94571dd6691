package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.api.server.V2Api;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Builds the client of an upstream from the contract's generated interface: the same {@link V2Api} the REST facade
 * implements, here as a non-blocking Quarkus REST client.
 */
public final class UpstreamClients {
    private UpstreamClients() {
    }

    public static WorkspaceUpstream connect(UpstreamSettings settings, UpstreamCallListener listener) {
        long deadlineMillis = settings.deadline().toMillis();
        QuarkusRestClientBuilder builder = QuarkusRestClientBuilder.newBuilder()
                .baseUri(settings.baseUri())
                .connectTimeout(deadlineMillis, TimeUnit.MILLISECONDS)
                .readTimeout(deadlineMillis, TimeUnit.MILLISECONDS);
        if (settings.auth().mode() == OutboundAuth.Mode.AKSK) {
            builder.register(new AkskSigningFilter(settings.auth(), Clock.systemUTC()));
        }
        return new WorkspaceUpstream(settings, builder.build(V2Api.class), listener);
    }
}
