package dev.pooltasks.adapter.out.workspace;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pooltasks.domain.port.out.RateBudget;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import java.net.URI;
import java.time.Clock;

/**
 * Connects upstreams: each gets Vert.x HTTP/1.1 clients of its own on the application's Vert.x (non-blocking, no
 * worker threads; one per event loop, see {@link EventLoopClients}), whose keep-alive connection pools are each no
 * larger than the upstream's bulkhead, with TLS verified against the JVM's default trust for {@code https} URLs; and a
 * circuit breaker in one registry, whose breakers the application may bind to its metrics.
 */
public final class UpstreamClients {
    /** Idle pooled connections are closed after this, before upstreams and load balancers drop them on their own. */
    private static final int KEEP_ALIVE_SECONDS = 30;
    /**
     * An answer's body is handed over in chunks of at most this; 64 KiB, Netty's largest read, so that a body that came
     * in one read comes in one chunk (Vert.x's default, 8 KiB, split a block of 100 tasks, about 38 KiB, in five).
     */
    private static final int MAX_CHUNK_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final AnswerParser parser;
    private final StatisticsAnswerParser statisticsParser;
    private final RateBudget budget;
    private final Clock clock;
    private final UpstreamCallListener listener;
    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();

    /**
     * @param json   the application's ObjectMapper, which reads every answer
     * @param budget rate budgets: bucket {@code upstream:<name>} per upstream, paused by its 429 Retry-After
     * @param clock  the application's clock: circuit open durations, AK/SK signing dates (deadlines are real timers)
     */
    public UpstreamClients(Vertx vertx, ObjectMapper json, RateBudget budget, Clock clock,
                           UpstreamCallListener listener) {
        this.vertx = vertx;
        this.parser = new AnswerParser(json);
        this.statisticsParser = new StatisticsAnswerParser(json);
        this.budget = budget;
        this.clock = clock;
        this.listener = listener;
    }

    public WorkspaceUpstream connect(UpstreamSettings settings) {
        URI base = settings.baseUri();
        boolean tls = "https".equalsIgnoreCase(base.getScheme());
        int port = base.getPort() != -1 ? base.getPort() : tls ? 443 : 80;
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setPipelining(false)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.deadline().toMillis()))
                .setSsl(tls)
                .setVerifyHost(true)
                .setDecompressionSupported(false)
                .setMaxChunkSize(MAX_CHUNK_BYTES)
                .setName("upstream-" + settings.name());
        EventLoopClients http = new EventLoopClients(vertx, options,
                new PoolOptions().setHttp1MaxSize(settings.maxConcurrentCalls()));
        String host = base.getHost().startsWith("[") ? base.getHost().substring(1, base.getHost().length() - 1)
                : base.getHost(); // an IPv6 literal without its brackets
        // The server's address made once here, not from host and port (an IP literal parsed again) on every request.
        RequestOptions destination = new RequestOptions().setHost(host).setPort(port).setSsl(tls)
                .setServer(SocketAddress.inetSocketAddress(port, host));
        UpstreamCircuit circuit = new UpstreamCircuit(settings.name(), settings.circuit(), clock, circuitBreakers);
        return new WorkspaceUpstream(settings, vertx, http, destination, new UpstreamRequest.Factory(settings, clock),
                parser, statisticsParser, circuit, budget, listener);
    }

    /** The circuit breakers of the upstreams connected so far, by upstream name (for resilience4j's metrics). */
    public CircuitBreakerRegistry circuitBreakers() {
        return circuitBreakers;
    }
}
