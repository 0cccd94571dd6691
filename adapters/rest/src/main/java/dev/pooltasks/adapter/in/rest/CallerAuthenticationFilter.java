package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.aksk.SignableRequest;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;


import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Authenticates every API request before it reaches the resource; rejections come in the API's error shape. */
@jakarta.ws.rs.ext.Provider
@Priority(Priorities.AUTHENTICATION)
public class CallerAuthenticationFilter implements ContainerRequestFilter {
    // A provider: JAX-RS builds filters before runtime configuration (which the authenticator needs) is available.
    private final Provider<CallerAuthenticator> authenticator;
    private final AuthenticatedCaller authenticated;

    @Inject
    public CallerAuthenticationFilter(Provider<CallerAuthenticator> authenticator, AuthenticatedCaller authenticated) {
        this.authenticator = authenticator;
        this.authenticated = authenticated;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.getHeaders().forEach(headers::put);
        SignableRequest signable = new SignableRequest(request.getMethod(), uri.getRawPath(), uri.getRawQuery(),
                headers, new byte[0]);
        CallerAuthenticator.Outcome outcome = authenticator.get().authenticate(signable);
        if (outcome.isAccepted()) {
            authenticated.set(outcome.caller());
            return;
        }
        Response rejection = ErrorResponses.of(outcome.error(), outcome.message(), null);
        if (outcome.retryAfterSeconds() > 0) {
            rejection = Response.fromResponse(rejection).header(ErrorMappers.RETRY_AFTER, outcome.retryAfterSeconds())
                    .build();
        }
        request.abortWith(rejection);
    }
}
