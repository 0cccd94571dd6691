package dev.pooltasks.adapter.in.rest;

/**
 * Why {@link InboundGate} refuses a request, and what it answers: {@code reason} tags the refusal in the access log
 * and in the refusals metric, so that an operator sees which check turned callers away.
 */
record Refusal(String reason, ApiError error, String message, String detail) {
    static final String URI_TOO_LONG = "uri_too_long";
    static final String MALFORMED_PATH = "malformed_path";
    static final String HEADERS_TOO_LARGE = "headers_too_large";
    static final String REPEATED_PARAMETER = "repeated_parameter";
    static final String MALFORMED_QUERY = "malformed_query";
}
