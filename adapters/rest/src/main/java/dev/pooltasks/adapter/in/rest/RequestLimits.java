package dev.pooltasks.adapter.in.rest;

import io.vertx.core.http.HttpServerRequest;

import java.util.Map;

/**
 * Bounds the request line and headers; {@link InboundGate} answers a request past them in the API's error shape (414,
 * 431) with a request id. The HTTP server's own limits are set above these (application.properties), so that it is this
 * check that answers, not the server with an empty body.
 */
public final class RequestLimits {
    /** As Huawei Cloud's gateway: a URI over 32 KiB is refused. */
    public static final int MAX_URI_LENGTH = 32 * 1024;
    /** Room for a 40,000-character X-Auth-Token (the API allows that) and the usual headers. */
    public static final int MAX_HEADERS_SIZE = 48 * 1024;

    private RequestLimits() {
    }

    /** What the request is refused for, if it is past a limit; null if it is within them. */
    static Refusal refusal(HttpServerRequest request) {
        if (request.uri().length() > MAX_URI_LENGTH) {
            return new Refusal(Refusal.URI_TOO_LONG, ApiError.URI_TOO_LONG, null, null);
        } else if (malformedPath(request.path())) {
            return new Refusal(Refusal.MALFORMED_PATH, ApiError.INVALID_PARAMETER, "malformed request path", null);
        } else if (headersSize(request) > MAX_HEADERS_SIZE) {
            return new Refusal(Refusal.HEADERS_TOO_LARGE, ApiError.HEADERS_TOO_LARGE, null, null);
        }
        return null;
    }

    /**
     * A path with a broken percent-escape or a raw control, space or non-ASCII character. The server lets such URIs
     * through (see Main) so that they are answered here, in the error shape, before any route tries to decode them.
     */
    static boolean malformedPath(String path) {
        if (path == null) {
            return true;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%') {
                if (brokenEscape(path, i, path.length())) {
                    return true;
                }
                i += 2;
            } else if (c <= ' ' || c >= 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Whether the '%' at {@code at} is not followed, before {@code end}, by two hex digits (nothing can decode it). */
    static boolean brokenEscape(String text, int at, int end) {
        return at + 2 >= end || Character.digit(text.charAt(at + 1), 16) < 0
                || Character.digit(text.charAt(at + 2), 16) < 0;
    }

    private static int headersSize(HttpServerRequest request) {
        int size = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        return size;
    }
}
