package dev.pooltasks.aksk;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The pieces of the SDK-HMAC-SHA256 canonical request, written to give byte-for-byte the same result as
 * {@code com.huaweicloud.sdk.core.auth.AKSKSigner} of huaweicloud-sdk-core 3.1.143 for the requests that SDK sends.
 * Everything here works on the request as it appears on the wire (percent-encoded path and query).
 */
final class Canonical {
    static final String EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();

    private Canonical() {
    }

    /**
     * Canonical URI: the raw path is split on "/", each segment is percent-decoded and re-encoded (RFC 3986), and
     * every segment is followed by "/". This mirrors the SDK, which splits {@code URL.getPath()} with
     * {@link String#split(String)} (so trailing empty segments vanish) and appends "/" after every segment; "/" and
     * "" both give "/".
     */
    static String uri(String rawPath) {
        StringBuilder out = new StringBuilder(rawPath.length() + 8);
        appendUri(out, rawPath);
        return out.toString();
    }

    private static void appendUri(StringBuilder out, String rawPath) {
        if (rawPath.isEmpty() || rawPath.equals("/")) {
            out.append('/');
            return;
        }
        int end = rawPath.length();
        while (end > 0 && rawPath.charAt(end - 1) == '/') {
            end--; // as split drops trailing empty segments (all of them for a path of only slashes)
        }
        if (isPlainPath(rawPath, end)) {
            // Every segment decodes and encodes to itself (the usual path): the path is its own canonical form.
            out.append(rawPath, 0, end);
            if (end > 0) {
                out.append('/');
            }
            return;
        }
        for (int from = 0; from < end; ) {
            int slash = rawPath.indexOf('/', from);
            int to = slash < 0 || slash > end ? end : slash;
            PercentEncoding.append(out, decode(rawPath.substring(from, to), false));
            out.append('/');
            from = to + 1;
            if (to == end) {
                break;
            }
        }
    }

