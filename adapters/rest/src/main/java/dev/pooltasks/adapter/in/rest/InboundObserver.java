package dev.pooltasks.adapter.in.rest;

/** Hears how API requests end, for metrics. */
public interface InboundObserver {
    InboundObserver NONE = new InboundObserver() {
        @Override
        public void requestCompleted(int status, long nanos) {
        }

        @Override
        public void callerThrottled(String credential) {
        }
    };

    /** An API request was answered with {@code status} after {@code nanos}. */
    void requestCompleted(int status, long nanos);

    /** A caller's credential went over its rate limit. */
    void callerThrottled(String credential);
}
