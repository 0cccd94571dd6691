package dev.pooltasks.domain.port.out;

/** A mirror's write was refused: the writer does not hold the project's sync lease (another replica took it over). */
public final class LeaseLostException extends RuntimeException {
    public LeaseLostException(String projectId, String holder) {
        super("the sync lease of project " + projectId + " is not held by " + holder, null, false, false);
    }
}