    /** Whether {@code rawPath[0, end)} holds only unreserved characters and "/". */
    private static boolean isPlainPath(String rawPath, int end) {
        for (int i = 0; i < end; i++) {
            char c = rawPath.charAt(i);
            if (c != '/' && !PercentEncoding.isUnreserved(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The canonical query string, in both orders of repeated values, from a single parse of the raw query: the raw
     * query is split on "&amp;" and "=", keys and values are percent-decoded ("+" counts as a space, as JAX-RS and the
     * gateway read it) and re-encoded (RFC 3986); keys are sorted, each key's values are kept as separate
     * {@code key=value} pairs, an empty or missing value gives {@code key=}.
     *
     * @param asSent each key's values in the order sent: what the Java SDK signs (it never sorts values)
     * @param sorted each key's values sorted, as the Go SDK and the API-gateway reference signers sign; equal to
     *               {@code asSent} unless some key's values are out of order
     */
    record Query(String asSent, String sorted) {
        private static final Query EMPTY = new Query("", "");
        private static final Comparator<Pair> BY_KEY = Comparator.comparing(Pair::key);
        private static final Comparator<Pair> BY_VALUE = Comparator.comparing(Pair::value);

        /** One query pair: the key as decoded (what values are grouped by), the key and value as re-encoded. */
        private record Pair(String decodedKey, String key, String value) {
        }

        /** True if some key carries several values that are not already in sorted (canonical) order. */
        boolean hasUnsortedRepeatedValues() {
            return !sorted.equals(asSent);
        }

        /** @throws MalformedRequestException if an escape is broken (the first one in the query decides the message) */
        static Query of(String rawQuery) {
            if (rawQuery == null || rawQuery.isEmpty()) {
                return EMPTY;
            }
            Pair[] pairs = parse(rawQuery);
            // Stable: each key's values stay in the order sent.
            Arrays.sort(pairs, BY_KEY);
            boolean unsorted = false;
            for (int from = 0, to; from < pairs.length; from = to) {
                to = from + 1;
                while (to < pairs.length && pairs[to].key().equals(pairs[from].key())) {
                    to++;
                }
                groupByDecodedKey(pairs, from, to);
                unsorted |= !inOrder(pairs, from, to);
            }
            String asSent = join(pairs);
            if (!unsorted) {
                return new Query(asSent, asSent);
            }
            for (int from = 0, to; from < pairs.length; from = to) {
                to = from + 1;
                while (to < pairs.length && pairs[to].decodedKey().equals(pairs[from].decodedKey())) {
                    to++;
                }
                Arrays.sort(pairs, from, to, BY_VALUE);
            }
            return new Query(asSent, join(pairs));
        }

        /** The non-empty pairs of the raw query, decoded and re-encoded, in the order sent. */
        private static Pair[] parse(String rawQuery) {
            int count = 1;
            for (int i = 0; i < rawQuery.length(); i++) {
                if (rawQuery.charAt(i) == '&') {
                    count++;
                }
            }
            Pair[] pairs = new Pair[count];
            int n = 0;
            for (int from = 0; ; ) {
                int amp = rawQuery.indexOf('&', from);
                int to = amp < 0 ? rawQuery.length() : amp;
                if (to > from) {
                    int eq = rawQuery.indexOf('=', from);
                    boolean hasValue = eq >= 0 && eq < to;
                    String decodedKey = decode(rawQuery.substring(from, hasValue ? eq : to), true);
                    String value = hasValue ? PercentEncoding.encode(decode(rawQuery.substring(eq + 1, to), true)) : "";
                    pairs[n++] = new Pair(decodedKey, PercentEncoding.encode(decodedKey), value);
                }
                if (amp < 0) {
                    break;
                }
                from = amp + 1;
            }
            return n == count ? pairs : Arrays.copyOf(pairs, n);
        }

        /**
         * Within pairs[from, to) (one encoded key, in the order sent), puts the pairs of each decoded key together, in
         * the order the decoded keys first appear, as grouping by decoded key does. Two decoded keys encode alike only
         * when one holds an unpaired surrogate (which UTF-8 encoding turns into "?"), so this rarely moves anything.
         */
        private static void groupByDecodedKey(Pair[] pairs, int from, int to) {
            String first = pairs[from].decodedKey();
            boolean oneKey = true;
            for (int i = from + 1; i < to && oneKey; i++) {
                oneKey = pairs[i].decodedKey().equals(first);
            }
            if (oneKey) {
                return;
            }
            Pair[] run = Arrays.copyOfRange(pairs, from, to);
            int next = from;
            for (int i = 0; i < run.length; i++) {
                if (run[i] != null) {
                    String decodedKey = run[i].decodedKey();
                    for (int j = i; j < run.length; j++) {
                        if (run[j] != null && run[j].decodedKey().equals(decodedKey)) {
                            pairs[next++] = run[j];
                            run[j] = null;
                        }
                    }
                }
            }
        }

        /** Whether every decoded key's values in pairs[from, to) are in sorted order. */
        private static boolean inOrder(Pair[] pairs, int from, int to) {
            for (int i = from + 1; i < to; i++) {
                if (pairs[i].decodedKey().equals(pairs[i - 1].decodedKey())
                        && pairs[i - 1].value().compareTo(pairs[i].value()) > 0) {
                    return false;
                }
            }
            return true;
        }

        /** At most this many pairs take {@link #appendPlain}: its insertion sort is for the few pairs APIs carry. */
        private static final int PLAIN_MAX_PAIRS = 16;

        /**
         * Appends the canonical query of a plain query and returns true, or appends nothing and returns false. Plain:
         * every key and value holds only unreserved characters (so decoding and encoding leave it as it is), no pair
         * has a second "=", at most {@value #PLAIN_MAX_PAIRS} pairs, and repeated keys' values come in sorted order
         * (so both orders agree). Gives what {@link #of} gives for such a query, without making a string per pair.
         */
        static boolean appendPlain(StringBuilder out, String rawQuery) {
            // Per pair: key from, key to, value from, value to (key to = value from = value to when there is no "=").
            int[] at = new int[PLAIN_MAX_PAIRS * 4];
            int n = 0;
            int length = rawQuery.length();
            int from = 0;
            int eq = -1;
            for (int i = 0; i <= length; i++) {
                char c = i < length ? rawQuery.charAt(i) : '&';
                if (c == '&') {
                    if (i > from) {
                        if (n == PLAIN_MAX_PAIRS) {
                            return false;
                        }
                        at[4 * n] = from;
                        at[4 * n + 1] = eq < 0 ? i : eq;
                        at[4 * n + 2] = eq < 0 ? i : eq + 1;
                        at[4 * n + 3] = i;
                        n++;
                    }
                    from = i + 1;
                    eq = -1;
                } else if (c == '=') {
                    if (eq >= 0) {
                        return false; // the value holds "=", which is encoded
                    }
                    eq = i;
                } else if (!PercentEncoding.isUnreserved(c)) {
                    return false;
                }
            }
            // Stable insertion sort by key: a key's values stay in the order sent, as in of().
            for (int i = 1; i < n; i++) {
                for (int j = i; j > 0 && compare(rawQuery, at, j - 1, j, 0) > 0; j--) {
                    for (int k = 0; k < 4; k++) {
                        int swap = at[4 * j + k];
                        at[4 * j + k] = at[4 * (j - 1) + k];
                        at[4 * (j - 1) + k] = swap;
                    }
                }
            }
            for (int i = 1; i < n; i++) {
                if (compare(rawQuery, at, i - 1, i, 0) == 0 && compare(rawQuery, at, i - 1, i, 2) > 0) {
                    return false; // repeated values out of order: of() gives both orders
                }
            }
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append('&');
                }
                out.append(rawQuery, at[4 * i], at[4 * i + 1]).append('=')
                        .append(rawQuery, at[4 * i + 2], at[4 * i + 3]);
            }
            return true;
        }

        /** As {@link String#compareTo} of pair a's and pair b's key (part 0) or value (part 2). */
        private static int compare(String rawQuery, int[] at, int a, int b, int part) {
            int aFrom = at[4 * a + part];
            int aLength = at[4 * a + part + 1] - aFrom;
            int bFrom = at[4 * b + part];
            int bLength = at[4 * b + part + 1] - bFrom;
            for (int i = 0, common = Math.min(aLength, bLength); i < common; i++) {
                int diff = rawQuery.charAt(aFrom + i) - rawQuery.charAt(bFrom + i);
                if (diff != 0) {
                    return diff;
                }
            }
            return aLength - bLength;
        }

        private static String join(Pair[] pairs) {
            StringBuilder out = new StringBuilder();
            for (Pair pair : pairs) {
                if (out.length() > 0) {
                    out.append('&');
                }
                out.append(pair.key()).append('=').append(pair.value());
            }
            return out.toString();
        }
    }

    /**
     * The canonical request, built in one buffer: method, canonical URI, canonical query, canonical headers
     * ({@code lowercase-name:trimmed-value\n} for each signed header, in the given sorted order), signed header names
     * and payload hash, joined by "\n". First with repeated query values as sent (the Java SDK), then, only if that
     * differs, with them sorted (the Go SDK).
     *
     * @throws MalformedRequestException if an escape is broken, or a signed header is absent or carries more than one
     *                                   value (checked in that order: path, query, headers)
     */
    static List<String> requests(SignableRequest request, List<String> signedHeaders, String payloadHash) {
        StringBuilder out = new StringBuilder(256);
        String sorted = appendRequest(out, request, signedHeaders, payloadHash);
        return sorted == null ? List.of(out.toString()) : List.of(out.toString(), sorted);
    }

    /**
     * Appends the canonical request with repeated query values as sent to {@code out} (as {@link #requests}), and
     * returns the one with them sorted if that differs, else null.
     */
    static String appendRequest(StringBuilder out, SignableRequest request, List<String> signedHeaders,
                                String payloadHash) {
        int start = out.length();
        out.append(request.method()).append('\n');
        appendUri(out, request.rawPath());
        out.append('\n');
        int queryAt = out.length();
        Query query = null;
        if (!Query.appendPlain(out, request.rawQuery())) {
            query = Query.of(request.rawQuery());
            out.append(query.asSent());
        }
        out.append('\n');
        for (String name : signedHeaders) {
            List<String> values = request.headerValues(name);
            if (values.isEmpty()) {
                throw new MalformedRequestException("signed header '" + name + "' is not present in the request");
            }
            if (values.size() > 1) {
                throw new MalformedRequestException("signed header '" + name + "' carries more than one value");
            }
            appendTrimmed(out.append(name).append(':'), values.get(0)).append('\n');
        }
        out.append('\n');
        for (int i = 0; i < signedHeaders.size(); i++) {
            if (i > 0) {
                out.append(';');
            }
            out.append(signedHeaders.get(i));
        }
        out.append('\n').append(payloadHash);
        if (query == null || !query.hasUnsortedRepeatedValues()) {
            return null;
        }
        StringBuilder sorted = new StringBuilder(out.length() - start).append(out, start, out.length());
        sorted.replace(queryAt - start, queryAt - start + query.asSent().length(), query.sorted());
        return sorted.toString();
    }

    /** Appends {@code value.trim()} without making it. */
    private static StringBuilder appendTrimmed(StringBuilder out, String value) {
        int from = 0;
        int to = value.length();
        while (from < to && value.charAt(from) <= ' ') {
            from++;
        }
        while (to > from && value.charAt(to - 1) <= ' ') {
            to--;
        }
        return out.append(value, from, to);
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

    /** SHA-256 of the UTF-8 bytes of {@code text}. */
    static byte[] sha256(CharSequence text) {
        return SHA256.get().digest(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The UTF-8 bytes of {@link AkskSigner#stringToSign}{@code (sdkDate, canonical request)}, given the canonical
     * request's hash: made as bytes, the hash's hex never becomes a string.
     */
    static byte[] stringToSign(String sdkDate, byte[] canonicalRequestHash) {
        byte[] date = sdkDate.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[STRING_TO_SIGN_PREFIX.length + date.length + 1 + 2 * canonicalRequestHash.length];
        System.arraycopy(STRING_TO_SIGN_PREFIX, 0, out, 0, STRING_TO_SIGN_PREFIX.length);
        System.arraycopy(date, 0, out, STRING_TO_SIGN_PREFIX.length, date.length);
        int at = STRING_TO_SIGN_PREFIX.length + date.length;
        out[at++] = '\n';
        for (byte b : canonicalRequestHash) {
            out[at++] = (byte) HEX_LOWER[(b >> 4) & 0xf];
            out[at++] = (byte) HEX_LOWER[b & 0xf];
        }
        return out;
    }

    private static final byte[] STRING_TO_SIGN_PREFIX =
            (AkskSigner.ALGORITHM + "\n").getBytes(StandardCharsets.US_ASCII);

    /** The bytes of a hex string of even length (digits already checked), case-insensitive. */
    static byte[] unhex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (Character.digit(hex.charAt(2 * i), 16) << 4 | Character.digit(hex.charAt(2 * i + 1), 16));
        }
        return out;
    }

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
