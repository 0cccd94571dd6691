package dev.pooltasks.app;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.inject.Singleton;

/**
 * Answers plain-HTTP requests in HTTP/1.1, ignoring a client's offer to upgrade to HTTP/2 (h2c); HTTPS still
 * negotiates HTTP/2 by ALPN. The JDK's {@code HttpClient} offers that upgrade by default, and after it now and then
 * never completes an answer longer than one HTTP/2 frame (16 KB), hanging the call until the idle timeout: 0.3 to 3 %
 * of fresh connections for a page of 100 tasks, with Java 17 and 25 alike (README, the Java client). Quarkus applies
 * this to the API's server only, not to the management interface.
 */
@Singleton
public class NoClearTextHttp2 implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }
}
