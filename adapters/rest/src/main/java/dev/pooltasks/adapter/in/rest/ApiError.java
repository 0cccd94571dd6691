package dev.pooltasks.adapter.in.rest;

/** Our error codes (the table in the spec's description) and the HTTP status each goes with. */
public enum ApiError {
    INVALID_PARAMETER(400, "WKS.1001"),
    PROJECT_NOT_FOUND(404, "WKS.1002"),
    RESOURCE_NOT_FOUND(404, "WKS.1003"),
    METHOD_NOT_ALLOWED(405, "WKS.1004"),
    NOT_ACCEPTABLE(406, "WKS.1005"),
    UPSTREAM_UNAVAILABLE(503, "WKS.1006"),
    UPSTREAM_RATE_LIMITED(429, "WKS.1007"),
    URI_TOO_LONG(414, "WKS.1008"),
    HEADERS_TOO_LARGE(431, "WKS.1009"),
    INTERNAL(500, "WKS.1099"),
    /** Missing or invalid credentials, in the style of Huawei Cloud's API gateway. */
    UNAUTHENTICATED(401, "APIG.0301"),
    ACCESS_DENIED(403, "APIG.0302"),
    THROTTLED(429, "APIG.0308");

    private final int httpStatus;
    private final String code;

    ApiError(int httpStatus, String code) {
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String code() {
        return code;
    }
}
