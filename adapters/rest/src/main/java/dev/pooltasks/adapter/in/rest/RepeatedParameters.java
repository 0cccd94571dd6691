package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.domain.query.QueryParameters;
import io.vertx.core.http.HttpServerRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Refuses an API request that gives a single-valued parameter more than once ({@code limit=10&limit=100}): JAX-RS
 * would take the first silently, and the caller would get an answer to a query they did not mean. Only
 * {@code task_id} may repeat. Checked by {@link InboundGate} on the raw query, before anything decodes it.
 */
final class RepeatedParameters {
    private static final String API_PATH = "/desktop-pools/script-execution-tasks/";
    private static final Set<String> SINGLE_VALUED = Set.of(QueryParameters.DESKTOP_POOL_ID,
            QueryParameters.SCRIPT_ID, QueryParameters.SCRIPT_NAME, QueryParameters.STATUS, QueryParameters.TASK_TYPE,
            QueryParameters.EXECUTE_TIME_START, QueryParameters.EXECUTE_TIME_END, QueryParameters.OFFSET,
            QueryParameters.LIMIT, QueryParameters.GROUP_BY, QueryParameters.TIME_ZONE);

    private RepeatedParameters() {
    }

    /** The refusal of a request that repeats a single-valued parameter; null if it repeats none. */
    static Refusal refusal(HttpServerRequest request) {
        String query = request.query();
        if (query == null || query.indexOf('&') < 0 || !request.path().contains(API_PATH)) {
            return null;
        }
        String repeated = repeated(query);
        return repeated == null ? null : new Refusal(Refusal.REPEATED_PARAMETER, ApiError.INVALID_PARAMETER,
                repeated + " is given more than once; give it once (only task_id may repeat)", repeated);
    }

    /** The first single-valued parameter this raw query string gives more than once, by its decoded name; or null. */
    static String repeated(String query) {
        String[] seen = new String[SINGLE_VALUED.size()];
        int count = 0;
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            end = end < 0 ? query.length() : end;
            int nameEnd = start;
            // '=' looked for within this pair only: from every pair to the query's end would be quadratic (a 32 KiB
            // query of bare '&' read some 500 million characters).
            while (nameEnd < end && query.charAt(nameEnd) != '=') {
                nameEnd++;
            }
            String name = name(query.substring(start, nameEnd));
            if (name != null && SINGLE_VALUED.contains(name)) {
                for (int i = 0; i < count; i++) {
                    if (seen[i].equals(name)) {
                        return name;
                    }
                }
                seen[count++] = name;
            }
            start = end + 1;
        }
        return null;
    }

    /** A name as JAX-RS decodes it; null for one it cannot decode (left to the layers below to refuse). */
    private static String name(String raw) {
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            return raw;
        }
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException undecodable) {
            return null;
        }
    }
}
