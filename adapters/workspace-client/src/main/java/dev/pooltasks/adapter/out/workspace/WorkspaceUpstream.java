package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.api.server.V2Api;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.StatusFilter;
import dev.pooltasks.domain.query.TaskQuery;
import dev.pooltasks.domain.service.RateLimiter;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Answers task queries from one upstream that speaks this API, through the client generated from the contract.
 * Every call is guarded: a circuit breaker, a bulkhead (at most so many calls in flight), a rate limit, a total
 * deadline that also covers a slowly dribbled body, and at most one jittered retry for connection failures and
 * 502/503/504 when it still fits the deadline. 401/403 are neither retried nor held against the upstream; 429 is
 * never retried at once and pauses calls for its Retry-After.
 */
public final class WorkspaceUpstream implements LoadScriptExecutionTasksPort {
    private static final Logger LOG = Logger.getLogger(WorkspaceUpstream.class);
    private static final DateTimeFormatter WIRE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final UpstreamSettings settings;
    private final V2Api client;
    private final UpstreamTaskMapper mapper;
    private final LongSupplier nanoClock;
    private final CircuitBreaker circuit;
    private final RateLimiter rateLimiter;
    private final Semaphore bulkhead;
    private final UpstreamCallListener listener;

    public WorkspaceUpstream(UpstreamSettings settings, V2Api client, UpstreamCallListener listener) {
        this(settings, client, new UpstreamTaskMapperImpl(), System::nanoTime, listener);
    }

    WorkspaceUpstream(UpstreamSettings settings, V2Api client, UpstreamTaskMapper mapper, LongSupplier nanoClock,
                      UpstreamCallListener listener) {
        this.settings = settings;
        this.client = client;
        this.mapper = mapper;
        this.nanoClock = nanoClock;
        this.circuit = new CircuitBreaker(settings.circuitFailureThreshold(), settings.circuitOpenDuration(), nanoClock);
        this.rateLimiter = new RateLimiter(settings.requestsPerMinute(), nanoClock);
        this.bulkhead = new Semaphore(settings.maxConcurrentCalls());
        this.listener = listener;
    }

    public String name() {
        return settings.name();
    }

    public UpstreamSettings settings() {
        return settings;
    }

    /** Whether calls are let through: false while the circuit is open. */
    public boolean available() {
        return circuit.state() != CircuitBreaker.State.OPEN;
    }

