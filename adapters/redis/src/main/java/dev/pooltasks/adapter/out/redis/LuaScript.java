package dev.pooltasks.adapter.out.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script Redis runs atomically, known to Redis by its SHA-1 once loaded ({@code EVALSHA}); see
 * {@link RedisStore#eval}.
 */
record LuaScript(String name, String source, String sha1) {
    LuaScript {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
    }

    LuaScript(String name, String source) {
        this(name, source, sha1(source));
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }
}
