package dev.pooltasks.adapter.out.redis;

/** Hears how each call to Redis ends, for metrics. */
public interface RedisCallListener {
    RedisCallListener NONE = (operation, outcome, nanos) -> { };

    /**
     * @param operation what the call was for, e.g. {@code budget_take}, {@code cache_read}
     * @param outcome   {@code success}, {@code timeout} (the deadline passed), {@code error} (refused, reset, an error
     *                  answer) or {@code rejected} (not made: the circuit is open)
     */
    void called(String operation, String outcome, long nanos);
}
