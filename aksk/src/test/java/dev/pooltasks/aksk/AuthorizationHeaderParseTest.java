package dev.pooltasks.aksk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Authorization parser, read by position with character checks, accepts and rejects exactly as the regular
 * expressions it replaced (kept here as the oracle), with the same messages.
 */
class AuthorizationHeaderParseTest {
    private static final String SIG = "0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef";

    /** The parser as it was, with its regular expressions: what the new one must agree with. */
    static final class Reference {
        static final Pattern ACCESS_KEY = Pattern.compile("[A-Za-z0-9._-]{1,128}");
        static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");
        static final Pattern SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");

        static AuthorizationHeader parse(String header) {
            if (header.length() > AuthorizationHeader.MAX_LENGTH) {
                throw new MalformedRequestException("Authorization header is too long");
            }
            String trimmed = header.strip();
            int space = -1;
            for (int i = 0; i < trimmed.length() && space < 0; i++) {
                if (Character.isWhitespace(trimmed.charAt(i))) {
                    space = i;
                }
            }
            if (space < 0 || !trimmed.substring(0, space).equals(AkskSigner.ALGORITHM)) {
                throw new MalformedRequestException("Authorization header is not " + AkskSigner.ALGORITHM);
            }
            String accessKey = null;
            String signedHeaders = null;
            String signature = null;
            for (String param : trimmed.substring(space).split(",", -1)) {
                int eq = param.indexOf('=');
                if (eq < 0) {
                    throw new MalformedRequestException("Authorization parameter without '='");
                }
                String name = param.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = param.substring(eq + 1).strip();
                switch (name) {
                    case "access" -> accessKey = once(accessKey, value, "Access");
                    case "signedheaders" -> signedHeaders = once(signedHeaders, value, "SignedHeaders");
                    case "signature" -> signature = once(signature, value, "Signature");
                    default -> throw new MalformedRequestException("unknown Authorization parameter");
                }
            }
            if (accessKey == null || signedHeaders == null || signature == null) {
                throw new MalformedRequestException("Authorization needs Access, SignedHeaders and Signature");
            }
            if (!ACCESS_KEY.matcher(accessKey).matches()) {
                throw new MalformedRequestException("Access is not a valid access key id");
            }
            if (!SIGNATURE.matcher(signature).matches()) {
                throw new MalformedRequestException("Signature is not 64 hex digits");
            }
            List<String> names = Arrays.asList(signedHeaders.split(";", -1));
            for (int i = 0; i < names.size(); i++) {
                if (!HEADER_NAME.matcher(names.get(i)).matches()) {
                    throw new MalformedRequestException("SignedHeaders holds an empty or non-lower-case name");
                }
                if (i > 0 && names.get(i - 1).compareTo(names.get(i)) >= 0) {
                    throw new MalformedRequestException("SignedHeaders is not sorted or has duplicates");
                }
            }
            return new AuthorizationHeader(accessKey, List.copyOf(names), signature.toLowerCase(Locale.ROOT));
        }

        private static String once(String previous, String value, String name) {
            if (previous != null) {
                throw new MalformedRequestException("Authorization repeats " + name);
            }
            return value;
        }
    }

    /** "ok:" and the parsed fields, or "rejected:" and the message. */
    static String outcome(Function<String, AuthorizationHeader> parser, String header) {
        try {
            AuthorizationHeader parsed = parser.apply(header);
            return "ok:" + parsed.accessKey() + "|" + parsed.signedHeaders() + "|" + parsed.signature();
        } catch (MalformedRequestException e) {
            return "rejected:" + e.getMessage();
        }
    }

