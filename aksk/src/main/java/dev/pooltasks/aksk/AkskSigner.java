package dev.pooltasks.aksk;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests with AK/SK the way the official Huawei Cloud Java SDK does (algorithm {@code SDK-HMAC-SHA256},
 * {@code com.huaweicloud.sdk.core.auth.AKSKSigner} in huaweicloud-sdk-core 3.1.143).
 *
 * <p>Which headers are signed: like the SDK, every header present on the request, plus {@code host} and
 * {@code x-sdk-date}, except {@code Content-Type} and names containing "_" (the SDK skips both). In addition, headers
 * that the SDK never has at signing time because its HTTP stack adds them later, and that proxies or HTTP clients may
 * rewrite ({@code Content-Length}, {@code Accept-Encoding}, {@code Connection}, {@code Transfer-Encoding},
 * {@code Keep-Alive}, {@code TE}, {@code Upgrade}, {@code Expect}), are skipped. So a request shaped like the SDK's
 * ({@code Host}, {@code User-Agent}, {@code X-Project-Id}, {@code Content-Type}) is signed over exactly
 * {@code host;user-agent;x-project-id;x-sdk-date}, byte-for-byte as the SDK signs it; a temporary credential's
 * {@code X-Security-Token}, when put on the request, is signed too, as the SDK does. Put on the request only headers
 * that will be sent unchanged.
 *
 * <p>Instances are stateless and thread-safe.
 */
public final class AkskSigner {
    /** The algorithm name at the start of the Authorization header and of the string-to-sign. */
    public static final String ALGORITHM = "SDK-HMAC-SHA256";
    public static final String HEADER_AUTHORIZATION = "Authorization";
    public static final String HEADER_DATE = "X-Sdk-Date";
    public static final String HEADER_SECURITY_TOKEN = "X-Security-Token";
    /** If present, the SDK uses its value as the payload hash instead of hashing the body. */
    public static final String HEADER_CONTENT_SHA256 = "X-Sdk-Content-Sha256";

    private static final DateTimeFormatter SDK_DATE =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withResolverStyle(ResolverStyle.STRICT);
    private static final Set<String> NOT_SIGNED = Set.of("content-type", "content-length", "accept-encoding",
            "connection", "transfer-encoding", "keep-alive", "te", "upgrade", "expect");

    /**
     * Signs a request.
     *
     * @param request   the request as it will be sent; must carry {@code Host}; must not carry {@code Authorization}.
     *                  An {@code X-Sdk-Date} on it is ignored (replaced by {@code now})
     * @param accessKey the AK, placed in the header as it is
     * @param secretKey the SK, used as the HMAC key (UTF-8)
     * @param now       the signing time; written to {@code X-Sdk-Date} truncated to the second (UTC)
     * @return the headers to add to the request: {@code X-Sdk-Date} and {@code Authorization}, in that order
     * @throws IllegalArgumentException if the request or the keys cannot be signed; the message never contains the
     *                                  secret
     */
    public Map<String, String> sign(SignableRequest request, String accessKey, String secretKey, Instant now) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(now, "now");
        if (accessKey == null || !isAccessKey(accessKey)) {
            throw new IllegalArgumentException("accessKey must be 1-128 characters of A-Z a-z 0-9 . _ -");
        }
        if (secretKey == null || secretKey.isEmpty()) {
            throw new IllegalArgumentException("secretKey must not be empty");
        }
        if (!request.headerValues(HEADER_AUTHORIZATION).isEmpty()) {
            throw new IllegalArgumentException("the request already carries an Authorization header");
        }
        String bodyHash = Canonical.sha256Hex(request.bodyBytes());
        String declaredHash = request.header(HEADER_CONTENT_SHA256).orElse(null);
        if (declaredHash != null && !declaredHash.trim().equalsIgnoreCase(bodyHash)) {
            throw new IllegalArgumentException(HEADER_CONTENT_SHA256 + " does not match the body "
                    + "(unsigned payloads are not supported)");
        }
        String date = sdkDate(now);
        SignableRequest dated = request.withHeaders(Map.of(HEADER_DATE, date));
        List<String> signedHeaders = signedHeaderNames(dated);
        String canonicalRequest = canonicalRequest(dated, signedHeaders);
        String signature = signature(secretKey, stringToSign(date, canonicalRequest));

