package dev.pooltasks.aksk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The single-pass canonical URI, query and request give exactly what the two-pass canonicalisation they replaced gave
 * (kept here as the oracle: query parsed into maps once per value order and once more for the repeated-value check),
 * including which broken escape is reported.
 */
class CanonicalEquivalenceTest {

    /** The canonicalisation as it was. {@link Canonical#decode} did not change and is shared. */
    static final class Reference {
        static String uri(String rawPath) {
            if (rawPath.isEmpty() || rawPath.equals("/")) {
                return "/";
            }
            StringBuilder out = new StringBuilder();
            for (String segment : rawPath.split("/")) {
                out.append(encode(Canonical.decode(segment, false))).append('/');
            }
            return out.toString();
        }

        static String query(String rawQuery, boolean sortValues) {
            Map<String, List<String>> byKey = parseQuery(rawQuery);
            TreeMap<String, List<String>> sorted = new TreeMap<>();
            byKey.forEach((key, values) -> {
                List<String> encoded = new ArrayList<>(values.size());
                values.forEach(v -> encoded.add(encode(v)));
                if (sortValues) {
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
                String key = Canonical.decode(eq < 0 ? pair : pair.substring(0, eq), true);
                String value = eq < 0 ? "" : Canonical.decode(pair.substring(eq + 1), true);
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
            return byKey;
        }

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

        static String request(SignableRequest request, List<String> signedHeaders, boolean sortValues) {
            return request.method() + '\n'
                    + uri(request.rawPath()) + '\n'
                    + query(request.rawQuery(), sortValues) + '\n'
                    + headers(request, signedHeaders) + '\n'
                    + String.join(";", signedHeaders) + '\n'
                    + Canonical.EMPTY_BODY_SHA256;
        }

        /** What the verifier tried: as sent, then sorted if some repeated values were out of order. */
        static List<String> requests(SignableRequest request, List<String> signedHeaders) {
            String asSent = request(request, signedHeaders, false);
            return hasUnsortedRepeatedValues(request.rawQuery())
                    ? List.of(asSent, request(request, signedHeaders, true))
                    : List.of(asSent);
        }

        static String encode(String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            StringBuilder out = new StringBuilder(bytes.length);
            for (byte b : bytes) {
                int c = b & 0xff;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_' || c == '.' || c == '~') {
                    out.append((char) c);
                } else {
                    out.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 0xf));
                }
            }
            return out.toString();
        }
    }

    static String outcome(Supplier<Object> canonical) {
        try {
            return "ok:" + canonical.get();
        } catch (MalformedRequestException e) {
            return "rejected:" + e.getMessage();
        }
    }

    static void assertQueryAgrees(String rawQuery) {
        assertThat(outcome(() -> Canonical.Query.of(rawQuery).asSent()))
                .as("query of '%s', values as sent", rawQuery)
                .isEqualTo(outcome(() -> Reference.query(rawQuery, false)));
        assertThat(outcome(() -> Canonical.Query.of(rawQuery).sorted()))
                .as("query of '%s', values sorted", rawQuery)
                .isEqualTo(outcome(() -> Reference.query(rawQuery, true)));
        assertThat(outcome(() -> Canonical.Query.of(rawQuery).hasUnsortedRepeatedValues()))
                .as("unsorted repeated values in '%s'", rawQuery)
                .isEqualTo(outcome(() -> Reference.hasUnsortedRepeatedValues(rawQuery)));
    }

    static void assertUriAgrees(String rawPath) {
        assertThat(outcome(() -> Canonical.uri(rawPath))).as("uri of '%s'", rawPath)
                .isEqualTo(outcome(() -> Reference.uri(rawPath)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "&", "&&", "=", "==", "a", "a=", "a=1&a=1", "b=2&a=1&b=1", "a=2&A=1&a=1&_=x&~=y",
            "k=a+b&k=a%20b&k=a%2Bb", "x?=2&x\uD800=1&x?=0", "x\uD800=1&x%3F=0&x?=2", "k=%e4%b8%ad&k=中&k=%E4%B8%AD",
            "k=%", "k=%4&j=%zz", "k=%zz&j=%4", "%C3=1", "k=%C3%A9&k=é", "a=&a&a==", "+=+&%2B=%2B"})
    void queryAgreesWithTheTwoPassCanonicalisationOn(String rawQuery) {
        assertQueryAgrees(rawQuery);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "//", "///", "a", "a/", "/a//b", "/a/b//", "/a/%2F/", "/%7e*/~", "/p 1/p+1",
            "/中/%e4%b8%ad", "/%", "/ok/%zz", "/%C3/x", "/\uD800/?"})
    void uriAgreesWithTheSplitAndRoundTripOn(String rawPath) {
        assertUriAgrees(rawPath);
    }

