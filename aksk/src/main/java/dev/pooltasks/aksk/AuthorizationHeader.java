package dev.pooltasks.aksk;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed {@code Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b;c>, Signature=<hex>} header.
 * Whitespace around the separators is tolerated and the three parameters may come in any order (names compared
 * case-insensitively); everything else is rejected.
 */
record AuthorizationHeader(String accessKey, List<String> signedHeaders, String signature) {
    static final int MAX_LENGTH = 4096;
    private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");

    /** @throws MalformedRequestException with a message that quotes nothing from the header */
    static AuthorizationHeader parse(String header) {
        if (header.length() > MAX_LENGTH) {
            throw new MalformedRequestException("Authorization header is too long");
        }
        String trimmed = header.strip();
        int space = indexOfWhitespace(trimmed);
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
        if (!AkskSigner.ACCESS_KEY.matcher(accessKey).matches()) {
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

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Names the access key only: the signature is not printed. */
    @Override
    public String toString() {
        return "AuthorizationHeader[accessKey=" + accessKey + ", signedHeaders=" + signedHeaders + "]";
    }
}
