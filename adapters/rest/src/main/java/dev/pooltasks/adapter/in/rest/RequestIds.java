package dev.pooltasks.adapter.in.rest;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every HTTP response an {@code X-Request-Id}: the caller's own when it is sane, otherwise a fresh one. Installed
 * on the router itself, ahead of every route, so that errors raised before JAX-RS (or outside it) carry one too.
 */
@ApplicationScoped
public class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String id = saneOrNew(context.request().getHeader(HEADER));
            context.put(HEADER, id);
            context.response().putHeader(HEADER, id);
            context.next();
        });
    }

    static String saneOrNew(String candidate) {
        if (candidate != null && SANE.matcher(candidate).matches()) {
            return candidate;
        }
        // Unique enough to correlate logs, and far cheaper than a SecureRandom-backed UUID on every request.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format("%016x%016x", random.nextLong(), random.nextLong());
    }
}
