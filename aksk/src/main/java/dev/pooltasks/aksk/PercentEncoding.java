package dev.pooltasks.aksk;

import java.nio.charset.StandardCharsets;

/**
 * RFC 3986 percent-encoding of UTF-8 text as the official SDK encodes path segments and query keys and values (and as
 * the canonical request re-encodes them): only {@code A-Z a-z 0-9 - _ . ~} stay as they are, every other byte becomes
 * {@code %XX} in upper-case hex, so a space is {@code %20}. A client that sends a signed request must encode what it
 * sends this way for the signature to hold.
 */
public final class PercentEncoding {
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    /** Indexed by ASCII code: a table load instead of seven range checks per character (the encoder's hot loop). */
    private static final boolean[] UNRESERVED = new boolean[128];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".toCharArray()) {
            UNRESERVED[c] = true;
        }
    }

    private PercentEncoding() {
    }

    /** {@code text} encoded; {@code text} itself when nothing in it needs escaping. */
    public static String encode(String text) {
        return isUnreserved(text) ? text : append(new StringBuilder(text.length() * 3), text).toString();
    }

    /** Appends {@code text} encoded to {@code out}, and returns {@code out}. */
    public static StringBuilder append(StringBuilder out, String text) {
        if (isUnreserved(text)) {
            return out.append(text); // most segments, keys and values: nothing to escape, no bytes to make
        }
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
            }
        }
        return out;
    }

    private static boolean isUnreserved(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isUnreserved(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the character (or UTF-8 byte, 0-255) {@code c} is one of {@code A-Z a-z 0-9 - _ . ~}. */
    static boolean isUnreserved(int c) {
        return c < 128 && UNRESERVED[c];
    }
}
