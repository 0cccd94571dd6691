package dev.pooltasks.app;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Starts the service. */
@QuarkusMain
public final class Main {
    private Main() {
    }

    public static void main(String... args) {
        // Let requests with a malformed URI (bad percent-encoding, raw control characters) reach the application,
        // which answers them in the API's error shape, instead of an empty 400 from the HTTP server.
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
