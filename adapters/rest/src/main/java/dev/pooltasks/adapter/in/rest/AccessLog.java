package dev.pooltasks.adapter.in.rest;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import org.jboss.logging.Logger;

import java.util.regex.Pattern;

/**
 * One log line per API request (request id, method, project, status, duration) and the request metrics, for the
 * requests {@link InboundGate} lets through. Nothing from the query string or headers is logged, so no credential can
 * reach the log; the project id is logged only when it looks like an id.
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

    /** Logs and measures the request when it ends, if it is an API request. */
    void observe(RoutingContext context) {
        String path = context.request().path();
        if (path == null || !path.startsWith(API_PREFIX)) {
            return;
        }
        long started = System.nanoTime();
        context.addBodyEndHandler(ignored -> {
            long nanos = System.nanoTime() - started;
            int status = context.response().getStatusCode();
            InboundObserver heard = resolvedObserver;
            if (heard == null) {
                resolvedObserver = heard = observer.get();
            }
            Settings logged = resolvedSettings;
            if (logged == null) {
                resolvedSettings = logged = settings.get();
            }
            heard.requestCompleted(status, nanos);
            if (logged.enabled()) {
                LOG.infof("request_id=%s method=%s project=%s status=%d duration_ms=%.1f",
                        context.get(RequestIds.HEADER), context.request().method(), projectOf(path), status,
                        nanos / 1_000_000.0);
            }
        });
    }

    static String projectOf(String path) {
        int end = path.indexOf('/', API_PREFIX.length());
        String project = path.substring(API_PREFIX.length(), end < 0 ? path.length() : end);
        return SANE_ID.matcher(project).matches() ? project : "-";
    }
}