    public String circuitState() {
        return circuit.state().name();
    }

    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        if (!circuit.tryAcquire()) {
            listener.rejected(name(), "circuit_open");
            return CompletableFuture.failedFuture(unavailable("circuit open"));
        }
        if (!bulkhead.tryAcquire()) {
            circuit.onNeutral();
            listener.rejected(name(), "bulkhead_full");
            return CompletableFuture.failedFuture(unavailable("too many calls in flight"));
        }
        long deadline = nanoClock.getAsLong() + settings.deadline().toNanos();
        CompletableFuture<TaskPage> result = attempt(query, caller, deadline, 1);
        result.whenComplete((page, failure) -> bulkhead.release());
        return result;
    }

    private CompletableFuture<TaskPage> attempt(TaskQuery query, Caller caller, long deadline, int attempt) {
        if (!rateLimiter.tryAcquire()) {
            circuit.onNeutral();
            listener.rejected(name(), "rate_limited");
            return CompletableFuture.failedFuture(
                    new TaskSourceThrottledException(name(), rateLimiter.secondsUntilAvailable()));
        }
        long started = nanoClock.getAsLong();
        CompletableFuture<TaskPage> call = send(query, caller);
        CompletableFuture<TaskPage> bounded = call.orTimeout(Math.max(0, deadline - started), TimeUnit.NANOSECONDS);
        return bounded.handle((page, failure) -> {
            long elapsed = nanoClock.getAsLong() - started;
            if (failure == null) {
                circuit.onSuccess();
                listener.completed(name(), "success", elapsed);
                return CompletableFuture.completedFuture(page);
            }
            call.cancel(true);
            Outcome outcome = classify(unwrap(failure));
            listener.completed(name(), outcome.metricName(), elapsed);
            if (outcome.healthy()) {
                circuit.onNeutral();
            } else {
                circuit.onFailure();
            }
            long backoff = jitteredBackoff();
            if (outcome.retryable() && attempt == 1 && settings.retry()
                    && nanoClock.getAsLong() + backoff < deadline) {
                Executor delayed = CompletableFuture.delayedExecutor(backoff, TimeUnit.NANOSECONDS);
                return CompletableFuture.supplyAsync(() -> null, delayed)
                        .thenCompose(ignored -> {
                            // The circuit may have opened meanwhile; a retry is a new call in its eyes.
                            return circuit.tryAcquire()
                                    ? attempt(query, caller, deadline, 2)
                                    : CompletableFuture.<TaskPage>failedFuture(unavailable("circuit open"));
                        });
            }
            return CompletableFuture.<TaskPage>failedFuture(outcome.toException(this));
        }).thenCompose(next -> next);
    }

    private CompletableFuture<TaskPage> send(TaskQuery query, Caller caller) {
        // A retry, or a federation's next block after a time-out, is sent from a pool or timer thread whose context
        // class loader may be an earlier application's (after a dev-mode restart, or in tests that restart Quarkus):
        // the client would then read the answer into that loader's classes. Send with this application's loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(WorkspaceUpstream.class.getClassLoader());
        try {
            return call(query, caller).toCompletableFuture().thenApply(mapper::toPage);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private CompletionStage<dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse> call(
            TaskQuery query, Caller caller) {
        String token = switch (settings.auth().mode()) {
            case TOKEN -> settings.auth().token();
            case PASS_THROUGH -> caller.token();
            case NONE, AKSK -> null;
        };
        return client.showDesktopPoolsScriptExecTasks(
                settings.upstreamProjectId(query.projectId()), token,
                query.desktopPoolId(), query.scriptId(), query.scriptName(),
                query.status() == null ? null : StatusFilter.documentedValue(query.status()),
                query.taskType() == null ? null : query.taskType().name(),
                lowerBound(query.executeTimeStart()), upperBound(query.executeTimeEnd()),
                query.taskIds().isEmpty() ? null : List.copyOf(query.taskIds()),
                query.offset(), query.limit());
    }

    /** Times on the wire have whole seconds: an inclusive lower bound rounds up, an upper bound down. */
    static String lowerBound(Instant time) {
        if (time == null) {
            return null;
        }
        Instant whole = time.getNano() == 0 ? time : Instant.ofEpochSecond(time.getEpochSecond() + 1);
        return WIRE_TIME.format(whole);
    }

    static String upperBound(Instant time) {
        return time == null ? null : WIRE_TIME.format(Instant.ofEpochSecond(time.getEpochSecond()));
    }

    private long jitteredBackoff() {
        long base = settings.retryBackoff().toNanos();
        return base <= 0 ? 0 : ThreadLocalRandom.current().nextLong(base / 2, base + base / 2 + 1);
    }

    private TaskSourceUnavailableException unavailable(String reason) {
        return new TaskSourceUnavailableException(name(), reason);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private Outcome classify(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return Outcome.failure("timeout", false, "no complete answer within " + settings.deadline().toMillis() + " ms");
        }
        if (failure instanceof MalformedUpstreamAnswerException) {
            return Outcome.failure("malformed", false, "malformed answer");
        }
        if (failure instanceof WebApplicationException web && web.getResponse() != null) {
            Response response = web.getResponse();
            int status = response.getStatus();
            if (status == 429) {
                long retryAfter = retryAfterSeconds(response);
                rateLimiter.pauseFor(retryAfter);
                return Outcome.rejected("throttled", status, body(response), retryAfter);
            }
            if (status >= 400 && status < 500) {
                return Outcome.rejected(status == 401 || status == 403 ? "unauthorized" : "client_error",
                        status, body(response), -1);
            }
            boolean retryable = status == 502 || status == 503 || status == 504;
            return Outcome.failure("http_" + status, retryable, "answered HTTP " + status);
        }
        if (hasCause(failure, com.fasterxml.jackson.core.JsonProcessingException.class)) {
            return Outcome.failure("malformed", false, "malformed answer");
        }
        if (hasCause(failure, java.io.IOException.class) || hasCauseNamed(failure, "io.vertx.core.http.HttpClosedException")) {
            LOG.debugf("upstream %s connection failure: %s", name(), failure.getClass().getName());
            return Outcome.failure("connection", true, "connection failed");
        }
        if (failure instanceof jakarta.ws.rs.ProcessingException) {
            // A complete answer the client could not read (an HTML page, say): not worth a retry.
            return Outcome.failure("malformed", false, "unreadable answer");
        }
        LOG.warnf("upstream %s call failed unexpectedly: %s", name(), failure.getClass().getName());
        return Outcome.failure("error", false, "call failed");
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCauseNamed(Throwable failure, String className) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getClass().getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    private static long retryAfterSeconds(Response response) {
        String value = response.getHeaderString("Retry-After");
        if (value != null) {
            try {
                return Math.max(1, Math.min(3600, Long.parseLong(value.trim())));
            } catch (NumberFormatException ignored) {
                // An HTTP-date or garbage: fall back to a short pause.
            }
        }
        return 1;
    }

    private static String body(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** How one attempt ended. */
    private record Outcome(String metricName, boolean healthy, boolean retryable, String reason,
                           int status, String body, long retryAfterSeconds) {
        static Outcome failure(String metricName, boolean retryable, String reason) {
            return new Outcome(metricName, false, retryable, reason, 0, null, -1);
        }

        static Outcome rejected(String metricName, int status, String body, long retryAfterSeconds) {
            return new Outcome(metricName, true, false, "answered HTTP " + status, status, body, retryAfterSeconds);
        }

        RuntimeException toException(WorkspaceUpstream upstream) {
            if (status > 0) {
                return new TaskSourceRejectedException(upstream.name(), status, body, retryAfterSeconds);
            }
            return upstream.unavailable(reason);
        }
    }
}
