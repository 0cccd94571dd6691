package dev.pooltasks.adapter.in.rest;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real Vert.x router on a free loopback port with this adapter's {@link InboundGate} installed as the application
 * installs it (request ids, request limits, the access log, failures in the error shape), the server's own limits set
 * as in application.properties, and the routes a test adds.
 */
final class TestRouter implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    TestRouter(Consumer<Router> routes) {
        this(InboundObserver.NONE, routes);
    }

    /** With the access log's requests reported to {@code observer} (and not logged). */
    TestRouter(InboundObserver observer, Consumer<Router> routes) {
        Router router = Router.router(vertx);
        new InboundGate(new AccessLog(() -> observer, () -> new AccessLog.Settings(false))).install(router);
        routes.accept(router);
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setMaxInitialLineLength(40960).setMaxHeaderSize(64 * 1024);
        try {
            server = vertx.createHttpServer(options).requestHandler(router).listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("test server did not start", e);
        }
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
