package dev.pooltasks.aksk;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pieces of the SDK-HMAC-SHA256 canonical request, written to give byte-for-byte the same result as
 * {@code com.huaweicloud.sdk.core.auth.AKSKSigner} of huaweicloud-sdk-core 3.1.143 for the requests that SDK sends.
 * Everything here works on the request as it appears on the wire (percent-encoded path and query).
 */
final class Canonical {
    static final String EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();
    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

    /** How the values of one repeated query key are ordered in the canonical query. */
    enum ValueOrder {
        /** In the order they appear on the wire: what the Java SDK signs (it never sorts values). */
        AS_SENT,
        /** Sorted: what the Go SDK and the API-gateway reference signers sign. */
        SORTED
    }

    private Canonical() {
    }

    /**
     * Canonical URI: the raw path is split on "/", each segment is percent-decoded and re-encoded (RFC 3986), and
     * every segment is followed by "/". This mirrors the SDK, which splits {@code URL.getPath()} with
     * {@link String#split(String)} (so trailing empty segments vanish) and appends "/" after every segment; "/" and
     * "" both give "/".
     */
    static String uri(String rawPath) {
        if (rawPath.isEmpty() || rawPath.equals("/")) {
            return "/";
        }
        StringBuilder out = new StringBuilder(rawPath.length() + 8);
        for (String segment : rawPath.split("/")) {
            out.append(encode(decode(segment, false))).append('/');
        }
        return out.toString();
    }

    /**
     * Canonical query string: the raw query is split on "&amp;" and "=", keys and values are percent-decoded ("+"
     * counts as a space, as JAX-RS and the gateway read it) and re-encoded (RFC 3986); keys are sorted, each key's
     * values are kept as separate {@code key=value} pairs, an empty or missing value gives {@code key=}.
     */
    static String query(String rawQuery, ValueOrder order) {
        Map<String, List<String>> byKey = parseQuery(rawQuery);
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        byKey.forEach((key, values) -> {
            List<String> encoded = new ArrayList<>(values.size());
            values.forEach(v -> encoded.add(encode(v)));
            if (order == ValueOrder.SORTED) {
                encoded.sort(null);
            }
            sorted.computeIfAbsent(encode(key), k -> new ArrayList<>()).addAll(encoded);
        });
        StringBuilder out = new StringBuilder();
        sorted.forEach((key, values) -> {
            for (String value : values) {
                if (out.length() > 0) {
                    out.append('&');
                }
                out.append(key).append('=').append(value);
            }
        });
        return out.toString();
    }

    /** True if some query key carries several values that are not already in sorted (canonical) order. */
    static boolean hasUnsortedRepeatedValues(String rawQuery) {
        for (List<String> values : parseQuery(rawQuery).values()) {
            for (int i = 1; i < values.size(); i++) {
                if (encode(values.get(i - 1)).compareTo(encode(values.get(i))) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Decoded query pairs grouped by decoded key, keys and values in wire order. */
    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return byKey;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return byKey;
    }

    /**
     * Canonical headers: {@code lowercase-name:trimmed-value\n} for each signed header, in the given (sorted) order.
     *
     * @throws MalformedRequestException if a signed header is absent or carries more than one value
     */
    static String headers(SignableRequest request, List<String> signedHeaders) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = request.headerValues(name);
            if (values.isEmpty()) {
                throw new MalformedRequestException("signed header '" + name + "' is not present in the request");
            }
            if (values.size() > 1) {
                throw new MalformedRequestException("signed header '" + name + "' carries more than one value");
            }
            out.append(name).append(':').append(values.get(0).trim()).append('\n');
        }
        return out.toString();
    }

    static String request(SignableRequest request, List<String> signedHeaders, String payloadHash, ValueOrder order) {
        return request.method() + '\n'
                + uri(request.rawPath()) + '\n'
                + query(request.rawQuery(), order) + '\n'
                + headers(request, signedHeaders) + '\n'
                + String.join(";", signedHeaders) + '\n'
                + payloadHash;
    }

    /** RFC 3986 percent-encoding of the UTF-8 bytes; only A-Z a-z 0-9 - _ . ~ stay as they are; hex is upper case. */
    static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * Percent-decodes to UTF-8. Characters that are not escapes are taken as they are (so unescaped non-ASCII text is
     * tolerated). Broken escapes and invalid UTF-8 are rejected.
     *
     * @param plusIsSpace true in a query string ("+" means a space there), false in a path
     */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && !(plusIsSpace && raw.indexOf('+') >= 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new MalformedRequestException("truncated percent-escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new MalformedRequestException("invalid percent-escape");
                }
                bytes.write((hi << 4) | lo);
                i += 3;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
                i++;
            } else {
                int end = i + 1;
                while (end < raw.length() && raw.charAt(end) != '%' && !(plusIsSpace && raw.charAt(end) == '+')) {
                    end++;
                }
                bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRequestException("percent-escapes do not form valid UTF-8");
        }
    }

    static String sha256Hex(byte[] data) {
        if (data.length == 0) {
            return EMPTY_BODY_SHA256; // every GET's body
        }
        return hex(SHA256.get().digest(data));
    }

    /** One digest per thread: looking the algorithm up costs more than hashing a canonical request. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX_LOWER[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX_LOWER[bytes[i] & 0xf];
        }
        return new String(out);
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
