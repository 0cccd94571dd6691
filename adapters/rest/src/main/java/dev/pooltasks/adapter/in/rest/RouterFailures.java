package dev.pooltasks.adapter.in.rest;

import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * Answers failures raised below JAX-RS (a request without a usable Host header, say) in the API's error shape with a
 * request id, instead of the framework's own body; and logs them without the query string, which may hold anything.
 * {@link InboundGate}'s route is where it is installed.
 */
public final class RouterFailures {
    private static final Logger LOG = Logger.getLogger(RouterFailures.class);

    private RouterFailures() {
    }

    static void answer(RoutingContext context) {
        if (context.response().ended() || context.response().headWritten()) {
            return;
        }
        int status = context.statusCode();
        if (ApiError.forStatus(status) == ApiError.INTERNAL) {
            LOG.errorf(context.failure(), "request to %s failed", context.request().path());
        }
        if (context.response().headers().get(RequestIds.HEADER) == null) {
            // The failure came before the request had its id (an unusable Host header, say).
            context.response().putHeader(RequestIds.HEADER,
                    RequestIds.saneOrNew(context.request().getHeader(RequestIds.HEADER)));
        }
        ErrorResponses.writeForStatus(context.response(), status);
    }
}
