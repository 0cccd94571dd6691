package dev.pooltasks.adapter.out.workspace;

/**
 * An upstream's complete answer: its status, its {@code Retry-After}, its body, read whole, and the headers in which
 * another pooltasks says what is behind it ({@link SourcesBehind}); a header's value is null when it is absent.
 *
 * @param body the body bytes; not copied, never modified
 */
record UpstreamAnswer(int status, String retryAfter, byte[] body, String missingUpstreams, String staleUpstreams,
                      String mirrorAge) {
    SourcesBehind behind(String upstream) {
        return SourcesBehind.of(upstream, missingUpstreams, staleUpstreams, mirrorAge);
    }
}
