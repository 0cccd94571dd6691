package dev.pooltasks.adapter.out.postgres;

/** The mirror's database could not do what was asked (unreachable, timed out, refused): the caller backs off. */
public final class MirrorStoreException extends RuntimeException {
    MirrorStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
