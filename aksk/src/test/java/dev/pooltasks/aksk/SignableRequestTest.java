package dev.pooltasks.aksk;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request keeps one unmodifiable, case-insensitive copy of the headers it is given. */
class SignableRequestTest {

    @Test
    void headersAreACaseInsensitiveCopyWithNamesThatDifferInCaseMerged() {
        Map<String, List<String>> given = new LinkedHashMap<>();
        List<String> values = new ArrayList<>(List.of("1"));
        given.put("X-A", values);
        given.put("x-a", List.of("2", "3"));
        given.put("Host", List.of("h"));

        SignableRequest request = new SignableRequest("get", "/", null, given, null);
        values.add("changed later");
        given.put("X-B", List.of("added later"));

        assertThat(request.headerValues("X-A")).containsExactly("1", "2", "3");
        assertThat(request.headerValues("HOST")).containsExactly("h");
        assertThat(request.headers()).containsOnlyKeys("X-A", "Host");
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.rawQuery()).isEmpty();
        assertThat(request.body()).isEmpty();
    }

    @Test
    void headersAndTheirValuesCannotBeChanged() {
        SignableRequest request = new SignableRequest("GET", "/", "", Map.of("Host", new ArrayList<>(List.of("h"))),
                null);

        assertThatThrownBy(() -> request.headers().put("X", List.of("y")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> request.headerValues("Host").add("other"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(request.withHeaders(Map.of("host", "h2")).headerValues("Host")).containsExactly("h2");
        assertThat(request.headerValues("Host")).containsExactly("h");
    }

    @Test
    void nullNamesListsAndValuesAreRefused() {
        Map<String, List<String>> nullName = new LinkedHashMap<>();
        nullName.put(null, List.of("v"));
        Map<String, List<String>> nullList = new LinkedHashMap<>();
        nullList.put("X", null);
        Map<String, List<String>> nullValue = Map.of("X", Arrays.asList("v", null));

        assertThatThrownBy(() -> new SignableRequest("GET", "/", "", nullName, null))
                .isInstanceOf(NullPointerException.class).hasMessage("header name");
        assertThatThrownBy(() -> new SignableRequest("GET", "/", "", nullList, null))
                .isInstanceOf(NullPointerException.class).hasMessage("header values");
        assertThatThrownBy(() -> new SignableRequest("GET", "/", "", nullValue, null))
                .isInstanceOf(NullPointerException.class).hasMessage("header value");
    }

    @Test
    void aReceivedRequestReadsItsHeaderLinesOnceAsTheMapWouldGiveThem() {
        List<Map.Entry<String, String>> lines = new ArrayList<>(List.of(Map.entry("Host", "h"),
                Map.entry("X-A", "1"), Map.entry("x-a", "2"), Map.entry("X-B", "b"), Map.entry("X-A", "3")));

        SignableRequest received = SignableRequest.received("get", "/p", "a=1", lines);
        lines.add(Map.entry("X-C", "added later"));

        SignableRequest fromMap = new SignableRequest("GET", "/p", "a=1", Map.of("host", List.of("h"),
                "X-A", List.of("1", "2", "3"), "X-B", List.of("b")), null);
        assertThat(received).isEqualTo(fromMap);
        assertThat(received.headerValues("x-a")).containsExactly("1", "2", "3");
        assertThat(received.headers()).containsOnlyKeys("Host", "X-A", "X-B");
        assertThat(received.method()).isEqualTo("GET");
        assertThatThrownBy(() -> received.headers().put("X", List.of("y")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> received.headers().entrySet().iterator().next().setValue(List.of("y")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> received.headerValues("X-A").add("4"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(new SignableRequest("GET", "/p", "a=1", received.headers(), null)).isEqualTo(received);
    }

    @Test
    void aReceivedRequestSignedByTheSignerIsVerified() {
        Instant now = Instant.parse("2026-11-30T04:00:00Z");
        SignableRequest request = new SignableRequest("GET", "/v2/p/x", "limit=5&offset=0",
                Map.of("Host", List.of("127.0.0.1:8080")), null);
        Map<String, String> signature = new AkskSigner().sign(request, "AK1", "secret", now);
        List<Map.Entry<String, String>> lines = new ArrayList<>(List.of(Map.entry("host", "127.0.0.1:8080"),
                Map.entry("Accept", "application/json")));
        signature.forEach((name, value) -> lines.add(Map.entry(name.toLowerCase(Locale.ROOT), value)));

        AkskVerifier verifier = new AkskVerifier(ak -> ak.equals("AK1") ? Optional.of("secret") : Optional.empty(),
                Clock.fixed(now, ZoneOffset.UTC));
        assertThat(verifier.verify(SignableRequest.received("GET", "/v2/p/x", "limit=5&offset=0", lines))
                .isVerified()).isTrue();
        assertThat(verifier.verify(SignableRequest.received("GET", "/v2/p/x", "limit=6&offset=0", lines))
                .isVerified()).isFalse();
    }

    /**
     * The headers' map answers as the case-insensitive tree it replaced (lines merged into it one by one), whether
     * built from lines or from a map: few ASCII names (looked up by scanning), more than sixteen, and names that are
     * not ASCII, among them the Kelvin sign and the long s, which fold to ASCII "k" and "s".
     */
    @Test
    void headersAnswerAsACaseInsensitiveTreeDoes() {
        String[] pool = {"Host", "host", "HOST", "X-Sdk-Date", "x-sdk-date", "Authorization", "X-A", "x-a", "K", "k",
                "\u212A", "S", "s", "\u017F", "\u017Fx", "Sx", "\u00e9", "\u00c9", "X-\uD800", "x-\uD800", "", "[",
                "{"};
        List<String> probes = new ArrayList<>(List.of(pool));
        for (String name : pool) {
            probes.add(name.toUpperCase(Locale.ROOT));
            probes.add(name.toLowerCase(Locale.ROOT));
        }
        probes.addAll(List.of("X-B", "x-b0", "X-C17", "Hosts", "@", "`", "X-Security-Token"));
        Random random = new Random(9110);
        for (int n = 0; n < 3_000; n++) {
            List<Map.Entry<String, String>> lines = new ArrayList<>();
            TreeMap<String, List<String>> tree = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            int count = random.nextInt(n % 10 == 0 ? 40 : 12);
            for (int i = 0; i < count; i++) {
                String name = random.nextInt(3) == 0 ? "X-B" + random.nextInt(30) : pool[random.nextInt(pool.length)];
                String value = "v" + i;
                lines.add(Map.entry(name, value));
                tree.merge(name, List.of(value), (a, b) -> {
                    List<String> all = new ArrayList<>(a);
                    all.addAll(b);
                    return List.copyOf(all);
                });
            }
            Map<String, List<String>> asMap = new LinkedHashMap<>();
            lines.forEach(line -> asMap.merge(line.getKey(), List.of(line.getValue()), (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            }));
            for (SignableRequest request : List.of(SignableRequest.received("GET", "/", "", lines),
                    new SignableRequest("GET", "/", "", tree, null))) {
                for (String probe : probes) {
                    assertThat(request.headerValues(probe)).as("%s in %s", probe, lines)
                            .isEqualTo(tree.getOrDefault(probe, List.of()));
                    assertThat(request.headers().containsKey(probe)).isEqualTo(tree.containsKey(probe));
                }
                assertThat(new ArrayList<>(request.headers().entrySet())).isEqualTo(new ArrayList<>(tree.entrySet()));
                assertThat(request.headers()).isEqualTo(tree).hasSameHashCodeAs(tree).hasSize(tree.size());
                assertThat(request.headers().keySet()).containsExactlyElementsOf(tree.keySet());
            }
        }
    }

    @Test
    void theBodyIsCopiedBothWays() {
        byte[] body = {1, 2, 3};
        SignableRequest request = new SignableRequest("POST", "/", "", Map.of("Host", List.of("h")), body);
        body[0] = 9;
        request.body()[1] = 9;

        assertThat(request.body()).containsExactly(1, 2, 3);
    }
}
