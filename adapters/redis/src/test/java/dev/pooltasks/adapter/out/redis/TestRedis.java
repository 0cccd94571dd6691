package dev.pooltasks.adapter.out.redis;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The machine's Redis (127.0.0.1:6379, or {@code -Dpooltasks.test.redis.url}) for one test class: stores under a key
 * prefix of the class's own, a plain client to look at what they wrote, and {@link #close()} deletes every key under
 * the prefix (never anything else: the server is shared) and closes what was opened.
 */
final class TestRedis implements AutoCloseable {
    static final String URL = System.getProperty("pooltasks.test.redis.url", "redis://127.0.0.1:6379");

    final Vertx vertx = Vertx.vertx();
    final String url;
    final String prefix;
    private final Redis plain;
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
    private final boolean cleanUp;

    TestRedis(Class<?> testClass) {
        this(testClass, URL);
    }

    TestRedis(Class<?> testClass, String url) {
        this(testClass, url, true);
    }

    /** For an address where no Redis answers: stores to close, no keys to delete. */
    static TestRedis unreachable(Class<?> testClass, String url) {
        return new TestRedis(testClass, url, false);
    }

    private TestRedis(Class<?> testClass, String url, boolean cleanUp) {
        this.url = url;
        this.cleanUp = cleanUp;
        this.prefix = "pooltasks-test:" + testClass.getSimpleName() + ":" + UUID.randomUUID().toString().substring(0, 8);
        this.plain = Redis.createClient(vertx, url);
    }

    /** A store with a deadline generous enough for a loaded machine, as a replica of its own. */
    RedisStore store(Clock clock, RedisCallListener listener) {
        return store(settings(Duration.ofSeconds(2), 0), clock, listener);
    }

    RedisStore store(RedisSettings settings, Clock clock, RedisCallListener listener) {
        RedisStore store = new RedisStore(vertx, settings, clock, listener);
        opened.add(store);
        return store;
    }

    RedisSettings settings(Duration deadline, int replicas) {
        return new RedisSettings(url, prefix, deadline, 8, Duration.ofSeconds(2), replicas, Duration.ofSeconds(5));
    }

    /** Opens {@code store}'s circuit the way a failing Redis would: calls that Redis answers with an error. */
    void openCircuit(RedisStore store) {
        String notANumber = prefix + ":not-a-number";
        send(Request.cmd(Command.SET).arg(notANumber).arg("x").arg("PX").arg(60_000));
        for (int i = 0; i < 5 && !store.status().circuit().equals("OPEN"); i++) {
            store.call("incr", Request.cmd(Command.INCR).arg(notANumber)).handle((answer, failure) -> null).join();
        }
        if (!store.status().circuit().equals("OPEN")) {
            throw new IllegalStateException("the circuit did not open: " + store.status());
        }
    }

    /** A command on the plain client (no deadline, no breaker), for looking at and arranging what stores see. */
    Response send(Request request) {
        try {
            return plain.send(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("redis " + url + ": " + request.command() + " failed", e);
        }
    }

    /** Every key under this class's prefix. */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            Response page = send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + ":*")
                    .arg("COUNT").arg(1000));
            cursor = page.get(0).toString();
            page.get(1).forEach(key -> keys.add(key.toString()));
        } while (!cursor.equals("0"));
        return keys;
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : opened) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
        try {
            if (cleanUp) {
                for (String key : keys()) {
                    send(Request.cmd(Command.UNLINK).arg(key));
                }
            }
        } finally {
            plain.close();
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    /** {@link #awaitTrue(BooleanSupplier, String, Duration)} within 10 seconds. */
    static void awaitTrue(BooleanSupplier condition, String what) {
        awaitTrue(condition, what, Duration.ofSeconds(10));
    }

    /**
     * Waits until {@code condition} holds, failing as {@code what} after {@code within}: what the stores write after a
     * lookup answers, or what a background task changes, is seen this way.
     */
    static void awaitTrue(BooleanSupplier condition, String what, Duration within) {
        long giveUpAt = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(giveUpAt);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
