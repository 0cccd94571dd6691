package dev.pooltasks.adapter.out.workspace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.pooltasks.domain.model.Caller;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;
import dev.pooltasks.domain.port.out.LoadScriptExecutionTasksPort;
import dev.pooltasks.domain.port.out.LoadTaskStatisticsPort;
import dev.pooltasks.domain.port.out.RateBudget;
import dev.pooltasks.domain.port.out.TaskSourceRejectedException;
import dev.pooltasks.domain.port.out.TaskSourceThrottledException;
import dev.pooltasks.domain.port.out.TaskSourceUnavailableException;
import dev.pooltasks.domain.query.StatisticsQuery;
import dev.pooltasks.domain.query.TaskQuery;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Answers task queries from one upstream that speaks this API, over its own Vert.x HTTP client. Every call is guarded:
 * a circuit breaker, a bulkhead (at most so many calls in flight; a slot is free again only once the upstream holds
 * nothing of the call), a rate budget, a total deadline that also covers a slowly dribbled body and ends the exchange
 * itself, a bound on the answer's size, and at most one jittered retry for connection failures and 502/503/504 when
 * it still fits the deadline. 401/403 are neither retried nor held against the upstream: passed on when the caller's
 * own token was (pass-through), otherwise a refusal of this gateway's configured credentials, which the caller did
 * not give and cannot fix, so the upstream is unavailable to it. 429 is never retried at once and pauses calls for its
 * Retry-After.
 *
 * <p>It also asks for statistics (the pooltasks extension), through the same guards; only an upstream that is itself a
 * pooltasks serves them, and only such a one is asked (the application decides, from the upstream's settings).
 */
public final class WorkspaceUpstream implements LoadScriptExecutionTasksPort, LoadTaskStatisticsPort {
    private static final Logger LOG = Logger.getLogger(WorkspaceUpstream.class);
    private static final ObjectReader ERROR_READER = new ObjectMapper().reader();

    private final UpstreamSettings settings;
    private final Vertx vertx;
    private final EventLoopClients http;
    private final RequestOptions destination;
    private final UpstreamRequest.Factory requests;
    private final AnswerParser parser;
    private final StatisticsAnswerParser statisticsParser;
    private final UpstreamCircuit circuit;
    private final Semaphore bulkhead;
    private final RateBudget budget;
    private final String budgetName;
    private final UpstreamCallListener listener;
    /** A refusal of this gateway's credentials lasts until someone fixes them: warned once a minute, not per call. */
    private final RepeatedWarning credentialsRefused = new RepeatedWarning(Duration.ofMinutes(1), System::nanoTime);

    WorkspaceUpstream(UpstreamSettings settings, Vertx vertx, EventLoopClients http, RequestOptions destination,
                      UpstreamRequest.Factory requests, AnswerParser parser, StatisticsAnswerParser statisticsParser,
                      UpstreamCircuit circuit, RateBudget budget, UpstreamCallListener listener) {
        this.settings = settings;
        this.vertx = vertx;
        this.http = http;
        this.destination = destination;
        this.requests = requests;
        this.parser = parser;
        this.statisticsParser = statisticsParser;
        this.circuit = circuit;
        this.bulkhead = new Semaphore(settings.maxConcurrentCalls());
        this.budget = budget;
        this.budgetName = "upstream:" + settings.name();
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

    /** CLOSED, HALF_OPEN (also: open, but its open duration has passed) or OPEN. */
    public String circuitState() {
        return circuit.state().name();
    }

    /**
     * The page the upstream answered; when it sent the very bytes this service would answer for that page, the page
     * carries them ({@link TaskPage#knownBody()}), to be forwarded instead of written again.
     */
    @Override
    public CompletionStage<TaskPage> loadTasks(TaskQuery query, Caller caller) {
        return call(() -> requests.build(query, caller),
                answer -> answer.behind(name()).applyTo(parser.parse(answer.body())));
    }

    /** The statistics the upstream answered: it must be a pooltasks, which serves them (Workspace does not). */
    @Override
    public CompletionStage<TaskStatistics> loadStatistics(StatisticsQuery query, Caller caller) {
        return call(() -> requests.statistics(query, caller),
                answer -> answer.behind(name()).applyTo(statisticsParser.parse(answer.body(), query)));
    }

    /**
     * One guarded call: {@code request} is made for each exchange (a retry is signed anew), {@code read} turns a 2xx
     * answer into the result or throws {@link MalformedUpstreamAnswerException}.
     */
    private <T> CompletionStage<T> call(Supplier<UpstreamRequest> request, Function<UpstreamAnswer, T> read) {
        UpstreamCircuit.Permit permit = circuit.tryAcquire();
        if (permit == null) {
            listener.rejected(name(), "circuit_open");
            return CompletableFuture.failedFuture(unavailable("circuit open"));
        }
        if (!bulkhead.tryAcquire()) {
            circuit.release(permit);
            listener.rejected(name(), "bulkhead_full");
            return CompletableFuture.failedFuture(unavailable("too many calls in flight"));
        }
        Call<T> call = new Call<>(request, read, System.nanoTime() + settings.deadline().toNanos());
        CompletableFuture<T> result = new CompletableFuture<>();
        // The slot is free once the upstream holds nothing of the call (a timed-out exchange's connection is closed
        // within moments of the deadline), and before the caller hears the outcome: a caller that calls again at
        // once finds its slot back.
        attempt(call, permit, 1).whenComplete((answer, failure) -> call.exchangesEnded().whenComplete((done, never) -> {
            bulkhead.release();
            if (failure == null) {
                result.complete(answer);
            } else {
                result.completeExceptionally(unwrap(failure));
            }
        }));
        return result;
    }

    private <T> CompletableFuture<T> attempt(Call<T> call, UpstreamCircuit.Permit permit, int attempt) {
        CompletableFuture<RateBudget.Decision> token;
        try {
            token = budget.take(budgetName, settings.requestsPerMinute()).toCompletableFuture();
        } catch (RuntimeException e) {
            token = CompletableFuture.failedFuture(e);
        }
        return token
                .handle((decision, failure) -> {
                    if (failure == null && decision.granted()) {
                        return exchange(call, permit, attempt);
                    }
                    circuit.release(permit);
                    if (failure != null) {
                        LOG.warnf("upstream %s: rate budget unavailable: %s", name(),
                                unwrap(failure).getClass().getName());
                        return CompletableFuture.<T>failedFuture(unavailable("rate budget unavailable"));
                    }
                    listener.rejected(name(), "rate_limited");
                    return CompletableFuture.<T>failedFuture(
                            new TaskSourceThrottledException(name(), decision.retryAfterSeconds()));
                })
                .thenCompose(Function.identity());
    }

    private <T> CompletableFuture<T> exchange(Call<T> call, UpstreamCircuit.Permit permit, int attempt) {
        long started = System.nanoTime();
        UpstreamExchange exchange;
        try {
            exchange = UpstreamExchange.start(vertx, http.current(), destination,
                    call.request().get(), settings.maxAnswerBytes(), call.deadline());
        } catch (RuntimeException e) {
            exchange = UpstreamExchange.notSent(e);
        }
        call.add(exchange.ended());
        return exchange.answer().handle((answer, failure) -> {
            long elapsed = System.nanoTime() - started;
            Outcome outcome;
            if (failure != null) {
                outcome = classify(unwrap(failure));
            } else if (answer.status() / 100 == 2) {
                try {
                    T read = call.read().apply(answer);
                    circuit.succeeded(permit, elapsed);
                    listener.completed(name(), "success", elapsed);
                    return CompletableFuture.completedFuture(read);
                } catch (MalformedUpstreamAnswerException e) {
                    outcome = Outcome.failure("malformed", false, "malformed answer");
                }
            } else {
                outcome = classify(answer);
            }
            listener.completed(name(), outcome.metricName(), elapsed);
            RuntimeException exception = outcome.toException(this);
            if (outcome.neutral()) {
                circuit.neutral(permit, elapsed);
            } else {
                circuit.failed(permit, elapsed, exception);
            }
            long backoff = jitteredBackoff();
            boolean fits = System.nanoTime() + backoff < call.deadline();
            if (outcome.retryable() && attempt == 1 && settings.retry() && fits) {
                return retry(call, backoff);
            }
            return CompletableFuture.<T>failedFuture(exception);
        }).thenCompose(Function.identity());
    }

    /**
     * Retries after the backoff, once the first exchange has ended (the call's one bulkhead slot covers one
     * connection at a time). The retry is a new call in the circuit's eyes: the circuit may have opened meanwhile.
     */
    private <T> CompletableFuture<T> retry(Call<T> call, long backoffNanos) {
        CompletableFuture<Void> backoff = new CompletableFuture<>();
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(backoffNanos)), timer -> backoff.complete(null));
        return backoff.thenCombine(call.exchangesEnded(), (waited, ended) -> ended).thenCompose(ready -> {
            UpstreamCircuit.Permit permit = circuit.tryAcquire();
            if (permit == null) {
                listener.rejected(name(), "circuit_open");
                return CompletableFuture.failedFuture(unavailable("circuit open"));
            }
            return attempt(call, permit, 2);
        });
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
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** An exchange that ended without a complete answer. */
    private Outcome classify(Throwable failure) {
        if (failure instanceof TimeoutException) {
            return Outcome.failure("timeout", false, "no complete answer within " + settings.deadline().toMillis() + " ms");
        }
        if (failure instanceof AnswerTooLargeException tooLarge) {
            return Outcome.failure("too_large", false, tooLarge.getMessage());
        }
        if (failure instanceof UpstreamExchange.NotSentException notSent) {
            LOG.warnf("upstream %s: request could not be sent: %s", name(), notSent.getCause().getClass().getName());
            return Outcome.failure("error", false, "request could not be sent");
        }
        // Whatever else the transport reports (refused, reset, closed, TLS, garbage on the wire) is the connection's
        // failure; exception types and messages vary by fault and are not worth telling apart.
        LOG.debugf("upstream %s connection failure: %s", name(), failure.getClass().getName());
        return Outcome.failure("connection", true, "connection failed");
    }

    /** A complete answer whose status is not 2xx. */
    private Outcome classify(UpstreamAnswer answer) {
        int status = answer.status();
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        if (status == 429) {
            long retryAfter = retryAfterSeconds(answer.retryAfter());
            budget.pause(budgetName, Duration.ofSeconds(retryAfter));
            return Outcome.rejected("throttled", status, body, retryAfter);
        }
        boolean unauthorized = status == 401 || status == 403;
        if (unauthorized && settings.auth().mode() != OutboundAuth.Mode.PASS_THROUGH) {
            String reason = "answered HTTP " + status + errorCodeOf(answer.body())
                    + " to this gateway's own credentials (auth mode "
                    + settings.auth().mode().name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + "): check pooltasks.upstreams." + name() + ".auth";
            String warning = credentialsRefused.occurred("upstream " + name() + " " + reason);
            if (warning != null) {
                LOG.warn(warning);
            }
            return Outcome.credentialsRefused(reason);
        }
        if (status >= 400 && status < 500) {
            return Outcome.rejected(unauthorized ? "unauthorized" : "client_error", status, body, -1);
        }
        boolean retryable = status == 502 || status == 503 || status == 504;
        return Outcome.failure("http_" + status, retryable, "answered HTTP " + status);
    }

    /**
     * " (CODE)" for the error code of an answer in the API's error shape, "" otherwise. Only the code: the message
     * may name this gateway's access key, and the caller is not to learn it.
     */
    private static String errorCodeOf(byte[] body) {
        try {
            String code = ERROR_READER.readTree(body).path("error_code").asText("");
            return code.matches("[A-Za-z0-9._-]{1,40}") ? " (" + code + ")" : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static long retryAfterSeconds(String value) {
        if (value != null) {
            try {
                return Math.max(1, Math.min(3600, Long.parseLong(value.trim())));
            } catch (NumberFormatException ignored) {
                // An HTTP-date or garbage: fall back to a short pause.
            }
        }
        return 1;
    }

    /**
     * One call: how its request is made and its answer read, its deadline, and the exchanges it started (at most two:
     * the retry).
     */
    private static final class Call<T> {
        private final Supplier<UpstreamRequest> request;
        private final Function<UpstreamAnswer, T> read;
        private final long deadline;
        private CompletableFuture<Void> exchangesEnded = CompletableFuture.completedFuture(null);

        Call(Supplier<UpstreamRequest> request, Function<UpstreamAnswer, T> read, long deadline) {
            this.request = request;
            this.read = read;
            this.deadline = deadline;
        }

        Supplier<UpstreamRequest> request() {
            return request;
        }

        Function<UpstreamAnswer, T> read() {
            return read;
        }

        long deadline() {
            return deadline;
        }

        synchronized void add(CompletableFuture<Void> ended) {
            exchangesEnded = CompletableFuture.allOf(exchangesEnded, ended);
        }

        synchronized CompletableFuture<Void> exchangesEnded() {
            return exchangesEnded;
        }
    }

    /**
     * How one attempt ended, when it did not succeed: {@code neutral} when the upstream answered on its own account
     * (not held against its circuit), {@code status} when that answer is passed on to the caller.
     */
    private record Outcome(String metricName, boolean retryable, boolean neutral, String reason, int status,
                           String body, long retryAfterSeconds) {
        static Outcome failure(String metricName, boolean retryable, String reason) {
            return new Outcome(metricName, retryable, false, reason, 0, null, -1);
        }

        /** The upstream's own 4xx: passed on as it is, not held against the upstream. */
        static Outcome rejected(String metricName, int status, String body, long retryAfterSeconds) {
            return new Outcome(metricName, false, true, "answered HTTP " + status, status, body, retryAfterSeconds);
        }

        /** A 401/403 to this gateway's own credentials: the upstream is unavailable, but not held against it. */
        static Outcome credentialsRefused(String reason) {
            return new Outcome("credentials_refused", false, true, reason, 0, null, -1);
        }

        RuntimeException toException(WorkspaceUpstream upstream) {
            if (status > 0) {
                return new TaskSourceRejectedException(upstream.name(), status, body, retryAfterSeconds);
            }
            return upstream.unavailable(reason);
        }
    }
}
