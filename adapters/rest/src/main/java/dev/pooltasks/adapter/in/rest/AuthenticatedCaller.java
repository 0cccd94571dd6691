package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.domain.model.Caller;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the current request, as {@link CallerAuthenticationFilter} established it. */
@RequestScoped
public class AuthenticatedCaller {
    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    Caller get() {
        if (caller == null) {
            throw new IllegalStateException("request was not authenticated");
        }
        return caller;
    }
}