    static void assertAgrees(String header) {
        assertThat(outcome(AuthorizationHeader::parse, header))
                .as("Authorization %s", header.length() > 300 ? header.length() + " characters" : "'" + header + "'")
                .isEqualTo(outcome(Reference::parse, header));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + SIG,
            "\t SDK-HMAC-SHA256\u2003Signature =" + SIG + " ,signedheaders= host;x-sdk-date ,ACCESS=a.b_c-D ",
            "SDK-HMAC-SHA256 Acceſs=AK, SignedHeaders=host;x-sdk-date, Signature=" + SIG,
            "SDK-HMAC-SHA256 Access=AK, SİgnedHeaders=host;x-sdk-date, Signature=" + SIG,
            "SDK-HMAC-SHA256\u00a0Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + SIG,
            "SDK-HMAC-SHA256\u001fAccess=AK, SignedHeaders=host;x-sdk-date, Signature=" + SIG,
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + SIG + ",",
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=, Signature=" + SIG,
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=;host, Signature=" + SIG,
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;X, Signature=" + SIG,
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=!#$%&'*+.^_`|~-;host, Signature=" + SIG,
            "SDK-HMAC-SHA256 Access=AK=, SignedHeaders=host, Signature=" + SIG,
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;a, Signature=" + SIG + ", Access",
            "SDK-HMAC-SHA256 Access=AK, Access=AK, nothing",
            "SDK-HMAC-SHA256 ",
            "SDK-HMAC-SHA256",
            " ",
            ""})
    void agreesWithTheRegularExpressionsOn(String header) {
        assertAgrees(header);
    }

    @Test
    void agreesWithTheRegularExpressionsOnRandomHeaders() {
        Random random = new Random(20261130L);
        int accepted = 0;
        for (int i = 0; i < 50_000; i++) {
            String header = randomHeader(random);
            assertAgrees(header);
            if (outcome(Reference::parse, header).startsWith("ok:")) {
                accepted++;
            }
        }
        assertThat(accepted).as("enough accepted headers to compare").isGreaterThan(2_000);
    }

    @Test
    void agreesAroundTheLengthLimit() {
        String good = "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=" + SIG;
        for (int length : new int[] {AuthorizationHeader.MAX_LENGTH - 1, AuthorizationHeader.MAX_LENGTH,
                AuthorizationHeader.MAX_LENGTH + 1}) {
            assertAgrees(good + " ".repeat(length - good.length()));
        }
        assertAgrees("SDK-HMAC-SHA256 Access=" + "A".repeat(128) + ", SignedHeaders=host, Signature=" + SIG);
        assertAgrees("SDK-HMAC-SHA256 Access=" + "A".repeat(129) + ", SignedHeaders=host, Signature=" + SIG);
    }

    // In each list the first two choices are ordinary; the rest only come in "odd" headers (one in three).
    private static final String[] SPACES = {"", " ", "  ", "\t", "\u2003", "\u00a0", "\u001f", "\n"};
    private static final String[] ALGORITHMS = {"SDK-HMAC-SHA256", "SDK-HMAC-SHA256", "sdk-hmac-sha256",
            "SDK-HMAC-SHA2566", "SDK-HMAC-SM3", ""};
    private static final String[] PARAMETER_NAMES = {"Access", "SignedHeaders", "Signature", "access", "ACCESS",
            "signedheaders", "SIGNATURE", "SiGnAtUrE", "Acceſs", "\u212aey", "Region", "", "Access Key"};
    private static final String[] SEPARATORS = {",", ", ", ",,", ";", " ", ""};
    private static final String[] HEADER_NAMES = {"host", "x-sdk-date", "a", "b", "content-type", "x-project-id",
            "Host", "", "x_y", "a b", "é", "!#$%&'*+.^_`|~-", "x=y"};
    private static final String ACCESS_KEY_CHARS = "ABCXYZabcxyz0189._-";
    private static final String ODD_CHARS = " +/=,;é\u212a:";

    static String randomHeader(Random random) {
        boolean odd = random.nextInt(3) == 0;
        StringBuilder out = new StringBuilder();
        out.append(pick(random, SPACES, odd)).append(pick(random, ALGORITHMS, odd)).append(' ')
                .append(pick(random, SPACES, odd));
        List<String> names = new ArrayList<>(List.of("Access", "SignedHeaders", "Signature"));
        int count = odd && random.nextInt(4) == 0 ? random.nextInt(5) : 3;
        for (int p = 0; p < count; p++) {
            String name = odd && random.nextInt(3) == 0 ? pick(random, PARAMETER_NAMES, true)
                    : names.remove(random.nextInt(names.size()));
            if (names.isEmpty()) {
                names.add(pick(random, PARAMETER_NAMES, odd));
            }
            if (p > 0) {
                out.append(pick(random, SEPARATORS, odd && random.nextInt(4) == 0));
            }
            out.append(pick(random, SPACES, odd)).append(name).append(pick(random, SPACES, odd))
                    .append(odd && random.nextInt(10) == 0 ? "" : "=")
                    .append(pick(random, SPACES, odd)).append(randomValue(random, name, odd))
                    .append(pick(random, SPACES, odd));
        }
        if (odd && random.nextInt(10) == 0) {
            out.append(pick(random, SEPARATORS, true));
        }
        return out.toString();
    }

    private static String randomValue(Random random, String name, boolean odd) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("signature")) {
            int length = odd && random.nextInt(3) == 0 ? random.nextInt(70) : 64;
            String hex = random.nextBoolean() ? "0123456789abcdef" : "0123456789ABCDEFabcdef";
            StringBuilder value = new StringBuilder();
            for (int i = 0; i < length; i++) {
                value.append(odd && random.nextInt(100) == 0 ? pickChar(random, "gG z;,=") : pickChar(random, hex));
            }
            return value.toString();
        }
        if (lower.equals("signedheaders")) {
            List<String> headers = new ArrayList<>();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                headers.add(HEADER_NAMES[random.nextInt(odd && random.nextInt(3) == 0 ? HEADER_NAMES.length : 6)]);
            }
            if (!odd || random.nextBoolean()) {
                headers = new ArrayList<>(new TreeSet<>(headers));
            }
            return String.join(odd && random.nextInt(10) == 0 ? "; " : ";", headers);
        }
        int length = odd && random.nextInt(3) == 0 ? random.nextInt(140) : 1 + random.nextInt(24);
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < length; i++) {
            value.append(odd && random.nextInt(20) == 0 ? pickChar(random, ODD_CHARS)
                    : pickChar(random, ACCESS_KEY_CHARS));
        }
        return value.toString();
    }

    private static String pick(Random random, String[] choices, boolean odd) {
        return choices[random.nextInt(odd ? choices.length : 2)];
    }

    private static char pickChar(Random random, String choices) {
        return choices.charAt(random.nextInt(choices.length()));
    }
}
