package dev.pooltasks.aksk;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PercentEncodingTest {

    @Test
    void everyUtf8ByteButTheUnreservedOnesIsEscaped() {
        Random random = new Random(3986);
        String alphabet = "aZ09-_.~ /%+&=?#:\u00e9\u4e2d\uD83D\uDE00";
        for (int n = 0; n < 5_000; n++) {
            StringBuilder value = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                value.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            StringBuilder expected = new StringBuilder();
            for (byte b : value.toString().getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                expected.append(Character.isLetterOrDigit(c) && c < 0x80 || "-_.~".indexOf(c) >= 0
                        ? String.valueOf((char) c) : String.format("%%%02X", c));
            }

            assertThat(PercentEncoding.encode(value.toString())).as(value.toString()).isEqualTo(expected.toString());
            assertThat(PercentEncoding.append(new StringBuilder("x"), value.toString()).toString())
                    .isEqualTo("x" + expected);
        }
    }

    @Test
    void textWithNothingToEscapeIsReturnedAsItIs() {
        String plain = "9e54d738-AZaz09._~";
        assertThat(PercentEncoding.encode(plain)).isSameAs(plain);
    }
}
