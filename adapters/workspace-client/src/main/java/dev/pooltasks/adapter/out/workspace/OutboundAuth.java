package dev.pooltasks.adapter.out.workspace;

import java.util.Objects;

/** How calls to an upstream authenticate. {@link #toString()} never shows a secret. */
public record OutboundAuth(Mode mode, String token, String accessKey, String secretKey, String securityToken) {

    public enum Mode {
        /** No credentials (another pooltasks on a trusted network). */
        NONE,
        /** A configured static IAM token sent as X-Auth-Token. */
        TOKEN,
        /** The caller's own X-Auth-Token, passed on. */
        PASS_THROUGH,
        /** AK/SK signing exactly as the official SDK signs (SDK-HMAC-SHA256). */
        AKSK
    }

    public OutboundAuth {
        Objects.requireNonNull(mode, "mode");
        if (mode == Mode.TOKEN && isBlank(token)) {
            throw new IllegalArgumentException("auth mode token needs a token");
        }
        if (mode == Mode.AKSK && (isBlank(accessKey) || isBlank(secretKey))) {
            throw new IllegalArgumentException("auth mode aksk needs an access key and a secret key");
        }
    }

    public static OutboundAuth none() {
        return new OutboundAuth(Mode.NONE, null, null, null, null);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        return "OutboundAuth[mode=" + mode + (accessKey == null ? "" : ", accessKey=" + accessKey) + "]";
    }
}
