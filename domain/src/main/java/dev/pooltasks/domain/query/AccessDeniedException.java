package dev.pooltasks.domain.query;

/**
 * The caller may not read the project. Raised before the project is looked up, so that the answer does not reveal
 * whether the project exists.
 */
public final class AccessDeniedException extends RuntimeException {
    public AccessDeniedException(String principal) {
        super("access denied for " + principal, null, false, false);
    }
}
