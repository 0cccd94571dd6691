package dev.pooltasks.aksk;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AkskSigner#signature} keeps each thread's Mac initialised with the last secret and re-initialises it only for
 * another secret: signatures stay those of a freshly keyed HMAC whatever the order in which secrets come.
 */
class HmacKeyReuseTest {
    static final String FIRST = "first-secret-key";
    static final String SECOND = "second-secret-key";

    static String freshHmac(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Canonical.hex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void twoSecretsAlternatingOnOneThreadEachSignAsAFreshMac() throws Exception {
        String[] order = {FIRST, SECOND, FIRST, FIRST, SECOND, SECOND, FIRST, new String(SECOND.toCharArray()),
                "sk-é-中", FIRST};
        for (int i = 0; i < order.length; i++) {
            String message = "SDK-HMAC-SHA256\n20261130T010203Z\nmessage " + i;
            assertThat(AkskSigner.signature(order[i], message)).as("signature %d", i)
                    .isEqualTo(freshHmac(order[i], message));
        }
    }

    @Test
    void theSameSecretAndMessageSignAlikeEveryTime() throws Exception {
        String expected = freshHmac(FIRST, "m");
        for (int i = 0; i < 5; i++) {
            assertThat(AkskSigner.signature(FIRST, "m")).isEqualTo(expected);
            AkskSigner.signature(i % 2 == 0 ? SECOND : FIRST, "other " + i);
        }
    }

    @Test
    void threadsSwitchingSecretsDoNotDisturbEachOther() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        String secret = (i + thread) % 3 == 0 ? FIRST : SECOND;
                        String message = "thread " + thread + " message " + i;
                        assertThat(AkskSigner.signature(secret, message)).isEqualTo(freshHmac(secret, message));
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