        Map<String, String> added = new LinkedHashMap<>();
        added.put(HEADER_DATE, date);
        added.put(HEADER_AUTHORIZATION, authorization(accessKey, signedHeaders, signature));
        return added;
    }

    /**
     * The lower-case, sorted names {@link #sign} signs for this request: {@code host}, {@code x-sdk-date} and every
     * other header present, except Content-Type, names containing "_" and the transport headers listed in the class
     * comment.
     *
     * @throws IllegalArgumentException if the request has no Host header
     */
    public static List<String> signedHeaderNames(SignableRequest request) {
        if (request.header("Host").map(String::isBlank).orElse(true)) {
            throw new IllegalArgumentException("the request must carry a Host header");
        }
        List<String> names = new ArrayList<>();
        for (String name : request.headers().keySet()) {
            String lower = Canonical.lower(name);
            if (!NOT_SIGNED.contains(lower) && !lower.contains("_") && !lower.equals("authorization")
                    && !lower.equals("host") && !lower.equals("x-sdk-date")) {
                names.add(lower);
            }
        }
        names.add("host");
        names.add("x-sdk-date");
        names.sort(null);
        return List.copyOf(names);
    }

    /**
     * The canonical request: method, canonical URI, canonical query, canonical headers, signed headers and payload
     * hash, joined by "\n". Repeated query values are kept in the order they are sent, as the Java SDK signs them.
     * The payload hash is the value of {@code X-Sdk-Content-Sha256} if the request has that header (as in the SDK),
     * otherwise hex(sha256(body)).
     *
     * @param request       the request including its {@code X-Sdk-Date} header
     * @param signedHeaders lower-case, sorted header names
     * @throws MalformedRequestException if a signed header is missing or repeated, or an escape is broken
     */
    public static String canonicalRequest(SignableRequest request, List<String> signedHeaders) {
        return canonicalRequests(request, signedHeaders).get(0);
    }

    /**
     * The canonical requests a verifier tries: first as {@link #canonicalRequest(SignableRequest, List)}, then, only
     * if some repeated query values are not in sorted order, with them sorted (as the Go SDK signs).
     */
    static List<String> canonicalRequests(SignableRequest request, List<String> signedHeaders) {
        String payloadHash = payloadHash(request.header(HEADER_CONTENT_SHA256), request);
        return Canonical.requests(request, signedHeaders, payloadHash);
    }

    /** The canonical request's last line: the declared X-Sdk-Content-Sha256 (trimmed) if sent, else the body's hash. */
    static String payloadHash(Optional<String> declaredHash, SignableRequest request) {
        return declaredHash.map(String::trim).orElseGet(() -> Canonical.sha256Hex(request.bodyBytes()));
    }

    /** {@code "SDK-HMAC-SHA256\n" + sdkDate + "\n" + hex(sha256(canonicalRequest))}. */
    public static String stringToSign(String sdkDate, String canonicalRequest) {
        return ALGORITHM + '\n' + sdkDate + '\n'
                + Canonical.sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** hex(HMAC-SHA256(key = UTF-8 bytes of the secret key, stringToSign)), lower case. */
    public static String signature(String secretKey, String stringToSign) {
        if (secretKey == null || secretKey.isEmpty()) {
            throw new IllegalArgumentException("secretKey must not be empty");
        }
        // doFinal leaves the Mac initialised with the same key, ready for the next message.
        return Canonical.hex(mac(secretKey).doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The raw signature (HMAC-SHA256 with the UTF-8 bytes of {@code secretKey} as key) of a string-to-sign already
     * encoded as UTF-8: what {@link #signature} gives, before hex.
     */
    static byte[] signature(String secretKey, byte[] stringToSign) {
        return mac(secretKey).doFinal(stringToSign);
    }

    /** This thread's Mac, initialised with {@code secretKey} (a non-empty secret). */
    private static Mac mac(String secretKey) {
        KeyedMac keyed = HMAC.get();
        if (!secretKey.equals(keyed.secretKey)) {
            keyed.secretKey = null; // forgotten first: a failed init leaves the Mac's key unknown
            try {
                keyed.mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            } catch (InvalidKeyException e) {
                throw new IllegalStateException("HmacSHA256 is not available");
            }
            keyed.secretKey = secretKey;
        }
        return keyed.mac;
    }

    /**
     * One Mac per thread (looking the algorithm up costs more than the HMAC itself), with the secret it was last
     * initialised with: a verifier mostly sees the same few keys, and init (a key copy and two hashed pad blocks) is
     * skipped when the key is the one it already holds. Holds the secret as the Mac itself does; never printed.
     */
    private static final ThreadLocal<KeyedMac> HMAC = ThreadLocal.withInitial(KeyedMac::new);

    private static final class KeyedMac {
        final Mac mac;
        String secretKey;

        KeyedMac() {
            try {
                mac = Mac.getInstance("HmacSHA256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("HmacSHA256 is not available");
            }
        }
    }

    /**
     * What an access key may look like: 1-128 characters of A-Z a-z 0-9 . _ - (Huawei AKs are 20 upper-case letters
     * and digits).
     */
    static boolean isAccessKey(String value) {
        if (value.isEmpty() || value.length() > 128) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** {@code SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<a;b;c>, Signature=<hex>}, as the SDK formats it. */
    static String authorization(String accessKey, List<String> signedHeaders, String signature) {
        return ALGORITHM + " Access=" + accessKey + ", SignedHeaders=" + String.join(";", signedHeaders)
                + ", Signature=" + signature;
    }

    /** The {@code X-Sdk-Date} value for an instant: {@code yyyyMMdd'T'HHmmss'Z'} in UTC, truncated to the second. */
    public static String sdkDate(Instant instant) {
        return SDK_DATE.format(instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    /**
     * Parses an {@code X-Sdk-Date} value strictly.
     *
     * @throws MalformedRequestException if it is not {@code yyyyMMdd'T'HHmmss'Z'}
     */
    public static Instant parseSdkDate(String value) {
        Instant usual = usualSdkDate(value);
        if (usual != null) {
            return usual;
        }
        try {
            return LocalDateTime.parse(value, SDK_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new MalformedRequestException("X-Sdk-Date is not yyyyMMdd'T'HHmmss'Z'");
        }
    }

    /**
     * {@code yyyyMMdd'T'HHmmss'Z'} with a four-digit year, read by position (the formatter costs more than the rest of
     * a verification); null for anything else, which the strict formatter then decides.
     */
    private static Instant usualSdkDate(String value) {
        if (value.length() != 16 || value.charAt(8) != 'T' || value.charAt(15) != 'Z') {
            return null;
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 4, 2);
        int day = digits(value, 6, 2);
        int hour = digits(value, 9, 2);
        int minute = digits(value, 11, 2);
        int second = digits(value, 13, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(LocalDate.of(year, month, day).toEpochDay() * 86_400
                    + hour * 3_600 + minute * 60 + second);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
