package dev.pooltasks.domain.port.out;

/** The call was not made: it would exceed the rate limit configured for the task source. */
public final class TaskSourceThrottledException extends RuntimeException {
    private final String source;
    private final long retryAfterSeconds;

    public TaskSourceThrottledException(String source, long retryAfterSeconds) {
        super("rate limit of upstream " + source + " reached", null, false, false);
        this.source = source;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String source() {
        return source;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
