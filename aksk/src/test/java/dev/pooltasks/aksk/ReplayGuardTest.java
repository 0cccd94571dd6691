package dev.pooltasks.aksk;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayGuardTest {
    static final Instant T0 = Instant.parse("2024-05-06T07:08:09Z");
    static final Duration WINDOW = Duration.ofMinutes(15);

    @Test
    void rejectsTheSameSignatureInsideTheWindowAndAcceptsItAgainAfter() {
        ReplayGuard guard = new ReplayGuard(10);
        Instant expiresAt = T0.plus(WINDOW);

        assertThat(guard.register("sig-1", expiresAt, T0)).isEqualTo(ReplayGuard.Outcome.FIRST_USE);
        assertThat(guard.register("sig-1", expiresAt, T0.plusSeconds(1))).isEqualTo(ReplayGuard.Outcome.REPLAYED);
        assertThat(guard.register("sig-1", expiresAt, expiresAt)).isEqualTo(ReplayGuard.Outcome.REPLAYED);
        assertThat(guard.register("sig-2", expiresAt, T0)).isEqualTo(ReplayGuard.Outcome.FIRST_USE);

        Instant afterWindow = expiresAt.plusNanos(1);
        assertThat(guard.size(afterWindow)).isZero();
        assertThat(guard.register("sig-1", afterWindow.plus(WINDOW), afterWindow))
                .isEqualTo(ReplayGuard.Outcome.FIRST_USE);
        assertThat(guard.size(afterWindow)).isEqualTo(1);
    }

    @Test
    void isBoundedAndExpiredEntriesMakeRoom() {
        ReplayGuard guard = new ReplayGuard(2);

        assertThat(guard.register("a", T0.plusSeconds(10), T0)).isEqualTo(ReplayGuard.Outcome.FIRST_USE);
        assertThat(guard.register("b", T0.plusSeconds(20), T0)).isEqualTo(ReplayGuard.Outcome.FIRST_USE);
        assertThat(guard.register("c", T0.plusSeconds(30), T0)).isEqualTo(ReplayGuard.Outcome.FULL);
        assertThat(guard.register("a", T0.plusSeconds(10), T0)).isEqualTo(ReplayGuard.Outcome.REPLAYED);

        // "a" expires first (entries are evicted by expiry, not by insertion order).
        assertThat(guard.register("c", T0.plusSeconds(30), T0.plusSeconds(11))).isEqualTo(ReplayGuard.Outcome.FIRST_USE);
        assertThat(guard.register("b", T0.plusSeconds(20), T0.plusSeconds(11))).isEqualTo(ReplayGuard.Outcome.REPLAYED);
        assertThat(guard.size(T0.plusSeconds(11))).isEqualTo(2);
    }

    @Test
    void evictsByExpiryEvenWhenInsertedOutOfOrder() {
        ReplayGuard guard = new ReplayGuard(10);
        guard.register("late", T0.plusSeconds(100), T0);
        guard.register("early", T0.plusSeconds(10), T0);

        assertThat(guard.size(T0.plusSeconds(50))).isEqualTo(1);
        assertThat(guard.register("late", T0.plusSeconds(100), T0.plusSeconds(50))).isEqualTo(ReplayGuard.Outcome.REPLAYED);
        assertThat(guard.register("early", T0.plusSeconds(60), T0.plusSeconds(50))).isEqualTo(ReplayGuard.Outcome.FIRST_USE);
    }

    @Test
    void somethingAlreadyExpiredIsNotStored() {
        ReplayGuard guard = new ReplayGuard(1);

        assertThat(guard.register("old", T0.minusSeconds(1), T0)).isEqualTo(ReplayGuard.Outcome.FIRST_USE);
        assertThat(guard.size(T0)).isZero();
    }

    @Test
    void onlyOneOfManyConcurrentUsesOfASignatureWins() throws Exception {
        ReplayGuard guard = new ReplayGuard(100_000);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<ReplayGuard.Outcome>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<List<ReplayGuard.Outcome>> task = () -> {
                    start.await();
                    List<ReplayGuard.Outcome> outcomes = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        outcomes.add(guard.register("shared-" + i, T0.plus(WINDOW), T0));
                        outcomes.add(guard.register("own-" + thread + "-" + i, T0.plus(WINDOW), T0));
                    }
                    return outcomes;
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<ReplayGuard.Outcome> all = new ArrayList<>();
            for (Future<List<ReplayGuard.Outcome>> f : futures) {
                all.addAll(f.get());
            }

            long first = all.stream().filter(o -> o == ReplayGuard.Outcome.FIRST_USE).count();
            long replayed = all.stream().filter(o -> o == ReplayGuard.Outcome.REPLAYED).count();
            assertThat(first).isEqualTo(500 + threads * 500L);
            assertThat(replayed).isEqualTo(500L * (threads - 1));
            assertThat(guard.size(T0)).isEqualTo(500 + threads * 500);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new ReplayGuard(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ReplayGuard()).hasToString("ReplayGuard[capacity=100000, entries=0]");
    }
}
