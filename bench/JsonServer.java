import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The naive Java hop, the floor a Java gateway should beat (bench/run.sh, target R): the JDK's HttpServer on a fixed
 * thread pool; mode {@code proxy} forwards the request's path and query to an upstream with a blocking
 * java.net.http.HttpClient call, mode {@code static} answers every request with one file. Loopback only.
 *
 * <p>Usage: {@code java [-Dthreads=32] JsonServer.java PORT proxy BASE_URL} or {@code ... PORT static FILE}
 */
public class JsonServer {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(Integer.getInteger("threads", 32)));
        if (args[1].equals("static")) {
            byte[] body = Files.readAllBytes(Path.of(args[2]));
            server.createContext("/", exchange -> reply(exchange, 200, body));
        } else {
            String base = args[2];
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            server.createContext("/", exchange -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base + exchange.getRequestURI()))
                        .timeout(Duration.ofSeconds(5)).GET().build();
                try {
                    HttpResponse<byte[]> answer = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    reply(exchange, answer.statusCode(), answer.body());
                } catch (IOException | InterruptedException e) {
                    reply(exchange, 502, ("{\"error_code\":\"BENCH.502\",\"error_msg\":\"" + e.getClass().getSimpleName()
                            + "\"}").getBytes(StandardCharsets.UTF_8));
                }
            });
        }
        server.start();
        System.out.println("JsonServer " + args[1] + " listening on 127.0.0.1:" + port);
    }

    static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
