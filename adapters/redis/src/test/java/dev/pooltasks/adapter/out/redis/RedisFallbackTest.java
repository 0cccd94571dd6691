package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.port.out.PageCache.Copy;
import dev.pooltasks.domain.port.out.PageCache.Key;
import dev.pooltasks.domain.port.out.PageCache.Lookup;
import dev.pooltasks.domain.port.out.RateBudget.Decision;
import dev.pooltasks.testing.MutableClock;
import dev.pooltasks.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Redis that is not there (a closed port), that hangs (a socket that accepts and never answers), and that goes away
 * and comes back: every call ends within its deadline, budgets fall back to each replica's share, the cache tier steps
 * aside, the circuit opens so that later calls cost nothing, and sharing resumes by itself once Redis answers again.
 */
class RedisFallbackTest {
    /** How long a replica's status may take to follow Redis (heartbeats, the breaker). */
    private static final Duration STATUS_WITHIN = Duration.ofSeconds(30);
    private static final Duration DEADLINE = Duration.ofMillis(200);
    /** A guard against hanging tests: far above any deadline here, not a measure of speed. */
    private static final long GUARD_SECONDS = 10;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
    private final RecordedCalls calls = new RecordedCalls();
    private final CountingBudget fallback = new CountingBudget();

    @Test
    void withNothingListeningEachReplicaTakesItsShareAndTheCacheStepsAside() {
        try (TestRedis redis = TestRedis.unreachable(getClass(), "redis://127.0.0.1:" + RedisServerProcess.freePort())) {
            RedisStore store = redis.store(redis.settings(DEADLINE, 4), clock, calls);
            RedisRateBudget budget = new RedisRateBudget(store, fallback);

            int granted = 0;
            for (int i = 0; i < 40; i++) {
                if (take(budget, "upstream:east", 100).granted()) {
                    granted++;
                }
            }
            assertThat(granted).as("a quarter of 100 a minute: four replicas").isEqualTo(25);
            assertThat(fallback.asked).containsOnly("upstream:east 25");
            assertThat(take(budget, "caller:token:ops", 2)).as("at least one a minute").isEqualTo(Decision.GRANTED);
            assertThat(fallback.asked).contains("caller:token:ops 1");

            RedisPageCache cache = new RedisPageCache(store, Duration.ofSeconds(3), Duration.ZERO, Duration.ofSeconds(3),
                    clock);
            Key key = TestPages.key("east", 0, 10, null);
            Copy copy = new Copy(TestPages.page(1, 10), clock.millis());
            assertThat(cache.get(key, k -> CompletableFuture.completedFuture(copy)).toCompletableFuture()
                    .orTimeout(GUARD_SECONDS, TimeUnit.SECONDS).join()).isEqualTo(new Lookup(copy, false));
            assertThatThrownBy(() -> cache.lastCopy(key).toCompletableFuture().get(GUARD_SECONDS, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(RedisUnavailableException.class);

            RedisStore.Status status = store.status();
            assertThat(status.shared()).isFalse();
            assertThat(status.circuit()).isEqualTo("OPEN");
            assertThat(status.budgetShareOf()).isEqualTo(4);
            assertThat(status.lastFailure()).isNotBlank();
            assertThat(calls.calls).contains("budget_take error", "budget_take rejected");
        }
    }

    @Test
    void aRedisThatNeverAnswersCostsADeadlineUntilTheCircuitOpensThenNothing() throws Exception {
        try (SilentServer silent = new SilentServer();
             TestRedis redis = TestRedis.unreachable(getClass(), "redis://127.0.0.1:" + silent.port())) {
            RedisStore store = redis.store(redis.settings(DEADLINE, 2), clock, calls);
            RedisRateBudget budget = new RedisRateBudget(store, fallback);

            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                assertThat(take(budget, "upstream:east", 120)).isEqualTo(Decision.GRANTED);
                assertThat(System.nanoTime() - started).as("each call ends at its deadline, not later than the guard")
                        .isLessThan(TimeUnit.SECONDS.toNanos(GUARD_SECONDS));
            }
            assertThat(calls.count("budget_take timeout")).isEqualTo(5);
            assertThat(store.status().circuit()).isEqualTo("OPEN");

            int callsBefore = calls.calls.size();
            for (int i = 0; i < 100; i++) {
                take(budget, "upstream:east", 120);
            }
            assertThat(calls.calls.subList(callsBefore, calls.calls.size())).as("while open nothing is sent")
                    .containsOnly("budget_take rejected");
            assertThat(fallback.asked).containsOnly("upstream:east 60");
            assertThat(silent.connections()).as("the client did connect").isPositive();
        }
    }

    @Test
    void sharingStopsWhenRedisGoesAndResumesByItselfWhenItComesBack() {
        try (RedisServerProcess server = new RedisServerProcess();
             TestRedis redis = new TestRedis(getClass(), server.url())) {
            RedisSettings settings = new RedisSettings(server.url(), redis.prefix, Duration.ofSeconds(2), 4,
                    Duration.ofSeconds(5), 0, Duration.ofMillis(200));
            RedisStore a = redis.store(settings, clock, calls).start();
            RedisStore b = redis.store(settings, clock, RedisCallListener.NONE).start();
            TestRedis.awaitTrue(() -> a.status().replicasSeen() == 2 && b.status().replicasSeen() == 2,
                    "both replicas seen", STATUS_WITHIN);
            RedisRateBudget budget = new RedisRateBudget(a, fallback);
            assertThat(take(budget, "upstream:east", 100)).isEqualTo(Decision.GRANTED);
            assertThat(fallback.asked).as("shared: Redis decided").isEmpty();
            assertThat(a.status().shared()).isTrue();

            server.stop();
            for (int i = 0; i < 10; i++) {
                assertThat(take(budget, "upstream:east", 100)).isEqualTo(Decision.GRANTED);
            }
            assertThat(fallback.asked).as("each of the two replicas seen takes half").contains("upstream:east 50");
            TestRedis.awaitTrue(() -> a.status().circuit().equals("OPEN"), "circuit open", STATUS_WITHIN);
            assertThat(a.status().shared()).isFalse();
            assertThat(a.status().replicasSeen()).as("the last count seen is kept").isEqualTo(2);

            server.start();
            clock.advance(Duration.ofSeconds(6)); // past the open duration: the next calls probe Redis
            TestRedis.awaitTrue(() -> a.status().shared(), "shared again, without a restart", STATUS_WITHIN);
            int fallbacksBefore = fallback.asked.size();
            assertThat(take(budget, "upstream:east", 100)).isEqualTo(Decision.GRANTED);
            assertThat(fallback.asked).as("Redis decides again").hasSize(fallbacksBefore);
            assertThat(calls.calls).contains("budget_take success");

            b.close();
            TestRedis.awaitTrue(() -> a.status().replicasSeen() == 1, "a replica that left is no longer counted",
                    STATUS_WITHIN);
        }
    }

    private static Decision take(RedisRateBudget budget, String name, int perMinute) {
        return budget.take(name, perMinute).toCompletableFuture().orTimeout(GUARD_SECONDS, TimeUnit.SECONDS).join();
    }


    /** Accepts connections and never answers on them: a Redis that hangs. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentServer() {
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        accepted.add(socket.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-redis");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return accepted.size();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
