package dev.pooltasks.e2e;

import java.security.SecureRandom;

/** Fresh random secrets for each test run, so that no secret is written down anywhere. */
final class TestSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private TestSecrets() {
    }

    /** {@code length} random letters and digits (a Huawei secret key has 40). */
    static String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
