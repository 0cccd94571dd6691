package dev.pooltasks.adapter.in.rest;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import org.jboss.logging.Logger;

import java.util.regex.Pattern;

/**
 * One log line per API request (request id, method, project, status, duration, and the reason when
 * {@link InboundGate} refused it) and the request metrics; refusals are counted on every path. Nothing from the query
 * string or headers is logged, so no credential can reach the log; the project id is logged only when it looks like
 * an id.
 */
@ApplicationScoped
public class AccessLog {
    private static final Logger LOG = Logger.getLogger("dev.pooltasks.access");
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String API_PREFIX = "/v2/";

    /** Whether access lines are logged (metrics are recorded either way). */
    public record Settings(boolean enabled) {
    }

    // Providers: the router is set up before runtime configuration, which both beans need, is available.
    private final Provider<InboundObserver> observer;
    private final Provider<Settings> settings;

    /** Both, once resolved: both are singletons, and resolving a provider on every request is not free. */
    private volatile InboundObserver resolvedObserver;
    private volatile Settings resolvedSettings;

    @Inject
    public AccessLog(Provider<InboundObserver> observer, Provider<Settings> settings) {
        this.observer = observer;
        this.settings = settings;
    }

    /**
     * Counts a refusal ({@code refusal} names its reason; null when the request was let through) and, if it is an API
     * request, logs and measures it when it ends. Called before anything answers the request.
     */
    void observe(RoutingContext context, String refusal) {
        if (refusal != null) {
            observer().requestRefused(refusal);
        }
        String path = context.request().path();
        if (path == null || !path.startsWith(API_PREFIX)) {
            return;
        }
        long started = System.nanoTime();
        context.addBodyEndHandler(ignored -> {
            long nanos = System.nanoTime() - started;
            int status = context.response().getStatusCode();
            observer().requestCompleted(status, nanos);
            Settings logged = resolvedSettings;
            if (logged == null) {
                resolvedSettings = logged = settings.get();
            }
            if (logged.enabled()) {
                LOG.infof("request_id=%s method=%s project=%s status=%d duration_ms=%.1f%s",
                        context.get(RequestIds.HEADER), context.request().method(), projectOf(path), status,
                        nanos / 1_000_000.0, refusal == null ? "" : " refused=" + refusal);
            }
        });
    }

    private InboundObserver observer() {
        InboundObserver heard = resolvedObserver;
        if (heard == null) {
            resolvedObserver = heard = observer.get();
        }
        return heard;
    }

    static String projectOf(String path) {
        int end = path.indexOf('/', API_PREFIX.length());
        String project = path.substring(API_PREFIX.length(), end < 0 ? path.length() : end);
        return SANE_ID.matcher(project).matches() ? project : "-";
    }
}
