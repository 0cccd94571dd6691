package dev.pooltasks.domain.port.out;

/**
 * A task source answered the query with a client error (4xx) of its own, such as 401 for bad credentials or 429 for
 * its rate limit. Its status and body are kept so that they can be passed on unchanged.
 */
public final class TaskSourceRejectedException extends RuntimeException {
    private final String source;
    private final int httpStatus;
    private final String body;
    private final long retryAfterSeconds;

    /** @param retryAfterSeconds the source's Retry-After, or -1 */
    public TaskSourceRejectedException(String source, int httpStatus, String body, long retryAfterSeconds) {
        super("upstream " + source + " answered HTTP " + httpStatus, null, false, false);
        this.source = source;
        this.httpStatus = httpStatus;
        this.body = body == null ? "" : body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String source() {
        return source;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String body() {
        return body;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** A 429: "not now", unlike every other refusal, which says "no" to this caller or this query. */
    public boolean isRateLimit() {
        return httpStatus == 429;
    }
}
