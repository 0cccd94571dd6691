package dev.pooltasks.adapter.out.workspace;

/** An upstream answered 2xx with a body that is not a valid answer of this API. */
public final class MalformedUpstreamAnswerException extends RuntimeException {
    MalformedUpstreamAnswerException(String message) {
        super(message, null, false, false);
    }
}
