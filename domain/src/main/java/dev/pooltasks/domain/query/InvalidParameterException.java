package dev.pooltasks.domain.query;

/** A query parameter that breaks the API's rules. The message is safe to show to the caller. */
public final class InvalidParameterException extends RuntimeException {
    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super(message, null, false, false);
        this.parameter = parameter;
    }

    /** The wire name of the offending parameter, e.g. {@code limit}. */
    public String parameter() {
        return parameter;
    }
}
