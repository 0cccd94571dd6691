package dev.pooltasks.aksk;

import java.util.Optional;

/** Finds the secret key (SK) of an access key id (AK). Must be thread-safe if the verifier is shared. */
@FunctionalInterface
public interface SecretLookup {
    /** The secret of {@code accessKey}, or empty if the key is unknown (or disabled). */
    Optional<String> secretFor(String accessKey);
}
