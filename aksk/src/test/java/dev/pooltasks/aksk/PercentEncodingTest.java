package dev.pooltasks.aksk;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
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

    /**
     * Against {@link URLEncoder} with the documented fixes (it writes a space as "+", and leaves "*" unescaped but
     * escapes "~"), over random text of every Latin-1 character, other BMP characters, surrogate pairs and unpaired
     * surrogates (encoded as "?", as both encode them).
     */
    @Test
    void agreesWithUrlEncoderWithTheRfc3986FixesOnRandomText() {
        Random random = new Random(1738);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder value = new StringBuilder();
            for (int i = random.nextInt(16); i > 0; i--) {
                switch (random.nextInt(5)) {
                    case 0, 1 -> value.append((char) random.nextInt(0x80));
                    case 2 -> value.append((char) random.nextInt(0x100));
                    case 3 -> value.append((char) random.nextInt(0x10000));
                    default -> value.appendCodePoint(0x10000 + random.nextInt(0x100000));
                }
            }
            String text = value.toString();
            String expected = URLEncoder.encode(text, StandardCharsets.UTF_8)
                    .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");

            assertThat(PercentEncoding.encode(text)).as("%s", text).isEqualTo(expected);
            assertThat(PercentEncoding.append(new StringBuilder("x"), text).toString()).isEqualTo("x" + expected);
        }
    }

    @Test
    void textWithNothingToEscapeIsReturnedAsItIs() {
        String plain = "9e54d738-AZaz09._~";
        assertThat(PercentEncoding.encode(plain)).isSameAs(plain);
    }
}
