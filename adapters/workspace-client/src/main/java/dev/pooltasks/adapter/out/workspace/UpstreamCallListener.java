package dev.pooltasks.adapter.out.workspace;

/** Hears how upstream calls end, for metrics. */
public interface UpstreamCallListener {
    UpstreamCallListener NONE = new UpstreamCallListener() {
        @Override
        public void completed(String upstream, String outcome, long nanos) {
        }

        @Override
        public void rejected(String upstream, String reason) {
        }
    };

    /** An attempt reached the upstream (or tried to) and ended with {@code outcome} after {@code nanos}. */
    void completed(String upstream, String outcome, long nanos);

    /** A call was refused before reaching the upstream: circuit open, bulkhead full or rate limited. */
    void rejected(String upstream, String reason);
}
