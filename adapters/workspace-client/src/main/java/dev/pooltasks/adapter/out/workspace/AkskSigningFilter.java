package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.aksk.AkskSigner;
import dev.pooltasks.aksk.SignableRequest;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs each upstream request with AK/SK exactly as the official Huawei Cloud SDK does (SDK-HMAC-SHA256 over host,
 * X-Project-Id and X-Sdk-Date), just before it is sent.
 */
final class AkskSigningFilter implements ClientRequestFilter {
    static final String PROJECT_ID_HEADER = "X-Project-Id";

    private final OutboundAuth auth;
    private final Clock clock;
    private final AkskSigner signer = new AkskSigner();

    AkskSigningFilter(OutboundAuth auth, Clock clock) {
        this.auth = auth;
        this.clock = clock;
    }

    @Override
    public void filter(ClientRequestContext request) {
        Map<String, List<String>> signed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String projectId = projectIdOf(request.getUri().getRawPath());
        if (projectId != null) {
            request.getHeaders().putSingle(PROJECT_ID_HEADER, projectId);
            signed.put(PROJECT_ID_HEADER, List.of(projectId));
        }
        if (auth.securityToken() != null) {
            request.getHeaders().putSingle(AkskSigner.HEADER_SECURITY_TOKEN, auth.securityToken());
            signed.put(AkskSigner.HEADER_SECURITY_TOKEN, List.of(auth.securityToken()));
        }
        SignableRequest signable = SignableRequest.of(request.getMethod(), request.getUri(), signed, new byte[0]);
        signer.sign(signable, auth.accessKey(), auth.secretKey(), clock.instant())
                .forEach((name, value) -> request.getHeaders().putSingle(name, value));
    }

    /** The project id of a {@code /v2/{project_id}/...} path, as the official SDK sends it in X-Project-Id. */
    static String projectIdOf(String rawPath) {
        String[] segments = rawPath.split("/");
        return segments.length > 2 && "v2".equals(segments[1])
                ? URLDecoder.decode(segments[2].replace("+", "%2B"), StandardCharsets.UTF_8) : null;
    }
}
