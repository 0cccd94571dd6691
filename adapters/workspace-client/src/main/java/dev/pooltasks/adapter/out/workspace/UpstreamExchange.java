package dev.pooltasks.adapter.out.workspace;

import io.netty.buffer.ByteBuf;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange with an upstream, owned from start to end: it sends a GET, reads the answer incrementally up to a
 * bound, and when the deadline passes first, the answer grows past the bound or the exchange fails, it closes the
 * exchange's connection itself, so that the upstream stops holding the request. HTTP/1.1 carries one request per
 * connection at a time, so the connection is the exchange.
 *
 * <p>{@link #answer()} completes with the whole answer, or fails with a {@link TimeoutException} at the deadline, an
 * {@link AnswerTooLargeException}, or the transport's exception. {@link #ended()} completes once the exchange holds
 * nothing at the upstream any more: the answer was read whole (the connection goes back to the pool, idle), the
 * connection is closed, or no connection was ever made. It never fails.
 */
final class UpstreamExchange {
    private static final Logger LOG = Logger.getLogger(UpstreamExchange.class);
    private static final Handler<Throwable> QUIET = e -> LOG.debugf("upstream connection: %s", e.getClass().getName());

    private final Vertx vertx;
    private final int maxAnswerBytes;
    private final CompletableFuture<UpstreamAnswer> answer = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private long deadlineTimer = -1;
    private HttpClientRequest request;
    private boolean closing;
    /** The answer read so far, bodyLength bytes of it (null before the first chunk); touched only by one event loop. */
    private byte[] body;
    private int bodyLength;

    private UpstreamExchange(Vertx vertx, int maxAnswerBytes) {
        this.vertx = vertx;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /**
     * Starts an exchange that must end by {@code deadlineNanos} ({@link System#nanoTime()} time).
     *
     * @param options where to send it: host, port, TLS; its method, URI, headers and timeouts are set here
     */
    static UpstreamExchange start(Vertx vertx, HttpClient client, RequestOptions options, UpstreamRequest request,
                                  int maxAnswerBytes, long deadlineNanos) {
        UpstreamExchange exchange = new UpstreamExchange(vertx, maxAnswerBytes);
        long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime() + 999_999);
        if (remainingMillis <= 0) {
            exchange.fail(new TimeoutException());
            exchange.ended.complete(null);
            return exchange;
        }
        try {
            RequestOptions sent = new RequestOptions(options).setMethod(HttpMethod.GET)
                    .setURI(request.pathAndQuery()).setConnectTimeout(remainingMillis);
            request.headers().forEach(sent::putHeader);
            exchange.armDeadline(remainingMillis);
            client.request(sent).onComplete(exchange::connected);
        } catch (RuntimeException e) {
            // An invalid header value, say: nothing was sent.
            exchange.fail(new NotSentException(e));
            exchange.ended.complete(null);
        }
        return exchange;
    }

    /** An exchange that never started: its request could not even be built. */
    static UpstreamExchange notSent(RuntimeException cause) {
        UpstreamExchange exchange = new UpstreamExchange(null, 0);
        exchange.fail(new NotSentException(cause));
        exchange.ended.complete(null);
        return exchange;
    }

    CompletableFuture<UpstreamAnswer> answer() {
        return answer;
    }

    CompletableFuture<Void> ended() {
        return ended;
    }

    private synchronized void armDeadline(long millis) {
        if (!answer.isDone()) {
            deadlineTimer = vertx.setTimer(millis, id -> fail(new TimeoutException()));
        }
    }

    private void connected(AsyncResult<HttpClientRequest> connection) {
        if (connection.failed()) {
            fail(connection.cause());
            ended.complete(null);
            return;
        }
        HttpClientRequest obtained = connection.result();
        // Transport errors reach the exchange through its request and response; the connection would also log each
        // one at ERROR (a reset upstream, say), which is the upstream's fault and counted in the metrics already.
        obtained.connection().exceptionHandler(QUIET);
        synchronized (this) {
            request = obtained;
        }
        if (answer.isDone()) {
            // The deadline passed while connecting: the connection is not needed any more.
            close(obtained);
            return;
        }
        obtained.send().onComplete(response -> {
            if (response.succeeded()) {
                read(response.result());
            } else {
                fail(response.cause());
            }
        });
    }

    private void read(HttpClientResponse response) {
        long declared = declaredLength(response.getHeader("Content-Length"));
        if (declared > maxAnswerBytes) {
            fail(new AnswerTooLargeException(maxAnswerBytes));
            return;
        }
        response.handler(chunk -> {
            if (answer.isDone()) {
                return;
            }
            if (bodyLength + chunk.length() > maxAnswerBytes) {
                fail(new AnswerTooLargeException(maxAnswerBytes));
            } else {
                append(chunk, declared);
            }
        });
        response.exceptionHandler(this::fail);
        response.endHandler(end -> succeed(new UpstreamAnswer(response.statusCode(), response.getHeader("Retry-After"),
                body == null ? new byte[0] : bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength),
                response.getHeader(SourcesBehind.MISSING_HEADER), response.getHeader(SourcesBehind.STALE_HEADER),
                response.getHeader(SourcesBehind.MIRROR_AGE_HEADER))));
    }

    /**
     * Adds a chunk to the body. A body that comes whole in its first chunk is that chunk's own array, not copied:
     * Vert.x hands each chunk over in a heap buffer of its own, sized to it, that nothing else holds (its copy out of
     * the connection's pooled buffer). Otherwise chunks are copied into a body sized by the Content-Length, which is
     * then the answer, uncopied.
     */
    private void append(Buffer chunk, long declared) {
        int length = chunk.length();
        if (body == null) {
            if (length == declared) {
                ByteBuf whole = chunk.getByteBuf();
                if (whole.hasArray() && whole.arrayOffset() == 0 && whole.array().length == length) {
                    body = whole.array();
                    bodyLength = length;
                    return;
                }
            }
            body = new byte[declared < 0 ? Math.max(1024, length) : (int) declared];
        }
        if (bodyLength + length > body.length) {
            body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + length));
        }
        chunk.getBytes(0, length, body, bodyLength);
        bodyLength += length;
    }

    /** The Content-Length, or -1 when absent or unreadable (then the body's own end decides). */
    private static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Math.max(-1, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void succeed(UpstreamAnswer whole) {
        if (answer.complete(whole)) {
            cancelDeadline();
            ended.complete(null);
        }
    }

    private void fail(Throwable failure) {
        if (answer.completeExceptionally(failure)) {
            cancelDeadline();
            HttpClientRequest obtained;
            synchronized (this) {
                obtained = request;
            }
            if (obtained != null) {
                close(obtained);
            }
            // Without a connection yet, connected() closes it when it comes, or ends the exchange when none does.
        }
    }

    private synchronized void cancelDeadline() {
        if (deadlineTimer != -1) {
            vertx.cancelTimer(deadlineTimer);
            deadlineTimer = -1;
        }
    }

    /** Closes the connection, once: the upstream sees the exchange end. Ended once the socket is closed. */
    private void close(HttpClientRequest obtained) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        obtained.connection().close().onComplete(closed -> ended.complete(null));
    }

    /** The request was never sent: it could not be built or handed to the client. */
    static final class NotSentException extends RuntimeException {
        NotSentException(RuntimeException cause) {
            super("request not sent", cause, false, false);
        }
    }
}
