package dev.pooltasks.domain.query;

/**
 * Statistics over a task source that can only list (an upstream region) would have to list more tasks than allowed.
 * The caller can narrow the filters, or the operator can mirror the project. The message is safe to show.
 */
public final class TooManyTasksToCountException extends RuntimeException {
    private final String source;
    private final long matching;
    private final int limit;

    public TooManyTasksToCountException(String source, long matching, int limit) {
        super(String.format("%,d tasks match in %s, which can only be counted by listing them, at most %,d at a time:"
                + " narrow the filters (a shorter time range, a pool, a status) or mirror the project",
                matching, source, limit), null, false, false);
        this.source = source;
        this.matching = matching;
        this.limit = limit;
    }

    public String source() {
        return source;
    }

    public long matching() {
        return matching;
    }

    public int limit() {
        return limit;
    }
}
