package dev.pooltasks.adapter.in.rest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTest {

    @Test
    void aSaneCallerIdIsKept() {
        assertThat(RequestIds.saneOrNew("abc-123_x.y")).isEqualTo("abc-123_x.y");
    }

    @Test
    void aMissingOrInsaneIdIsReplacedByThirtyTwoFreshHexDigits() {
        Set<String> ids = new HashSet<>();
        for (String candidate : new String[] {null, "", "has space", "x".repeat(65), "é"}) {
            String id = RequestIds.saneOrNew(candidate);
            assertThat(id).matches("[0-9a-f]{32}");
            ids.add(id);
        }
        assertThat(ids).hasSize(5);
    }

    @Test
    void freshIdsUseEveryHexDigitInEveryPosition() {
        // Zero-padded and not truncated: over many ids each position takes all sixteen digits.
        List<Set<Character>> seen = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            seen.add(new HashSet<>());
        }
        for (int n = 0; n < 2000; n++) {
            String id = RequestIds.saneOrNew(null);
            for (int i = 0; i < 32; i++) {
                seen.get(i).add(id.charAt(i));
            }
        }
        for (Set<Character> digits : seen) {
            assertThat(digits).hasSize(16);
        }
    }
}
