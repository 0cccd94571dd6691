package dev.pooltasks.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for the API on a free loopback port (the JDK's HttpServer): answers each request with what the test's
 * responder returns and records every request exactly as it arrived. A test class shares one as
 * {@code @RegisterExtension static final StubApi api = StubApi.start();}, stopped after its last test.
 */
final class StubApi implements AutoCloseable, AfterAllCallback {
    /**
     * A request as received.
     *
     * @param rawQuery null when there was none
     */
    record Request(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
        /** The first value of a header (case-insensitive). */
        Optional<String> header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /** Decoded query parameters, in the order sent. */
        Map<String, List<String>> query() {
            Map<String, List<String>> query = new LinkedHashMap<>();
            if (rawQuery == null) {
                return query;
            }
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                query.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        k -> new ArrayList<>()).add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return query;
        }

        String param(String name) {
            List<String> values = query().get(name);
            return values == null ? null : values.get(0);
        }
    }

    /** An answer: status, extra headers, body (JSON unless a Content-Type header says otherwise). */
    record Response(int status, Map<String, String> headers, String body) {
        static Response json(int status, String body) {
            return new Response(status, Map.of(), body);
        }

        /** The API's error shape. */
        static Response error(int status, String code, String message) {
            return json(status, "{\"error_code\":\"" + code + "\",\"error_msg\":\"" + message + "\"}");
        }

        Response withHeader(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Response(status, all, body);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Response> responder = request -> Response.json(200,
            "{\"total_count\":0,\"script_execution_tasks\":[]}");

    private StubApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static StubApi start() {
        try {
            return new StubApi();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** http://127.0.0.1:PORT */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void respond(Function<Request, Response> responder) {
        this.responder = responder;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    Request lastRequest() {
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers);
        requests.add(request);
        Response response = responder.apply(request);
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Request-Id", "stub-request-" + requests.size());
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
