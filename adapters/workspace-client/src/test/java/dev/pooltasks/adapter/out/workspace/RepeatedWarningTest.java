package dev.pooltasks.adapter.out.workspace;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** A lasting condition's warning: at once, then once per interval with the count of what was not logged. */
class RepeatedWarningTest {
    private final AtomicLong now = new AtomicLong(-5_000_000_000L);   // nanoTime may be negative
    private final RepeatedWarning warning = new RepeatedWarning(Duration.ofMinutes(1), now::get);

    @Test
    void theFirstIsLoggedThenOnePerIntervalSayingHowManyWereNot() {
        assertThat(warning.occurred("refused")).isEqualTo("refused");
        for (int i = 0; i < 250; i++) {
            now.addAndGet(Duration.ofMillis(200).toNanos());
            assertThat(warning.occurred("refused")).as("occurrence %d, within the minute", i + 2).isNull();
        }
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(warning.occurred("refused again"))
                .isEqualTo("refused again (250 more times since the last warning)");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(warning.occurred("refused")).isNull();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(warning.occurred("refused")).isEqualTo("refused (1 more time since the last warning)");
        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(warning.occurred("refused")).as("nothing since").isEqualTo("refused");
    }

    @Test
    void manyThreadsAtOnceLogItOnceAndCountTheRest() throws Exception {
        int threads = 16;
        int each = 1_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> logged = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                logged.add(pool.submit(() -> {
                    start.await();
                    int lines = 0;
                    for (int i = 0; i < each; i++) {
                        lines += warning.occurred("refused") == null ? 0 : 1;
                    }
                    return lines;
                }));
            }
            start.countDown();
            int lines = 0;
            for (Future<Integer> count : logged) {
                lines += count.get(30, TimeUnit.SECONDS);
            }
            assertThat(lines).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(warning.occurred("refused"))
                .isEqualTo("refused (" + (threads * each - 1) + " more times since the last warning)");
    }
}
