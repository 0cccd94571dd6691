/**
 * AK/SK request signing and verification ({@code SDK-HMAC-SHA256}), byte-for-byte compatible with the official
 * Huawei Cloud Java SDK (huaweicloud-sdk-core 3.1.143, {@code com.huaweicloud.sdk.core.auth.AKSKSigner}). Plain Java
 * 17, no dependencies.
 *
 * <p>Outbound (sign an upstream call):
 * <pre>{@code
 * SignableRequest request = SignableRequest.of("GET", uri,
 *         Map.of("X-Project-Id", List.of(projectId), "User-Agent", List.of(userAgent)), null);
 * Map<String, String> add = new AkskSigner().sign(request, ak, sk, clock.instant());
 * // send the request with these headers added: X-Sdk-Date and Authorization (Host is sent by the HTTP client)
 * }</pre>
 *
 * <p>Inbound (verify a caller):
 * <pre>{@code
 * AkskVerifier verifier = new AkskVerifier(accessKey -> keyStore.secretOf(accessKey), Clock.systemUTC());
 * VerificationResult result = verifier.verify(
 *         new SignableRequest(method, rawPath, rawQuery, headers, bodyBytes));
 * if (!result.isVerified()) { ... result.failure().get() ... } else { ... result.accessKey().get() ... }
 * }</pre>
 *
 * <p>Canonical request: method, the path with each segment percent-decoded and RFC 3986 re-encoded and "/" after
 * every segment, the query decoded and re-encoded with keys sorted (repeated keys kept as separate pairs, values in
 * the order sent, {@code key=} for empty values), {@code name:trimmed-value\n} per signed header, the signed header
 * names joined by ";", and hex(sha256(body)); joined by "\n". String-to-sign:
 * {@code "SDK-HMAC-SHA256\n" + X-Sdk-Date + "\n" + hex(sha256(canonical request))}; signature:
 * hex(HMAC-SHA256(SK, string-to-sign)).
 */
package dev.pooltasks.aksk;
