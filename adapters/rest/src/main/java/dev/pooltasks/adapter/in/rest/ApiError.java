package dev.pooltasks.adapter.in.rest;

/**
 * The one table of our errors (the contract's table): each error's HTTP status, code and message when nothing more
 * specific is said; and {@link #forStatus}, the error a bare HTTP status from the framework or the router stands for.
 */
public enum ApiError {
    INVALID_PARAMETER(400, "WKS.1001", "bad request"),
    PROJECT_NOT_FOUND(404, "WKS.1002", "project not found"),
    RESOURCE_NOT_FOUND(404, "WKS.1003", "resource not found"),
    METHOD_NOT_ALLOWED(405, "WKS.1004", "method not allowed"),
    NOT_ACCEPTABLE(406, "WKS.1005", "only application/json can be produced"),
    UPSTREAM_UNAVAILABLE(503, "WKS.1006", "upstream unavailable"),
    UPSTREAM_RATE_LIMITED(429, "WKS.1007", "upstream rate limit reached"),
    URI_TOO_LONG(414, "WKS.1008", "request URI longer than " + RequestLimits.MAX_URI_LENGTH + " characters"),
    HEADERS_TOO_LARGE(431, "WKS.1009", "request headers larger than " + RequestLimits.MAX_HEADERS_SIZE + " bytes"),
    /** Statistics over an upstream that only lists, when more tasks match than may be listed to count them. */
    TOO_MANY_TASKS_TO_COUNT(400, "WKS.1010", "too many tasks to count by listing them"),
    INTERNAL(500, "WKS.1099", "internal error"),
    /** Missing or invalid credentials, in the style of Huawei Cloud's API gateway. */
    UNAUTHENTICATED(401, "APIG.0301", "Incorrect IAM authentication information"),
    /** Says nothing about whether the project exists. */
    ACCESS_DENIED(403, "APIG.0302", "The IAM user is not authorized to access the API"),
    THROTTLED(429, "APIG.0308", "The throttling threshold has been reached: policy user over ratelimit");

    private final int httpStatus;
    private final String code;
    private final String message;

    ApiError(int httpStatus, String code, String message) {
        this.httpStatus = httpStatus;
        this.code = code;
        this.message = message;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }

    /** The message when nothing more specific is said. */
    public String message() {
        return message;
    }

    /**
     * The error a bare HTTP status stands for (no route, wrong method, a failure below the resource): the matching
     * entry, {@link #INVALID_PARAMETER} for any other client error, {@link #INTERNAL} for anything else.
     */
    public static ApiError forStatus(int httpStatus) {
        return switch (httpStatus) {
            case 404 -> RESOURCE_NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 414 -> URI_TOO_LONG;
            case 431 -> HEADERS_TOO_LARGE;
            default -> httpStatus >= 400 && httpStatus < 500 ? INVALID_PARAMETER : INTERNAL;
        };
    }

    /**
     * The status to answer a bare HTTP status with: a client error keeps its own (a 415 stays a 415, with
     * {@link #INVALID_PARAMETER}'s code), anything else becomes 500.
     */
    public static int answerStatus(int httpStatus) {
        return httpStatus >= 400 && httpStatus < 500 ? httpStatus : INTERNAL.httpStatus;
    }
}
