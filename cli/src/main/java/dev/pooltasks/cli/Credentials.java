package dev.pooltasks.cli;

import dev.pooltasks.aksk.AkskSigner;
import dev.pooltasks.aksk.SignableRequest;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * How requests are authenticated: an {@code X-Auth-Token}, an AK/SK signature, or nothing (a pooltasks without caller
 * authentication). Secrets never appear in {@code toString()} or in an exception message.
 */
sealed interface Credentials permits Credentials.Anonymous, Credentials.Token, Credentials.AccessKey {
    /** The variables the official Huawei Cloud SDK reads (EnvCredentialProvider of huaweicloud-sdk-core). */
    String AK_VARIABLE = "HUAWEICLOUD_SDK_AK";
    String SK_VARIABLE = "HUAWEICLOUD_SDK_SK";
    String SECURITY_TOKEN_VARIABLE = "HUAWEICLOUD_SDK_SECURITY_TOKEN";
    String PROJECT_ID_VARIABLE = "HUAWEICLOUD_SDK_PROJECT_ID";
    /** This command line's own variable for an X-Auth-Token; PTCLI_, not POOLTASKS_, which configures the service. */
    String TOKEN_VARIABLE = "PTCLI_AUTH_TOKEN";

    /** No credentials. */
    record Anonymous() implements Credentials {
    }

    /** An {@code X-Auth-Token}. */
    record Token(String value) implements Credentials {
        @Override
        public String toString() {
            return "Token[<redacted>]";
        }
    }

    /** AK/SK, with the security token of temporary keys (null for permanent ones). */
    record AccessKey(String accessKey, String secretKey, String securityToken) implements Credentials {
        @Override
        public String toString() {
            return "AccessKey[" + accessKey + (securityToken == null ? "" : ", with security token") + "]";
        }
    }

    /**
     * The credentials to use: {@code --token}, else {@value #TOKEN_VARIABLE}, else AK/SK from the SDK's variables,
     * else none.
     *
     * @param tokenOption the {@code --token} value, or null
     * @throws IllegalArgumentException if they are incomplete or unusable; the message names the variable or option,
     *                                  never a value
     */
    static Credentials resolve(String tokenOption, CliEnvironment environment) {
        String token = tokenOption != null ? tokenOption : environment.variable(TOKEN_VARIABLE);
        if (token != null) {
            requireHeaderSafe(token, tokenOption != null ? "--token" : TOKEN_VARIABLE);
            return new Token(token.trim());
        }
        String accessKey = environment.variable(AK_VARIABLE);
        String secretKey = environment.variable(SK_VARIABLE);
        String securityToken = environment.variable(SECURITY_TOKEN_VARIABLE);
        if (accessKey == null && secretKey == null) {
            if (securityToken != null) {
                throw new IllegalArgumentException(SECURITY_TOKEN_VARIABLE + " is set, but " + AK_VARIABLE + " and "
                        + SK_VARIABLE + " are not");
            }
            return new Anonymous();
        }
        if (accessKey == null || secretKey == null) {
            throw new IllegalArgumentException((accessKey == null ? SK_VARIABLE : AK_VARIABLE) + " is set, but "
                    + (accessKey == null ? AK_VARIABLE : SK_VARIABLE) + " is not");
        }
        if (securityToken != null) {
            requireHeaderSafe(securityToken, SECURITY_TOKEN_VARIABLE);
        }
        AccessKey keys = new AccessKey(accessKey.trim(), secretKey, securityToken == null ? null : securityToken.trim());
        try {
            // The signer's own check of the keys' shape, before any request; its messages never carry the secret.
            new AkskSigner().sign(SignableRequest.of("GET", URI.create("http://localhost/"), Map.of(), null),
                    keys.accessKey(), keys.secretKey(), Instant.EPOCH);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(AK_VARIABLE + "/" + SK_VARIABLE + ": " + e.getMessage());
        }
        return keys;
    }

    /**
     * A header value must be visible ASCII. Checked here because the JDK's own refusal quotes the value in its
     * message, which would print the secret.
     */
    private static void requireHeaderSafe(String value, String source) {
        String trimmed = value.trim();
        if (trimmed.isEmpty() || !trimmed.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new IllegalArgumentException(source + " must be printable ASCII without spaces");
        }
    }
}
