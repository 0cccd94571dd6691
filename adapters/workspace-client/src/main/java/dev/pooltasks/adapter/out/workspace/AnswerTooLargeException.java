package dev.pooltasks.adapter.out.workspace;

/** An upstream's answer is larger than the configured bound; it was read no further. */
final class AnswerTooLargeException extends RuntimeException {
    AnswerTooLargeException(int maxBytes) {
        super("answer larger than " + maxBytes + " bytes", null, false, false);
    }
}
