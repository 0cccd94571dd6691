package dev.pooltasks.adapter.in.rest;

import java.time.Duration;
import java.util.List;

/**
 * How callers authenticate. With no mode enabled every caller is anonymous and may read every project.
 *
 * @param accessKeys    credentials for AK/SK (SDK-HMAC-SHA256) signatures; enabled when non-empty
 * @param tokens        credentials for static X-Auth-Token values; enabled when non-empty
 * @param maxClockSkew  how far X-Sdk-Date may be from the server clock
 */
public record InboundAuthSettings(List<InboundCredential> accessKeys, List<InboundCredential> tokens,
                                  Duration maxClockSkew) {
    public InboundAuthSettings {
        accessKeys = List.copyOf(accessKeys);
        tokens = List.copyOf(tokens);
    }

    public static InboundAuthSettings none() {
        return new InboundAuthSettings(List.of(), List.of(), Duration.ofMinutes(15));
    }

    public boolean required() {
        return !accessKeys.isEmpty() || !tokens.isEmpty();
    }

    /** For logs: the enabled modes. */
    public String describe() {
        if (!required()) {
            return "none";
        }
        return (accessKeys.isEmpty() ? "" : "aksk (" + accessKeys.size() + " access keys)")
                + (!accessKeys.isEmpty() && !tokens.isEmpty() ? ", " : "")
                + (tokens.isEmpty() ? "" : "token (" + tokens.size() + " tokens)");
    }
}
