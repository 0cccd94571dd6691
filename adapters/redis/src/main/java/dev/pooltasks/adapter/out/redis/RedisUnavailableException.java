package dev.pooltasks.adapter.out.redis;

/** A call to Redis that did not answer in time, failed, or was not made because the circuit is open. */
public final class RedisUnavailableException extends RuntimeException {
    private final String outcome;

    RedisUnavailableException(String outcome, String message, Throwable cause) {
        super(message, cause, false, false);
        this.outcome = outcome;
    }

    /** {@code timeout}, {@code error} or {@code rejected}, as {@link RedisCallListener} names them. */
    public String outcome() {
        return outcome;
    }
}
