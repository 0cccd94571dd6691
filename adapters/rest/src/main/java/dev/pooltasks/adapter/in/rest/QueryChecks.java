package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.domain.query.QueryParameters;
import io.vertx.core.http.HttpServerRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Refuses an API request whose query JAX-RS would misread, or refuse without saying why: a single-valued parameter
 * given more than once ({@code limit=10&limit=100}: JAX-RS takes the first silently, and the caller would get an
 * answer to a query they did not mean; only {@code task_id} may repeat), or a malformed percent-escape (JAX-RS
 * answers a bare "bad request"). Checked by {@link InboundGate} on the raw query, in one pass, before anything
 * decodes it.
 */
final class QueryChecks {
    private static final String API_PATH = "/desktop-pools/script-execution-tasks/";
    private static final Set<String> SINGLE_VALUED = Set.of(QueryParameters.DESKTOP_POOL_ID,
            QueryParameters.SCRIPT_ID, QueryParameters.SCRIPT_NAME, QueryParameters.STATUS, QueryParameters.TASK_TYPE,
            QueryParameters.EXECUTE_TIME_START, QueryParameters.EXECUTE_TIME_END, QueryParameters.OFFSET,
            QueryParameters.LIMIT, QueryParameters.GROUP_BY, QueryParameters.TIME_ZONE);

    private QueryChecks() {
    }

    /** The refusal of an API request whose query repeats a single-valued parameter or is malformed; or null. */
    static Refusal refusal(HttpServerRequest request) {
        String query = request.query();
        if (query == null || (query.indexOf('&') < 0 && query.indexOf('%') < 0) || !request.path().contains(API_PATH)) {
            return null;
        }
        return refusal(query);
    }

    /** The refusal of this raw query string, decided by its first malformed or repeated pair; or null. */
    static Refusal refusal(String query) {
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
            boolean nameMalformed = malformedEscape(query, start, nameEnd);
            String name = nameMalformed ? null : decode(query.substring(start, nameEnd));
            if (nameMalformed || malformedEscape(query, nameEnd, end)) {
                return malformed(name);
            }
            if (SINGLE_VALUED.contains(name)) {
                for (int i = 0; i < count; i++) {
                    if (seen[i].equals(name)) {
                        return new Refusal(Refusal.REPEATED_PARAMETER, ApiError.INVALID_PARAMETER,
                                name + " is given more than once; give it once (only task_id may repeat)", name);
                    }
                }
                seen[count++] = name;
            }
            start = end + 1;
        }
        return null;
    }

    /** Named when it is one of the API's parameters; any other name is the caller's text, not echoed. */
    private static Refusal malformed(String name) {
        boolean known = name != null && (SINGLE_VALUED.contains(name) || name.equals(QueryParameters.TASK_ID));
        return new Refusal(Refusal.MALFORMED_QUERY, ApiError.INVALID_PARAMETER, (known ? name : "the query")
                + " has a malformed percent-escape: '%' must be followed by two hex digits (write '%' itself as %25)",
                known ? name : null);
    }

    /** Whether {@code text[from, to)} has a '%' not followed by two hex digits (which JAX-RS cannot decode). */
    private static boolean malformedEscape(String text, int from, int to) {
        // Not indexOf: it would read past 'to', to the query's end, for every pair.
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '%') {
                if (RequestLimits.brokenEscape(text, i, to)) {
                    return true;
                }
                i += 2;
            }
        }
        return false;
    }

    /** A name as JAX-RS decodes it; its escapes are known to be well formed. */
    private static String decode(String raw) {
        return raw.indexOf('%') < 0 && raw.indexOf('+') < 0 ? raw : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
