package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.aksk.AkskSigner;
import dev.pooltasks.aksk.PercentEncoding;
import dev.pooltasks.aksk.SignableRequest;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.StatusFilter;
import dev.pooltasks.domain.query.TaskQuery;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One GET to an upstream as it goes on the wire: the path with its query, and the headers, authentication included.
 *
 * @param pathAndQuery the request target, percent-encoded, e.g. {@code /v2/p1/desktop-pools/...?offset=0&limit=10}
 * @param headers      header name → value, {@code Host} included (it is what AK/SK signatures cover)
 */
record UpstreamRequest(String pathAndQuery, Map<String, String> headers) {
    static final String PROJECT_ID_HEADER = "X-Project-Id";
    static final String AUTH_TOKEN_HEADER = "X-Auth-Token";
    private static final DateTimeFormatter WIRE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    UpstreamRequest {
        headers = Map.copyOf(headers);
    }

    /** Builds the requests of one upstream: its base URL, project ids and authentication. */
    static final class Factory {
        private final UpstreamSettings settings;
        private final Clock clock;
        private final AkskSigner signer = new AkskSigner();
        private final String basePath;
        private final String host;

        Factory(UpstreamSettings settings, Clock clock) {
            this.settings = settings;
            this.clock = clock;
            String path = settings.baseUri().getRawPath();
            this.basePath = path == null || path.equals("/") ? "" : path.replaceAll("/+$", "");
            this.host = hostHeader(settings.baseUri());
        }

        /**
         * The request for a query: parameters in the contract's order, absent ones left out, {@code task_id} repeated,
         * each value percent-encoded as the official SDK encodes it (RFC 3986: only {@code A-Z a-z 0-9 - _ . ~}
         * stay as they are, so a space is {@code %20}).
         */
        UpstreamRequest build(TaskQuery query, Caller caller) {
            String projectId = settings.upstreamProjectId(query.projectId());
            Target target = new Target(basePath, projectId, "detail");
            filters(target, query);
            target.param("offset", String.valueOf(query.offset()));
            target.param("limit", String.valueOf(query.limit()));
            return authenticated(target.text.toString(), projectId, caller);
        }

        /**
         * The request for statistics (the pooltasks extension): its grouping and time zone, then the list's filters,
         * written as {@link #build} writes them.
         */
        UpstreamRequest statistics(StatisticsQuery query, Caller caller) {
            String projectId = settings.upstreamProjectId(query.projectId());
            Target target = new Target(basePath, projectId, "statistics");
            target.param("group_by", query.grouping().wireValue());
            target.param("time_zone", query.timeZone().getId());
            filters(target, query.filters());
            return authenticated(target.text.toString(), projectId, caller);
        }

        private static void filters(Target target, TaskQuery query) {
            target.param("desktop_pool_id", query.desktopPoolId());
            target.param("script_id", query.scriptId());
            target.param("script_name", query.scriptName());
            target.param("status", query.status() == null ? null : StatusFilter.documentedValue(query.status()));
            target.param("task_type", query.taskType() == null ? null : query.taskType().name());
            target.param("execute_time_start", lowerBound(query.executeTimeStart()));
            target.param("execute_time_end", upperBound(query.executeTimeEnd()));
            query.taskIds().forEach(taskId -> target.param("task_id", taskId));
        }

        private UpstreamRequest authenticated(String pathAndQuery, String projectId, Caller caller) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Host", host);
            headers.put("Accept", "application/json");
            switch (settings.auth().mode()) {
                case TOKEN -> headers.put(AUTH_TOKEN_HEADER, settings.auth().token());
                case PASS_THROUGH -> {
                    if (caller.token() != null) {
                        headers.put(AUTH_TOKEN_HEADER, caller.token());
                    }
                }
                case AKSK -> sign(pathAndQuery, projectId, headers);
                case NONE -> {
                }
            }
            return new UpstreamRequest(pathAndQuery, headers);
        }

        /**
         * Signs as the official SDK does (SDK-HMAC-SHA256): over Host, X-Project-Id (and X-Security-Token for a
         * temporary credential) and X-Sdk-Date; headers a client or proxy may rewrite are left unsigned.
         */
        private void sign(String pathAndQuery, String projectId, Map<String, String> headers) {
            Map<String, List<String>> signed = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            signed.put("Host", List.of(host));
            signed.put(PROJECT_ID_HEADER, List.of(projectId));
            headers.put(PROJECT_ID_HEADER, projectId);
            String securityToken = settings.auth().securityToken();
            if (securityToken != null) {
                signed.put(AkskSigner.HEADER_SECURITY_TOKEN, List.of(securityToken));
                headers.put(AkskSigner.HEADER_SECURITY_TOKEN, securityToken);
            }
            URI uri = URI.create(settings.baseUri().getScheme() + "://" + host + pathAndQuery);
            SignableRequest request = SignableRequest.of("GET", uri, signed, new byte[0]);
            headers.putAll(signer.sign(request, settings.auth().accessKey(), settings.auth().secretKey(),
                    clock.instant()));
        }
    }

    /** Times on the wire have whole seconds: an inclusive lower bound rounds up, an upper bound down. */
    static String lowerBound(Instant time) {
        if (time == null) {
            return null;
        }
        Instant whole = time.getNano() == 0 ? time : Instant.ofEpochSecond(time.getEpochSecond() + 1);
        return WIRE_TIME.format(whole);
    }

    static String upperBound(Instant time) {
        return time == null ? null : WIRE_TIME.format(Instant.ofEpochSecond(time.getEpochSecond()));
    }

    /** Host, plus ":port" unless the port is absent or the scheme's default: what the HTTP client sends. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1
                || ("https".equalsIgnoreCase(uri.getScheme()) && port == 443)
                || ("http".equalsIgnoreCase(uri.getScheme()) && port == 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** A request target being written: the path, then each query parameter present. */
    private static final class Target {
        final StringBuilder text = new StringBuilder(256);
        private boolean hasQuery;

        /** {@code basePath/v2/{projectId}/desktop-pools/script-execution-tasks/{operation}} */
        Target(String basePath, String projectId, String operation) {
            text.append(basePath).append("/v2/");
            PercentEncoding.append(text, projectId);
            text.append("/desktop-pools/script-execution-tasks/").append(operation);
        }

        void param(String name, String value) {
            if (value != null) {
                text.append(hasQuery ? '&' : '?').append(name).append('=');
                PercentEncoding.append(text, value);
                hasQuery = true;
            }
        }
    }
}
