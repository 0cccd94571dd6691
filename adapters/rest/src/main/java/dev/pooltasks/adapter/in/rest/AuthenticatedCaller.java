package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.domain.model.Caller;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;

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

    /**
     * The caller of the request being served. Read from RESTEasy's current request, where an injected
     * {@code ContainerRequestContext} would be a request-scoped proxy costing a CDI lookup on every call.
     */
    static Caller current() {
        if (!(CurrentRequestManager.get().getProperty(PROPERTY) instanceof Caller caller)) {
            throw new IllegalStateException("request was not authenticated");
        }
        return caller;
    }
}
