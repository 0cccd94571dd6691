package dev.pooltasks.adapter.out.workspace;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * One upstream's HTTP clients: one per event loop that calls it, and one shared by every other thread.
 *
 * <p>Why: a Vert.x client's connection pool lends any idle connection to any caller, and each connection lives on the
 * event loop that opened it. A call from another loop then hands the answer's head, each chunk, its end and the
 * completed call from one loop to the other, each a task queued and a thread woken. A loop's own client opens its
 * connections on that loop (the pool's default), so its calls never leave it. Vert.x has no pool per event loop.
 *
 * <p>Each pool is bounded by the bulkhead, which still bounds the calls in flight; so the upstream may see up to that
 * many connections per event loop, most of them idle, each closed after the keep-alive time without a call.
 */
final class EventLoopClients {
    private final HttpClient shared;
    private final ThreadLocal<HttpClient> perLoop;

    EventLoopClients(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
        this.shared = vertx.createHttpClient(options, pool);
        // Only event-loop threads, a fixed set, ever ask for their own (see current()).
        this.perLoop = ThreadLocal.withInitial(() -> vertx.createHttpClient(options, pool));
    }

    /** The client for a call made on the current thread. */
    HttpClient current() {
        return Context.isOnEventLoopThread() ? perLoop.get() : shared;
    }
}
