package dev.pooltasks.adapter.in.rest;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The router's first route, which every request passes: it gives the request its id ({@link RequestIds}), refuses it
 * past a limit ({@link RequestLimits}) or with a query JAX-RS would misread ({@link QueryChecks}), and has it
 * logged and measured when it ends ({@link AccessLog}), refused or not; failures raised below JAX-RS are answered
 * here too ({@link RouterFailures}). One route rather than one per concern: each route a request passes is another
 * step through the router's list.
 */
@ApplicationScoped
public class InboundGate {
    private final AccessLog accessLog;

    @Inject
    public InboundGate(AccessLog accessLog) {
        this.accessLog = accessLog;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::admit).failureHandler(RouterFailures::answer);
    }

    private void admit(RoutingContext context) {
        RequestIds.assign(context);
        HttpServerRequest request = context.request();
        Refusal refusal = RequestLimits.refusal(request);
        if (refusal == null) {
            refusal = QueryChecks.refusal(request);
        }
        // Before the answer is written: a refused request is logged and measured too, with its reason.
        accessLog.observe(context, refusal == null ? null : refusal.reason());
        if (refusal == null) {
            context.next();
        } else {
            ErrorResponses.write(context.response(), refusal.error(), refusal.message(), refusal.detail());
        }
    }
}
