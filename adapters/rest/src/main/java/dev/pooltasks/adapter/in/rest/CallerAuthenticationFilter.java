package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.aksk.SignableRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Authenticates every API request before it reaches the resource; rejections come in the API's error shape. Runs on
 * the request's IO thread and never blocks it: while the credential's rate budget answers (which may take a round
 * trip to a shared store), the request is suspended, and it resumes on whichever thread the answer arrives.
 */
public class CallerAuthenticationFilter {
    // A provider: JAX-RS builds filters before runtime configuration (which the authenticator needs) is available.
    private final Provider<CallerAuthenticator> authenticator;
    /** The authenticator once resolved (a singleton; resolving the provider on every request is not free). */
    private volatile CallerAuthenticator resolved;

    @Inject
    public CallerAuthenticationFilter(Provider<CallerAuthenticator> authenticator) {
        this.authenticator = authenticator;
    }

    /**
     * Null or a Uni completing with null to let the request through, or a Uni completing with the rejection to answer
     * instead.
     */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request) {
        CallerAuthenticator callerAuthenticator = resolved;
        if (callerAuthenticator == null) {
            resolved = callerAuthenticator = authenticator.get();
        }
        // The headers as Vert.x received them: JAX-RS's request headers would be a copy of them all, made on first use.
        HttpServerRequest http = CurrentRequestManager.get().serverRequest().unwrap(HttpServerRequest.class);
        CompletableFuture<CallerAuthenticator.Outcome> outcome = callerAuthenticator
                .authenticate(http::getHeader, () -> signable(request.getMethod(), http)).toCompletableFuture();
        if (outcome.isDone() && !outcome.isCompletedExceptionally() && outcome.join().isAccepted()) {
            // Accepted at once (no budget to ask): a null Uni lets the request through without suspending it.
            AuthenticatedCaller.set(request, outcome.join().caller());
            return null;
        }
        return Uni.createFrom().completionStage(outcome).map(decided -> {
            if (decided.isAccepted()) {
                // A request property, not request-scoped state: this may run on the budget's thread.
                AuthenticatedCaller.set(request, decided.caller());
                return null;
            }
            return decided.retryAfterSeconds() > 0
                    ? ErrorResponses.of(decided.error(), decided.message(), null, decided.retryAfterSeconds())
                    : ErrorResponses.of(decided.error(), decided.message(), null);
        });
    }

    private static SignableRequest signable(String method, HttpServerRequest http) {
        // The path and query exactly as received (not UriInfo's absolute URI: there is none without a valid Host,
        // as in HTTP/1.0, and it is normalised, while a signature covers the path as sent).
        SignableRequest signable = SignableRequest.received(method, http.path(), http.query(), http.headers());
        if (!signable.headers().containsKey("Host") && http.authority() != null) {
            // HTTP/2 carries the host in :authority, which is what a client signs as "host" (RFC 9113 8.3.1).
            return signable.withHeaders(Map.of("Host", http.authority().toString()));
        }
        return signable;
    }
}
