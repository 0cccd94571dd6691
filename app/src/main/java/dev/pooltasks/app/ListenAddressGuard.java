package dev.pooltasks.app;

import dev.pooltasks.adapter.in.rest.CallerAuthenticator;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Refuses to start when the API would listen beyond loopback with no caller authentication: anyone who reaches the
 * port could read every project. Configuring access keys or tokens, or {@code pooltasks.auth.allow-anonymous=true},
 * lets it start. Observes startup before anything else (the HTTP server opens its port only after startup events).
 */
public class ListenAddressGuard {

    void onStart(@Observes @Priority(1) StartupEvent event, CallerAuthenticator auth, PooltasksConfig config,
                 @ConfigProperty(name = "quarkus.http.host") String host) {
        check(host, auth.required(), config.callerAuth().allowAnonymous());
    }

    /** Throws, naming the ways out, when {@code host} is not loopback and callers would not be authenticated. */
    static void check(String host, boolean authRequired, boolean allowAnonymous) {
        if (authRequired || allowAnonymous || isLoopback(host)) {
            return;
        }
        throw new ConfigurationException("pooltasks refuses to listen on " + host + " without caller authentication: "
                + "anyone who reaches the port could read every project. Configure an access key "
                + "(pooltasks.auth.access-keys.<AK>.secret-key and .projects) or a token "
                + "(pooltasks.auth.tokens.<name>.value and .projects), or listen on loopback only "
                + "(quarkus.http.host=127.0.0.1), or, to serve without authentication on purpose, set "
                + "pooltasks.auth.allow-anonymous=true (POOLTASKS_AUTH_ALLOW_ANONYMOUS=true).");
    }

    /** Whether every address {@code host} stands for is a loopback address (an unknown name is not). */
    static boolean isLoopback(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
