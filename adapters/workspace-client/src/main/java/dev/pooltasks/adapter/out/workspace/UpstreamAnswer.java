package dev.pooltasks.adapter.out.workspace;

/**
 * An upstream's complete answer: its status, its {@code Retry-After} (null if absent) and its body, read whole.
 *
 * @param body the body bytes; not copied, never modified
 */
record UpstreamAnswer(int status, String retryAfter, byte[] body) {
}
