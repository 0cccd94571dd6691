package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.domain.model.Caller;
import jakarta.ws.rs.container.ContainerRequestContext;

/**
 * The caller of a request, as {@link CallerAuthenticationFilter} established it, kept as a property of the request.
 * A property rather than a request-scoped bean: the filter may learn the caller on another thread (the one its rate
 * budget answered on), where no request context is active.
 */
final class AuthenticatedCaller {
    private static final String PROPERTY = AuthenticatedCaller.class.getName();

    private AuthenticatedCaller() {
    }

    static void set(ContainerRequestContext request, Caller caller) {
        request.setProperty(PROPERTY, caller);
    }

    static Caller of(ContainerRequestContext request) {
        if (!(request.getProperty(PROPERTY) instanceof Caller caller)) {
            throw new IllegalStateException("request was not authenticated");
        }
        return caller;
    }
}