    private static final String[] QUERY_PIECES = {"a", "b", "B", "k", "key", "_", "~", "-", ".", "1", "10", "2", "=",
            "=", "&", "&", "&", "+", " ", "%20", "%2B", "%2b", "%41", "%7e", "%3D", "%26", "%e4%b8%ad", "中", "é",
            "%C3%A9", "*", "'", "?", "/", "%", "%4", "%zz", "%C3", "\uD800", "\uDC00", "😀", "%F0%9F%98%80"};
    private static final String[] PATH_PIECES = {"/", "/", "/", "v2", "p1", "a", "%2F", "%20", " ", "+", "~", "*",
            "%7e", "中", "%e4%b8%ad", "%", "%4", "%zz", "%C3", "\uD800", "?", "."};

    @Test
    void queryAgreesWithTheTwoPassCanonicalisationOnRandomQueries() {
        Random random = new Random(20261130L);
        for (int i = 0; i < 30_000; i++) {
            assertQueryAgrees(i % 2 == 0 ? randomText(random, QUERY_PIECES, 14) : randomPairs(random));
        }
    }

    @Test
    void uriAgreesWithTheSplitAndRoundTripOnRandomPaths() {
        Random random = new Random(20261130L);
        for (int i = 0; i < 20_000; i++) {
            assertUriAgrees(randomText(random, PATH_PIECES, 10));
        }
    }

