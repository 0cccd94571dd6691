package dev.pooltasks.adapter.out.redis;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The connection to Redis that budgets and the cache tier share: Vert.x's Redis client (pooled connections, reconnecting
 * by itself), every call bounded by a deadline and guarded by a resilience4j circuit breaker, so that a Redis that is
 * slow or gone costs each request at most the deadline, and nothing at all while the circuit is open. Also says,
 * through a heartbeat, how many replicas share the state.
 *
 * <p>The client's connections live on a Vert.x of their own, with one event loop that does nothing but Redis I/O, and
 * each answer is handed back to the caller's context. On the application's event loops, which also serve HTTP, an
 * answer waited behind that work: under load in the bench (two replicas, two cores), 1 to 15 % of the calls missed
 * the 50 ms deadline and the circuit opened, sending lookups to the upstream; on a loop of their own, 0 to 2 %.
 *
 * <p>Why the Vert.x client and not the Quarkus Redis extension's default client: that client is configured by
 * {@code quarkus.redis.*} and created when the application starts, and the extension adds a readiness check that
 * reports DOWN while Redis is down. Here Redis is optional (created only when {@code pooltasks.redis.url} is set) and
 * its absence must leave the service ready, so the client is made here, only when asked for.
 */
public final class RedisStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RedisStore.class);
    /**
     * A connection that has read nothing for this long is closed (and the calls waiting on it fail): a Redis that
     * stopped answering without closing its connections would otherwise hold them, and the pool, for good.
     */
    private static final int READ_IDLE_SECONDS = 10;
    /** Calls that may wait for a pooled connection; beyond that a call fails at once (and counts against the circuit). */
    private static final int MAX_WAITING_PER_CONNECTION = 64;
    /** A replica counts as alive for this many heartbeats after its last one. */
    private static final int HEARTBEATS_ALIVE = 3;

    /**
     * KEYS[1]: the set of replicas, each scored by the time of its last heartbeat (milliseconds of Redis's clock).
     * ARGV[1]: this replica's id; ARGV[2]: how long a replica counts after its last heartbeat, in milliseconds.
     * Returns the number of replicas that count.
     */
    static final LuaScript HEARTBEAT = new LuaScript("heartbeat", """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local alive = tonumber(ARGV[2])
            redis.call('ZADD', KEYS[1], now, ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - alive)
            redis.call('PEXPIRE', KEYS[1], alive)
            return redis.call('ZCARD', KEYS[1])
            """);

    /** The application's Vert.x: timers, and the contexts answers are handed back to. */
    private final Vertx vertx;
    /** Redis I/O only: one event loop (see the class comment). */
    private final Vertx io;
    private final Redis redis;
    private final RedisSettings settings;
    private final RedisCallListener listener;
    private final CircuitBreaker breaker;
    private final long deadlineMillis;
    private final String replicaId = UUID.randomUUID().toString();
    private volatile int replicasSeen;
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private volatile boolean lastCallFailed;
    private long heartbeatTimer = -1;

    /**
     * What the replicas share and how: whether Redis answers, the circuit's state, the replicas seen, and the share
     * of each budget this replica takes while Redis is gone.
     *
     * @param shared          whether budgets and the cache tier are in Redis now (circuit closed, last call answered)
     * @param circuit         {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
     * @param replicasSeen    replicas whose heartbeat Redis holds (the last count read), 0 before the first
     * @param budgetShareOf   the number of replicas a budget is divided by while Redis is gone
     * @param lastFailure     what the last failed call met (timeout, connection refused, ...); null once the
     *                        circuit closes again after it opened, or if nothing failed
     */
    public record Status(boolean shared, String circuit, int replicasSeen, int budgetShareOf, String lastFailure) {
    }

    /**
     * Connects lazily: nothing is sent until the first call (or {@link #start()}).
     *
     * @param clock times the circuit's open duration (tests move it)
     */
    public RedisStore(Vertx vertx, RedisSettings settings, Clock clock, RedisCallListener listener) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.deadlineMillis = settings.deadline().toMillis();
        NetClientOptions net = new NetClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1000, deadlineMillis)))
                .setReadIdleTimeout(READ_IDLE_SECONDS)
                .setTcpNoDelay(true)
                .setTcpKeepAlive(true);
        RedisOptions options = new RedisOptions()
                .setConnectionString(settings.url())
                .setNetClientOptions(net)
                .setMaxPoolSize(settings.maxConnections())
                .setMaxPoolWaiting(settings.maxConnections() * MAX_WAITING_PER_CONNECTION)
                .setPoolName("pooltasks-redis");
        this.io = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        this.redis = Redis.createClient(io, options);
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(settings.openDuration())
                .permittedNumberOfCallsInHalfOpenState(2)
                .writableStackTraceEnabled(false)
                .clock(Objects.requireNonNull(clock, "clock"))
                .build();
        this.breaker = CircuitBreaker.of("redis", config);
        // One line when Redis starts failing and one when it is back, however many calls fail in between (each is
        // counted in the metrics); probes failing while it stays down are not news.
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.StateTransition transition = event.getStateTransition();
            if (transition.getFromState() == CircuitBreaker.State.CLOSED
                    && transition.getToState() == CircuitBreaker.State.OPEN) {
                LOG.warnf("redis %s: failing (%s); going on without it (budgets at this replica's share, the shared "
                        + "cache tier skipped) until it answers again", settings.endpoint(), lastFailure.get());
            } else if (transition.getToState() == CircuitBreaker.State.CLOSED) {
                lastFailure.set(null);
                LOG.infof("redis %s: answering again; budgets and cache are shared again", settings.endpoint());
            }
        });
    }

    /**
     * Starts the heartbeat (now, then every {@code heartbeat}) and loads the scripts budgets and the cache tier run;
     * returns at once (a Redis that is down is only logged).
     */
    public synchronized RedisStore start() {
        if (heartbeatTimer == -1) {
            heartbeat();
            heartbeatTimer = vertx.setPeriodic(settings.heartbeat().toMillis(), id -> heartbeat());
            for (LuaScript script : List.of(RedisRateBudget.TAKE, RedisRateBudget.PAUSE, SharedCopies.UNLOCK)) {
                call("script_load", Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source()))
                        .exceptionally(unavailable -> null);
            }
        }
        return this;
    }

    /** {@code <prefix>:<part>:<part>...}: every key this service writes, so that a deployment's keys stay together. */
    public String key(String... parts) {
        return settings.keyPrefix() + ":" + String.join(":", parts);
    }

    /** This replica's id (a random UUID), in the heartbeat set and in the lock keys it takes. */
    public String replicaId() {
        return replicaId;
    }

    /** How long a call may take. */
    public long deadlineMillis() {
        return deadlineMillis;
    }

    /** The number of replicas each budget is divided by while Redis is gone: configured, or as last seen, at least 1. */
    public int budgetShareOf() {
        return settings.replicas() > 0 ? settings.replicas() : Math.max(1, replicasSeen);
    }

    public Status status() {
        CircuitBreaker.State state = breaker.getState();
        return new Status(state == CircuitBreaker.State.CLOSED && !lastCallFailed, state.name(), replicasSeen,
                budgetShareOf(), lastFailure.get());
    }

    /**
     * Sends one command. The stage fails with {@link RedisUnavailableException} when the deadline passes first, the
     * call fails (connection refused or lost, an error answer), or the circuit is open (nothing is sent then).
     */
    public CompletableFuture<Response> call(String operation, Request request) {
        return send(operation, request, false, false);
    }

    /**
     * As {@link #call}, but sent even while the circuit is open (and then not counted by it): for a command that
     * releases what other replicas wait for, such as a lock this replica holds, whose loss would hold them up for the
     * lock's whole lifetime.
     */
    public CompletableFuture<Response> callEvenIfOpen(String operation, Request request) {
        return send(operation, request, false, true);
    }

    /**
     * Runs a script by its SHA-1 ({@code EVALSHA}); if Redis does not know it (restarted, or its scripts flushed), loads
     * it ({@code SCRIPT LOAD}) and runs it again. Failures as for {@link #call}.
     */
    public CompletableFuture<Response> eval(String operation, LuaScript script, List<String> keys, List<String> args) {
        return eval(operation, script, keys, args, false);
    }

    /** As {@link #eval}, but sent even while the circuit is open, as {@link #callEvenIfOpen}. */
    public CompletableFuture<Response> evalEvenIfOpen(String operation, LuaScript script, List<String> keys,
                                                      List<String> args) {
        return eval(operation, script, keys, args, true);
    }

    /**
     * Completes after {@code millis}, on a Vert.x timer. Not {@code CompletableFuture.delayedExecutor}: on a machine of
     * two CPUs or fewer its default executor starts a new thread for every task (the common pool has no parallelism).
     */
    public CompletableFuture<Void> after(long millis) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.setTimer(Math.max(1, millis), id -> done.complete(null));
        return done;
    }

    private CompletableFuture<Response> eval(String operation, LuaScript script, List<String> keys, List<String> args,
                                             boolean evenIfOpen) {
        return send(operation, evalsha(script, keys, args), true, evenIfOpen).exceptionallyCompose(failure -> {
            if (!(unwrap(failure) instanceof NoScriptException)) {
                return CompletableFuture.failedFuture(unwrap(failure));
            }
            LOG.debugf("redis: loading script %s", script.name());
            return send("script_load", Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source()), false, evenIfOpen)
                    .thenCompose(loaded -> send(operation, evalsha(script, keys, args), false, evenIfOpen));
        });
    }

    private static Request evalsha(LuaScript script, List<String> keys, List<String> args) {
        Request request = Request.cmd(Command.EVALSHA).arg(script.sha1()).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    /** {@code evenIfOpen}: sent whatever the circuit's state, and counted by it only if it let the call through. */
    private CompletableFuture<Response> send(String operation, Request request, boolean script, boolean evenIfOpen) {
        boolean permitted = breaker.tryAcquirePermission();
        if (!permitted && !evenIfOpen) {
            listener.called(operation, "rejected", 0);
            return CompletableFuture.failedFuture(new RedisUnavailableException("rejected", "circuit open", null));
        }
        long started = System.nanoTime();
        Context caller = Vertx.currentContext();
        CompletableFuture<Response> answer;
        try {
            answer = redis.send(request).toCompletionStage().toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Response> settled = answer.orTimeout(deadlineMillis, TimeUnit.MILLISECONDS)
                .handle((response, failure) -> settle(operation, script, permitted, started, response, failure));
        return caller == null ? settled : handedBack(settled, caller);
    }

    /** Counts how a call went (metrics, circuit, last failure); returns its answer, or throws what the caller sees. */
    private Response settle(String operation, boolean script, boolean permitted, long started, Response response,
                            Throwable failure) {
        long nanos = System.nanoTime() - started;
        if (failure == null || script && unwrap(failure) instanceof ErrorType error && error.is("NOSCRIPT")) {
            if (permitted) {
                breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
            }
            lastCallFailed = false;
            listener.called(operation, "success", nanos);
            if (failure != null) {
                throw new NoScriptException();
            }
            return response;
        }
        Throwable cause = unwrap(failure);
        String outcome = cause instanceof TimeoutException ? "timeout" : "error";
        String what = outcome.equals("timeout") ? "no answer within " + deadlineMillis + " ms" : describe(cause);
        lastFailure.set(what);
        lastCallFailed = true;
        if (permitted) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, cause);
        }
        LOG.debugf("redis %s: %s failed: %s; this request goes on without Redis", settings.endpoint(), operation,
                what);
        listener.called(operation, outcome, nanos);
        throw new RedisUnavailableException(outcome, operation + ": " + what, cause);
    }

    /** {@code settled}, completed on {@code caller}: what the caller does next is not the Redis I/O thread's work. */
    private static CompletableFuture<Response> handedBack(CompletableFuture<Response> settled, Context caller) {
        CompletableFuture<Response> back = new CompletableFuture<>();
        settled.whenComplete((response, failure) -> caller.runOnContext(ignored -> {
            if (failure != null) {
                back.completeExceptionally(failure);
            } else {
                back.complete(response);
            }
        }));
        return back;
    }

    private void heartbeat() {
        eval("heartbeat", HEARTBEAT, List.of(key("replicas")),
                List.of(replicaId, Long.toString(HEARTBEATS_ALIVE * settings.heartbeat().toMillis())))
                .thenAccept(count -> {
                    int seen = count.toInteger();
                    if (seen != replicasSeen) {
                        LOG.infof("redis %s: %d replica(s) share budgets and cache", settings.endpoint(), seen);
                    }
                    replicasSeen = seen;
                })
                .exceptionally(unavailable -> null);
    }

    /** Stops the heartbeat, leaves the set of replicas (if Redis answers at once) and closes the connections. */
    @Override
    public synchronized void close() {
        if (heartbeatTimer != -1) {
            vertx.cancelTimer(heartbeatTimer);
            heartbeatTimer = -1;
        }
        try {
            call("leave", Request.cmd(Command.ZREM).arg(key("replicas")).arg(replicaId))
                    .handle((done, failure) -> null).get(deadlineMillis * 2, TimeUnit.MILLISECONDS);
        } catch (Exception leaveFailed) {
            // Redis drops this replica from the count by itself, after three heartbeats.
        }
        redis.close();
        io.close();
    }

    /** Exception class and message only: an error answer never holds a secret, but a URL with a password might. */
    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        if (message != null && message.contains("@")) {
            message = null;
        }
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** What a stage failed with, out of the {@link CompletionException} a dependent stage wraps it in. */
    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Redis answered that it does not know the script: load it and try again. */
    private static final class NoScriptException extends RuntimeException {
        NoScriptException() {
            super("NOSCRIPT", null, false, false);
        }
    }
}
