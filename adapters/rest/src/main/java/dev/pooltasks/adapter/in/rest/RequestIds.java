package dev.pooltasks.adapter.in.rest;

import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every HTTP response an {@code X-Request-Id}: the caller's own when it is sane, otherwise a fresh one. Done by
 * {@link InboundGate}, ahead of every route, so that errors raised before JAX-RS (or outside it) carry one too.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    private RequestIds() {
    }

    /** Gives the request its id, kept in the context for the access log, and puts it on the response. */
    static void assign(RoutingContext context) {
        String id = saneOrNew(context.request().getHeader(HEADER));
        context.put(HEADER, id);
        context.response().putHeader(HEADER, id);
    }

    static String saneOrNew(String candidate) {
        if (candidate != null && SANE.matcher(candidate).matches()) {
            return candidate;
        }
        // Unique enough to correlate logs, and far cheaper than a SecureRandom-backed UUID on every request; written
        // by hand, as String.format's parsing of its pattern was most of a request id's cost.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] hex = new byte[32];
        writeHex(random.nextLong(), hex, 0);
        writeHex(random.nextLong(), hex, 16);
        return new String(hex, StandardCharsets.ISO_8859_1);
    }

    /** {@code value} as 16 lower-case hex digits, zero-padded, at {@code at}. */
    private static void writeHex(long value, byte[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = HEX_DIGITS[(int) (value & 0xf)];
            value >>>= 4;
        }
    }
}
