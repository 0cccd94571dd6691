package dev.pooltasks.aksk;

import java.util.List;
import java.util.Locale;

/**
 * A parsed {@code Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b;c>, Signature=<hex>} header.
 * Whitespace around the separators is tolerated and the three parameters may come in any order (names compared
 * case-insensitively); everything else is rejected.
 *
 * <p>Every request carries one, so it is read by position with plain character checks (no regular expressions, no
 * split, no copy of the header but the values kept).
 */
record AuthorizationHeader(String accessKey, List<String> signedHeaders, String signature) {
    static final int MAX_LENGTH = 4096;
    private static final int SIGNATURE_LENGTH = 64;

    /** @throws MalformedRequestException with a message that quotes nothing from the header */
    static AuthorizationHeader parse(String header) {
        if (header.length() > MAX_LENGTH) {
            throw new MalformedRequestException("Authorization header is too long");
        }
        int end = stripEnd(header, 0, header.length());
        int start = stripStart(header, 0, end);
        int space = start;
        while (space < end && !Character.isWhitespace(header.charAt(space))) {
            space++;
        }
        if (space == end || space - start != AkskSigner.ALGORITHM.length()
                || !header.startsWith(AkskSigner.ALGORITHM, start)) {
            throw new MalformedRequestException("Authorization header is not " + AkskSigner.ALGORITHM);
        }
        String accessKey = null;
        String signature = null;
        int namesFrom = -1;
        int namesTo = -1;
        // Parameters are separated by ","; each is name=value, both with surrounding whitespace stripped.
        for (int from = space; ; ) {
            int comma = header.indexOf(',', from);
            int to = comma < 0 || comma > end ? end : comma;
            int eq = header.indexOf('=', from);
            if (eq < 0 || eq >= to) {
                throw new MalformedRequestException("Authorization parameter without '='");
            }
            int nameFrom = stripStart(header, from, eq);
            int nameTo = stripEnd(header, nameFrom, eq);
            int valueTo = stripEnd(header, eq + 1, to);
            int valueFrom = stripStart(header, eq + 1, valueTo);
            if (isName(header, nameFrom, nameTo, "access")) {
                accessKey = once(accessKey, header.substring(valueFrom, valueTo), "Access");
            } else if (isName(header, nameFrom, nameTo, "signedheaders")) {
                if (namesFrom >= 0) {
                    throw new MalformedRequestException("Authorization repeats SignedHeaders");
                }
                namesFrom = valueFrom;
                namesTo = valueTo;
            } else if (isName(header, nameFrom, nameTo, "signature")) {
                signature = once(signature, header.substring(valueFrom, valueTo), "Signature");
            } else {
                throw new MalformedRequestException("unknown Authorization parameter");
            }
            if (to == end) {
                break;
            }
            from = to + 1;
        }
        if (accessKey == null || namesFrom < 0 || signature == null) {
            throw new MalformedRequestException("Authorization needs Access, SignedHeaders and Signature");
        }
        if (!AkskSigner.isAccessKey(accessKey)) {
            throw new MalformedRequestException("Access is not a valid access key id");
        }
        if (!isHex(signature, SIGNATURE_LENGTH)) {
            throw new MalformedRequestException("Signature is not 64 hex digits");
        }
        return new AuthorizationHeader(accessKey, signedHeaderNames(header, namesFrom, namesTo),
                signature.toLowerCase(Locale.ROOT));
    }

    /** The ";"-separated names of {@code header[from, to)}: each a non-empty lower-case token, strictly ascending. */
    private static List<String> signedHeaderNames(String header, int from, int to) {
        int count = 1;
        for (int i = from; i < to; i++) {
            if (header.charAt(i) == ';') {
                count++;
            }
        }
        String[] names = new String[count];
        int nameFrom = from;
        for (int n = 0; n < count; n++) {
            int semicolon = header.indexOf(';', nameFrom);
            int nameTo = semicolon < 0 || semicolon > to ? to : semicolon;
            if (nameFrom == nameTo || !isHeaderName(header, nameFrom, nameTo)) {
                throw new MalformedRequestException("SignedHeaders holds an empty or non-lower-case name");
            }
            names[n] = header.substring(nameFrom, nameTo);
            if (n > 0 && names[n - 1].compareTo(names[n]) >= 0) {
                throw new MalformedRequestException("SignedHeaders is not sorted or has duplicates");
            }
            nameFrom = nameTo + 1;
        }
        return List.of(names);
    }

    private static String once(String previous, String value, String name) {
        if (previous != null) {
            throw new MalformedRequestException("Authorization repeats " + name);
        }
        return value;
    }

    /**
     * Whether {@code s[from, to)} lower-cased is {@code lowerName}. ASCII case folding gives the same answer as
     * {@code toLowerCase(Locale.ROOT)} here: the only other character that lower-cases to ASCII is the Kelvin sign
     * (to "k"), and no parameter name has a "k".
     */
    private static boolean isName(String s, int from, int to, String lowerName) {
        if (to - from != lowerName.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lowerName.charAt(i - from)) {
                return false;
            }
        }
        return true;
    }

    /** The characters of a lower-case RFC 9110 token, by ASCII code (a table: every request's names are checked). */
    private static final boolean[] LOWER_TOKEN = new boolean[128];

    static {
        for (char c : "abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+.^_`|~-".toCharArray()) {
            LOWER_TOKEN[c] = true;
        }
    }

    /** An RFC 9110 token in lower case: a-z 0-9 ! # $ % &amp; ' * + . ^ _ ` | ~ -. */
    private static boolean isHeaderName(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 128 || !LOWER_TOKEN[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    /** As {@link String#strip()}: the first index in [from, to) not holding whitespace, or {@code to}. */
    private static int stripStart(String s, int from, int to) {
        while (from < to && Character.isWhitespace(s.charAt(from))) {
            from++;
        }
        return from;
    }

    /** As {@link String#strip()}: one past the last index in [from, to) not holding whitespace, or {@code from}. */
    private static int stripEnd(String s, int from, int to) {
        while (to > from && Character.isWhitespace(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }

    /** Names the access key only: the signature is not printed. */
    @Override
    public String toString() {
        return "AuthorizationHeader[accessKey=" + accessKey + ", signedHeaders=" + signedHeaders + "]";
    }
}
