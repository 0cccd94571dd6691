package dev.pooltasks.app;

import dev.pooltasks.adapter.in.rest.CallerAuthenticator;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * The web console's routes around its static files ({@code META-INF/resources/console/}): {@code /} and
 * {@code /console} redirect to {@code /console/}, relatively, so that a gateway's path prefix is kept; and the console's
 * answers carry a content security policy that lets the page load and call nothing but this origin.
 *
 * <p>The redirect from {@code /} names a project only when caller authentication is off (anyone may then read every
 * project anyway): the sandbox's, or the first served project id. With authentication on, the console asks for one.
 */
@ApplicationScoped
public class ConsoleRoutes {
    static final String PATH = "/console/";
    /** Scripts, styles, images and API calls from this origin only; never framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    // Providers: the router is set up before runtime configuration, which both need, is available.
    @Inject
    Provider<TaskSources> sources;

    @Inject
    Provider<CallerAuthenticator> authenticator;

    void install(@Observes Router router) {
        // Exact paths rather than patterns, which every API request would be matched against.
        router.get("/").order(Integer.MIN_VALUE + 10).handler(context -> redirect(context, "console/" + firstView()));
        router.get("/console").order(Integer.MIN_VALUE + 10).handler(context -> {
            // Vert.x also routes "/console/" here; that one is the console itself.
            if (context.request().path().equals("/console")) {
                redirect(context, "console/");
            } else {
                context.next();
            }
        });
        router.route(PATH + "*").order(Integer.MIN_VALUE + 10).handler(context -> {
            context.addHeadersEndHandler(ignored -> context.response().headers()
                    .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                    .set("X-Content-Type-Options", "nosniff")
                    .set("Referrer-Policy", "no-referrer")
                    // revalidated (Last-Modified) rather than kept a day: a new version's page shows at once
                    .set("Cache-Control", "no-cache"));
            context.next();
        });
    }

    /** The query of the console's first view: a project to open, when authentication is off. */
    String firstView() {
        if (authenticator.get().required()) {
            return "";
        }
        TaskSources served = sources.get();
        String project = served.sandbox().map(sandbox -> sandbox.projectId())
                .orElseGet(() -> new TreeSet<>(served.byProject().keySet()).stream().findFirst().orElse(null));
        return project == null ? "" : "?project_id=" + URLEncoder.encode(project, StandardCharsets.UTF_8);
    }

    private static void redirect(RoutingContext context, String location) {
        context.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location).end();
    }
}
