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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
            List<Future<List<String>>> logged = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                logged.add(pool.submit(() -> {
                    start.await();
                    List<String> lines = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        String line = warning.occurred("refused");
                        if (line != null) {
                            lines.add(line);
                        }
                    }
                    return lines;
                }));
            }
            start.countDown();
            List<String> lines = new ArrayList<>();
            for (Future<List<String>> thread : logged) {
                lines.addAll(thread.get(30, TimeUnit.SECONDS));
            }
            assertThat(lines).hasSize(1);
            // Occurrences racing the one logged may be counted in its line or in the next: each exactly once.
            now.addAndGet(Duration.ofMinutes(1).toNanos());
            String next = warning.occurred("refused");
            assertThat(unlogged(lines.get(0), "at once") + unlogged(next, "since the last warning"))
                    .as("%s, then %s", lines.get(0), next).isEqualTo(threads * each - 1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many occurrences a logged line says went unlogged before it, saying {@code when}. */
    private static long unlogged(String line, String when) {
        Matcher count = Pattern.compile("^refused(?: \\((\\d+) more times? " + when + "\\))?$").matcher(line);
        assertThat(count.matches()).as(line).isTrue();
        return count.group(1) == null ? 0 : Long.parseLong(count.group(1));
    }
}
