package dev.pooltasks.adapter.out.redis;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's own means, on the machine's Redis: answers handed back to the caller's event loop (Redis I/O has one of
 * its own), calls past an open circuit, and pauses on Vert.x timers.
 */
class RedisStoreTest {
    private static TestRedis redis;

    @BeforeAll
    static void connect() {
        redis = new TestRedis(RedisStoreTest.class);
    }

    @AfterAll
    static void cleanUp() {
        redis.close();
    }

    @Test
    void anAnswerIsHandedBackToTheCallersEventLoop() {
        RedisStore store = redis.store(Clock.systemUTC(), RedisCallListener.NONE);
        CompletableFuture<Thread> caller = new CompletableFuture<>();
        CompletableFuture<Thread> completer = new CompletableFuture<>();
        CompletableFuture<String> answered = new CompletableFuture<>();
        redis.vertx.getOrCreateContext().runOnContext(ignored -> {
            caller.complete(Thread.currentThread());
            store.call("ping", Request.cmd(Command.PING)).whenComplete((answer, failure) -> {
                completer.complete(Thread.currentThread());
                answered.complete(String.valueOf(answer));
            });
        });
        // Threads, not names: both Vert.x instances name their event loops alike.
        assertThat(completer.orTimeout(10, TimeUnit.SECONDS).join()).isSameAs(caller.join());
        assertThat(answered.join()).isEqualTo("PONG");
    }

    @Test
    void whileTheCircuitIsOpenOnlyCallsMeantToPassItAreSentAndTheyLeaveItOpen() {
        RedisStore store = redis.store(Clock.systemUTC(), RedisCallListener.NONE);
        redis.openCircuit(store);
        String key = redis.prefix + ":released";
        Request set = Request.cmd(Command.SET).arg(key).arg("1").arg("PX").arg(60_000);

        assertThatThrownBy(() -> store.call("set", set).join()).hasCauseInstanceOf(RedisUnavailableException.class);
        assertThat(redis.send(Request.cmd(Command.EXISTS).arg(key)).toInteger()).as("not sent").isZero();

        assertThat(store.callEvenIfOpen("set", set).orTimeout(10, TimeUnit.SECONDS).join()).hasToString("OK");
        assertThat(redis.send(Request.cmd(Command.EXISTS).arg(key)).toInteger()).as("sent").isOne();
        assertThat(store.evalEvenIfOpen("unlock", SharedCopies.UNLOCK, List.of(key), List.of("1"))
                .orTimeout(10, TimeUnit.SECONDS).join().toInteger()).as("a script too").isOne();
        assertThat(store.status().circuit()).isEqualTo("OPEN");
    }

    @Test
    void aPauseEndsOnAVertxTimerNotOnAThreadOfItsOwn() {
        RedisStore store = redis.store(Clock.systemUTC(), RedisCallListener.NONE);
        long started = System.nanoTime();
        String thread = store.after(30).thenApply(done -> Thread.currentThread().getName())
                .orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
        assertThat(thread).startsWith("vert.x-eventloop-thread");
    }
}
