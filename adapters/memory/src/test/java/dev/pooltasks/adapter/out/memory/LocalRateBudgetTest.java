package dev.pooltasks.adapter.out.memory;

import dev.pooltasks.domain.port.out.RateBudget.Decision;
import dev.pooltasks.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRateBudgetTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    private final LocalRateBudget budget = new LocalRateBudget(clock);

    @Test
    void aFullBucketGrantsAMinutesWorthAtOnceThenRefusesWithTheTimeToTheNextToken() {
        for (int i = 0; i < 60; i++) {
            assertThat(budget.takeNow("upstream:east", 60).granted()).as("token %d", i).isTrue();
        }
        Decision refused = budget.takeNow("upstream:east", 60);
        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void tokensComeBackContinuouslyAtTheRate() {
        for (int i = 0; i < 6; i++) {
            budget.takeNow("b", 6);
        }
        assertThat(budget.takeNow("b", 6).granted()).isFalse();
        assertThat(budget.takeNow("b", 6).retryAfterSeconds()).isEqualTo(10);
        clock.advance(Duration.ofSeconds(9));
        assertThat(budget.takeNow("b", 6).granted()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(budget.takeNow("b", 6).granted()).isTrue();
        assertThat(budget.takeNow("b", 6).granted()).isFalse();
        clock.advance(Duration.ofMinutes(5));
        int granted = 0;
        while (budget.takeNow("b", 6).granted()) {
            granted++;
        }
        assertThat(granted).as("a bucket never holds more than a minute's worth").isEqualTo(6);
    }

    @Test
    void bucketsAreIndependentByName() {
        assertThat(budget.takeNow("caller:ak:A", 1).granted()).isTrue();
        assertThat(budget.takeNow("caller:ak:A", 1).granted()).isFalse();
        assertThat(budget.takeNow("caller:ak:B", 1).granted()).isTrue();
    }

    @Test
    void aPauseRefusesEvenWithTokensLeftUntilItEnds() {
        budget.pause("upstream:east", Duration.ofSeconds(30));
        Decision paused = budget.takeNow("upstream:east", 600);
        assertThat(paused.granted()).isFalse();
        assertThat(paused.retryAfterSeconds()).isEqualTo(30);
        clock.advance(Duration.ofSeconds(10));
        budget.pause("upstream:east", Duration.ofSeconds(5));
        assertThat(budget.takeNow("upstream:east", 600).retryAfterSeconds())
                .as("a shorter pause does not cut a longer one short").isEqualTo(20);
        clock.advance(Duration.ofSeconds(20));
        assertThat(budget.takeNow("upstream:east", 600).granted()).isTrue();
    }

    @Test
    void noLimitGrantsEverythingButStillHonoursPauses() {
        for (int i = 0; i < 10_000; i++) {
            assertThat(budget.takeNow("free", 0).granted()).isTrue();
        }
        budget.pause("free", Duration.ofMillis(1500));
        assertThat(budget.takeNow("free", 0)).isEqualTo(Decision.refused(2));
        clock.advance(Duration.ofMillis(1500));
        assertThat(budget.takeNow("free", 0).granted()).isTrue();
    }

    @Test
    void aNameFirstPausedThenLimitedKeepsItsPause() {
        budget.pause("late", Duration.ofSeconds(3));
        assertThat(budget.takeNow("late", 10).granted()).isFalse();
        clock.advance(Duration.ofSeconds(3));
        assertThat(budget.takeNow("late", 10).granted()).isTrue();
    }

    @Test
    void concurrentTakersNeverGetMoreThanTheBucketHolds() throws Exception {
        int threads = 8;
        AtomicInteger granted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 1000; i++) {
                    if (budget.takeNow("shared", 500).granted()) {
                        granted.incrementAndGet();
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertThat(granted.get()).isEqualTo(500);
    }

    @Test
    void theFutureFormAnswersAtOnce() {
        assertThat(budget.take("f", 1).toCompletableFuture().isDone()).isTrue();
        assertThat(budget.take("f", 1).toCompletableFuture().join().granted()).isFalse();
    }

    @Test
    void aNegativeRateIsAProgrammingError() {
        assertThatThrownBy(() -> budget.takeNow("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