    @Test
    void canonicalRequestsAgreeWithTheTwoPassCanonicalisation() {
        Random random = new Random(20261130L);
        List<String> signed = List.of("host", "x-project-id", "x-sdk-date");
        for (int i = 0; i < 5_000; i++) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("Host", List.of(" h.example.com\t"));
            headers.put("X-Sdk-Date", List.of("20261130T010203Z"));
            if (random.nextInt(20) > 0) {
                headers.put("X-Project-Id", random.nextInt(20) > 0 ? List.of("p" + i) : List.of("p", "q"));
            }
            SignableRequest request = new SignableRequest("GET", randomText(random, PATH_PIECES, 6),
                    randomPairs(random), headers, null);
            assertThat(outcome(() -> AkskSigner.canonicalRequests(request, signed)))
                    .as("canonical requests of %s", request)
                    .isEqualTo(outcome(() -> Reference.requests(request, signed)));
        }
    }

    /**
     * Paths and queries of any characters (every Latin-1 one, other BMP ones, surrogate pairs and unpaired surrogates,
     * reserved ones, escapes of any byte, broken escapes, "+", "=", "&amp;"), mixed with plain pieces so that the paths
     * and queries that need no decoding (taken without splitting) come often too.
     */
    @Test
    void canonicalisationAgreesWithTheTwoPassCanonicalisationOnTextOfAnyCharacter() {
        Random random = new Random(3986);
        List<String> signed = List.of("host", "x-sdk-date");
        for (int i = 0; i < 30_000; i++) {
            String path = anyText(random, true);
            String query = anyText(random, false);
            assertUriAgrees(path);
            assertQueryAgrees(query);
            SignableRequest request = new SignableRequest("GET", path, query,
                    Map.of("Host", List.of("h"), "X-Sdk-Date", List.of("20261130T010203Z")), null);
            assertThat(outcome(() -> AkskSigner.canonicalRequests(request, signed)))
                    .as("canonical requests of %s", request)
                    .isEqualTo(outcome(() -> Reference.requests(request, signed)));
        }
    }

    /**
     * The plain-query path is taken exactly for the queries it is meant for (unreserved keys and values, at most one
     * "=" per pair, at most 16 pairs, repeated values in order) and gives what the general path gives.
     */
    @Test
    void plainQueriesAreCanonicalisedWithoutTheGeneralPathAndAlike() {
        Random random = new Random(7);
        String[] pieces = {"a", "b", "B", "k", "key", "_", "~", "-", ".", "0", "1", "10", "2", "Z", "=", "=", "&", "&",
                "&", "&&"};
        for (int i = 0; i < 30_000; i++) {
            String query = randomText(random, pieces, i % 10 == 0 ? 80 : 16);
            StringBuilder out = new StringBuilder("x");
            boolean plain = Canonical.Query.appendPlain(out, query);

            assertThat(plain).as("plain: '%s'", query).isEqualTo(isPlain(query));
            if (plain) {
                assertThat(out.toString()).as("canonical query of '%s'", query)
                        .isEqualTo("x" + Reference.query(query, false));
            } else {
                assertThat(out.toString()).isEqualTo("x");
            }
        }
    }

    /** What {@link Canonical.Query#appendPlain} is meant to take, said the long way. */
    private static boolean isPlain(String query) {
        if (!query.matches("[A-Za-z0-9._~&=-]*")) {
            return false;
        }
        long pairs = Arrays.stream(query.split("&")).filter(pair -> !pair.isEmpty()).count();
        boolean oneEquals = Arrays.stream(query.split("&"))
                .allMatch(pair -> pair.indexOf('=') == pair.lastIndexOf('='));
        return pairs <= 16 && oneEquals && !Reference.hasUnsortedRepeatedValues(query);
    }

    private static String anyText(Random random, boolean path) {
        String reserved = "!*'();:@&=+$,/?#[]% ";
        StringBuilder out = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            switch (random.nextInt(9)) {
                case 0 -> out.append((char) random.nextInt(0x100));
                case 1 -> out.append((char) random.nextInt(0x10000));
                case 2 -> out.appendCodePoint(0x10000 + random.nextInt(0x100000));
                case 3 -> out.append(reserved.charAt(random.nextInt(reserved.length())));
                case 4 -> out.append(String.format(random.nextBoolean() ? "%%%02X" : "%%%02x", random.nextInt(0x100)));
                case 5 -> out.append(random.nextBoolean() ? "%" : "%" + (char) random.nextInt(0x80));
                default -> out.append(path ? PLAIN_PATH_PIECES[random.nextInt(PLAIN_PATH_PIECES.length)]
                        : PLAIN_QUERY_PIECES[random.nextInt(PLAIN_QUERY_PIECES.length)]);
            }
        }
        return out.toString();
    }

    private static final String[] PLAIN_PATH_PIECES = {"/", "/", "v2", "p1", "desktop-pools", "a.b", "~x_y"};
    private static final String[] PLAIN_QUERY_PIECES = {"a", "b", "A", "1", "10", "x_y", "=", "&", "&", "k=v", "k="};

    /** Repeated keys with unsorted, escaped, empty and non-ASCII values: what the value-order handling is about. */
    private static String randomPairs(Random random) {
        String[] keys = {"a", "b", "a", "A", "k%20", "k+", "k ", "%61", "中", "x?", "x\uD800", "x%3F", ""};
        String[] values = {"", "1", "10", "2", "z", "Z", "a+b", "a%20b", "a b", "%2B", "é", "%C3%A9", "~", "*",
                "%7E", "=", "%4", "%zz"};
        StringBuilder out = new StringBuilder();
        int count = random.nextInt(7);
        for (int i = 0; i < count; i++) {
            if (i > 0 || random.nextInt(10) == 0) {
                out.append('&');
            }
            out.append(keys[random.nextInt(keys.length)]);
            if (random.nextInt(8) > 0) {
                out.append('=').append(values[random.nextInt(values.length)]);
            }
        }
        return out.toString();
    }

    private static String randomText(Random random, String[] pieces, int maxPieces) {
        StringBuilder out = new StringBuilder();
        int count = random.nextInt(maxPieces + 1);
        for (int i = 0; i < count; i++) {
            out.append(pieces[random.nextInt(pieces.length)]);
        }
        return out.toString();
    }
}
