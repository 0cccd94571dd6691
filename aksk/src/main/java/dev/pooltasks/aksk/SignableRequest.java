package dev.pooltasks.aksk;

import java.net.URI;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An HTTP request as it is (or will be) sent on the wire, as far as signing is concerned.
 *
 * @param method   HTTP method; stored upper-case
 * @param rawPath  the path exactly as sent, still percent-encoded (e.g. {@code /v2/p1/desktop-pools/...}); "" means "/"
 * @param rawQuery the query string exactly as sent, without the "?", still percent-encoded; null is stored as ""
 * @param headers  header name to values; looked up case-insensitively; stored as an unmodifiable copy. It must contain
 *                 {@code Host} (the value the server sees, e.g. {@code workspace.cn-north-4.myhuaweicloud.com} or
 *                 {@code 127.0.0.1:8080})
 * @param body     the body bytes exactly as sent; null is stored as empty (GET)
 */
public record SignableRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                              byte[] body) {

    /** Header values that {@link #toString()} never prints. */
    private static final List<String> REDACTED = List.of("authorization", "x-security-token", "x-auth-token");
    /** Shared: an empty array cannot be changed. */
    private static final byte[] NO_BODY = new byte[0];

    public SignableRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(headers, "headers");
        if (method.isBlank()) {
            throw new IllegalArgumentException("method must not be blank");
        }
        method = method.trim().toUpperCase(Locale.ROOT);
        rawQuery = rawQuery == null ? "" : rawQuery;
        if (!(headers instanceof Headers)) {
            // One copy: an unmodifiable value list (as another SignableRequest's) is kept as it is, and lists are
            // merged only for names that differ in case alone.
            TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                String name = Objects.requireNonNull(header.getKey(), "header name");
                List<String> values = Objects.requireNonNull(header.getValue(), "header values");
                for (String value : values) {
                    Objects.requireNonNull(value, "header value");
                }
                copy.merge(name, List.copyOf(values), SignableRequest::concat);
            }
            headers = Headers.of(copy);
        }
        body = body == null || body.length == 0 ? NO_BODY : body.clone();
    }

    /**
     * A request as a server received it, its headers given as the lines that came ({@code name}, {@code value}),
     * repeated names in their order. The headers are read once, into the map this request keeps: a server verifying
     * a signature needs no other copy.
     */
    public static SignableRequest received(String method, String rawPath, String rawQuery,
                                           Iterable<Map.Entry<String, String>> headerLines) {
        // The usual few ASCII names are gathered in arrays (no tree to build); anything else goes to the tree.
        String[] names = new String[Headers.SMALL];
        @SuppressWarnings("unchecked")
        List<String>[] values = new List[Headers.SMALL];
        int count = 0;
        TreeMap<String, List<String>> many = null;
        for (Map.Entry<String, String> line : headerLines) {
            String name = Objects.requireNonNull(line.getKey(), "header name");
            String value = Objects.requireNonNull(line.getValue(), "header value");
            if (many == null) {
                int at = Headers.indexOf(names, count, name);
                if (at >= 0) {
                    values[at] = concat(values[at], List.of(value));
                    continue;
                }
                if (count < Headers.SMALL && Headers.isAscii(name)) {
                    names[count] = name;
                    values[count++] = List.of(value);
                    continue;
                }
                many = Headers.tree(names, values, count);
            }
            many.merge(name, List.of(value), SignableRequest::concat);
        }
        Headers headers = many == null ? new Headers(names, values, count, null) : Headers.of(many);
        return new SignableRequest(method, rawPath, rawQuery, headers, null);
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
    }

    /**
     * Builds the request from the URI it will be sent to: raw path and raw query are taken from the URI, and
     * {@code Host} is added (host, plus ":port" unless the port is absent or the scheme's default, which is what
     * {@code java.net.http} and OkHttp send) unless {@code headers} already has one.
     */
    public static SignableRequest of(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        if (!all.containsKey("Host")) {
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("uri has no host");
            }
            all.put("Host", List.of(hostHeader(uri)));
        }
        return new SignableRequest(method, uri.getRawPath() == null ? "" : uri.getRawPath(), uri.getRawQuery(),
                all, body);
    }

    private static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443)
                || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** All values of a header (case-insensitive name), or an empty list. */
    public List<String> headerValues(String name) {
        List<String> values = headers.get(name); // never null for a name present: one lookup, not getOrDefault's two
        return values == null ? List.of() : values;
    }

    /** The first value of a header (case-insensitive name). */
    public Optional<String> header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A copy with the given headers set, replacing any existing values of the same names (e.g. the signer's output). */
    public SignableRequest withHeaders(Map<String, String> replacements) {
        Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(headers);
        replacements.forEach((name, value) -> all.put(name, List.of(value)));
        return new SignableRequest(method, rawPath, rawQuery, all, body);
    }

    /**
     * Header name to values, case-insensitive and unmodifiable: the one map a request keeps, never copied again. A
     * request is looked up by name several times when verified: with few headers, all of them ASCII-named, lookups
     * scan an array ({@link String#equalsIgnoreCase} compares lengths first) instead of walking a tree with a
     * case-insensitive compare at each node, and the tree that gives the map's order is made only if the map is
     * iterated. Names match as {@link String#CASE_INSENSITIVE_ORDER} matches them either way.
     */
    private static final class Headers extends AbstractMap<String, List<String>> {
        /** At most this many distinct names are looked up by scanning. */
        static final int SMALL = 16;

        /** The names (first spelling received) and their values, in the order received; null past a tree's 16. */
        private final String[] names;
        private final List<String>[] values;
        private final int count;
        /** The sorted, case-insensitive tree: given, or made on first iteration. */
        private volatile Map<String, List<String>> byName;

        Headers(String[] names, List<String>[] values, int count, Map<String, List<String>> byName) {
            this.names = names;
            this.values = values;
            this.count = count;
            this.byName = byName;
        }

        /** The tree as it is, scanned instead when it is small and ASCII-named. */
        static Headers of(TreeMap<String, List<String>> tree) {
            Map<String, List<String>> byName = Collections.unmodifiableMap(tree);
            if (tree.size() > SMALL) {
                return new Headers(null, null, 0, byName);
            }
            String[] names = new String[tree.size()];
            @SuppressWarnings("unchecked")
            List<String>[] values = new List[tree.size()];
            int count = 0;
            for (Map.Entry<String, List<String>> header : tree.entrySet()) {
                if (!isAscii(header.getKey())) {
                    return new Headers(null, null, 0, byName);
                }
                names[count] = header.getKey();
                values[count++] = header.getValue();
            }
            return new Headers(names, values, count, byName);
        }

        static TreeMap<String, List<String>> tree(String[] names, List<String>[] values, int count) {
            TreeMap<String, List<String>> tree = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 0; i < count; i++) {
                tree.put(names[i], values[i]);
            }
            return tree;
        }

        /**
         * The index of the (ASCII) name equal to {@code name} ignoring case, or -1: {@link String#equalsIgnoreCase}
         * folds as {@link String#CASE_INSENSITIVE_ORDER} does, character by character, so it finds what the tree finds.
         */
        static int indexOf(String[] names, int count, String name) {
            for (int i = 0; i < count; i++) {
                if (names[i].equalsIgnoreCase(name)) {
                    return i;
                }
            }
            return -1;
        }

        static boolean isAscii(String name) {
            for (int i = 0; i < name.length(); i++) {
                if (name.charAt(i) >= 0x80) {
                    return false;
                }
            }
            return true;
        }

        private Map<String, List<String>> byName() {
            Map<String, List<String>> tree = byName;
            if (tree == null) {
                byName = tree = Collections.unmodifiableMap(tree(names, values, count));
            }
            return tree;
        }

        @Override
        public Set<Entry<String, List<String>>> entrySet() {
            return byName().entrySet();
        }

        @Override
        public List<String> get(Object name) {
            if (names == null) {
                return byName.get(name);
            }
            int at = indexOf(names, count, (String) name);
            return at < 0 ? null : values[at];
        }

        @Override
        public boolean containsKey(Object name) {
            return get(name) != null;
        }

        @Override
        public int size() {
            return names == null ? byName.size() : count;
        }
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body without copying, for hashing inside this package. */
    byte[] bodyBytes() {
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignableRequest other
                && method.equals(other.method)
                && rawPath.equals(other.rawPath)
                && rawQuery.equals(other.rawQuery)
                && headers.equals(other.headers)
                && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, rawPath, rawQuery, headers, Arrays.hashCode(body));
    }

    /** Credential-bearing headers (Authorization, X-Security-Token, X-Auth-Token) are redacted; the body is not shown. */
    @Override
    public String toString() {
        Map<String, Object> shown = new LinkedHashMap<>();
        headers.forEach((name, values) -> shown.put(name,
                REDACTED.contains(name.toLowerCase(Locale.ROOT)) ? "<redacted>" : values));
        return "SignableRequest[" + method + " " + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery)
                + ", headers=" + shown + ", body=" + body.length + " bytes]";
    }
}
