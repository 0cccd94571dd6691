package dev.pooltasks.adapter.in.rest;

/** Hears how API requests end and why requests are refused, for metrics. */
public interface InboundObserver {
    InboundObserver NONE = new InboundObserver() {
        @Override
        public void requestCompleted(int status, long nanos) {
        }

        @Override
        public void callerThrottled(String credential) {
        }

        @Override
        public void requestRefused(String reason) {
        }
    };

    /** An API request was answered with {@code status} after {@code nanos}. */
    void requestCompleted(int status, long nanos);

    /** A caller's credential went over its rate limit. */
    void callerThrottled(String credential);

    /**
     * A request was refused at the gate, before any route: {@code reason} is {@code uri_too_long},
     * {@code malformed_path}, {@code headers_too_large}, {@code repeated_parameter} or {@code malformed_query}.
     */
    void requestRefused(String reason);
}
