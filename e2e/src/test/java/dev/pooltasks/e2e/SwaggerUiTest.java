package dev.pooltasks.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Swagger UI's "Try it out" in a real headless Chromium: opened at 127.0.0.1 on the instance's own (random) port,
 * and through a gateway that serves the instance under a path prefix on another port. Each time the page's request
 * must reach the address the page was loaded from and show the API's 200 and body.
 */
@PooltasksE2E
class SwaggerUiTest {
    private static final String OPERATION = "#operations-DesktopPoolScriptTasks-showDesktopPoolsScriptExecTasks";
    private static final String TASKS_PATH = "/v2/" + RunningPooltasks.PROJECT_ID
            + "/desktop-pools/script-execution-tasks/detail";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final Chromium chromium = Chromium.start();

    @Test
    void tryItOutCallsTheOriginTheUiWasOpenedAt(RunningPooltasks app) throws Exception {
        TriedOut result = tryItOut(app.baseUri() + "/q/swagger-ui/", 2);

        assertThat(result.requestUrl()).startsWith(app.baseUri() + TASKS_PATH + "?").contains("limit=2");
        assertThat(result.status()).isEqualTo("200");
        assertThat(result.body()).isEqualTo(directly(app, "?limit=2"));
        assertThat(result.body().path("script_execution_tasks")).hasSize(2);
    }

    @Test
    void tryItOutWorksThroughAGatewayThatServesTheInstanceUnderAPathPrefix(RunningPooltasks app) throws Exception {
        try (PrefixGateway gateway = PrefixGateway.start("/pooltasks", app.baseUri())) {
            TriedOut result = tryItOut(gateway.baseUri() + "/pooltasks/q/swagger-ui/", 3);

            assertThat(result.requestUrl()).startsWith(gateway.baseUri() + "/pooltasks" + TASKS_PATH + "?")
                    .contains("limit=3");
            assertThat(result.status()).isEqualTo("200");
            assertThat(result.body()).isEqualTo(directly(app, "?limit=3"));
            assertThat(gateway.forwarded()).as("the page's API call went through the gateway").isPositive();
        }
    }

    /** What the page shows after expanding the operation, "Try it out", filling in the project and limit, Execute. */
    private record TriedOut(String requestUrl, String status, JsonNode body) {
    }

    private static TriedOut tryItOut(String swaggerUi, int limit) throws IOException {
        WebDriver driver = chromium.driver();
        WebDriverWait wait = new WebDriverWait(driver, PATIENCE);
        driver.get(swaggerUi);

        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(OPERATION + " button.opblock-summary-control"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(OPERATION + " button.try-out__btn"))).click();
        fillIn(parameter(wait, "project_id"), RunningPooltasks.PROJECT_ID);
        // The UI fills filters in with the contract's examples; clear them for the plain first page.
        for (String filter : new String[] {"status", "task_type", "execute_time_start", "execute_time_end"}) {
            fillIn(parameter(wait, filter), "");
        }
        fillIn(parameter(wait, "limit"), String.valueOf(limit));
        driver.findElement(By.cssSelector(OPERATION + " button.execute")).click();

        WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector(OPERATION + " .live-responses-table tbody .response-col_status")));
        String requestUrl = driver.findElement(By.cssSelector(OPERATION + " .request-url pre")).getText().trim();
        String body = driver.findElement(By.cssSelector(OPERATION + " .live-responses-table tbody .response-col_description pre"))
                .getText();
        return new TriedOut(requestUrl, status.getText().trim(), new ObjectMapper().readTree(body));
    }

    /** Replaces the input's text by typing, as a user would (the UI reacts to key input, not to a set value). */
    private static void fillIn(WebElement input, String text) {
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        if (!text.isEmpty()) {
            input.sendKeys(text);
        }
    }

    private static WebElement parameter(WebDriverWait wait, String name) {
        return wait.until(ExpectedConditions.elementToBeClickable(
                By.cssSelector(OPERATION + " tr[data-param-name='" + name + "'] input")));
    }

    private static JsonNode directly(RunningPooltasks app, String query) throws Exception {
        HttpResponse<String> response = JdkHttp.client().send(
                HttpRequest.newBuilder(URI.create(app.baseUri() + TASKS_PATH + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    /**
     * A reverse proxy on its own loopback port that serves {@code target} under a path prefix (strips it on the way
     * in), as a gateway or an ingress with a path rule does. GET only, which is all the page uses.
     */
    private static final class PrefixGateway implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor;
        private final HttpClient client = JdkHttp.client();
        private final String prefix;
        private final String target;
        private final AtomicInteger forwardedApiCalls = new AtomicInteger();

        private PrefixGateway(HttpServer server, ExecutorService executor, String prefix, String target) {
            this.server = server;
            this.executor = executor;
            this.prefix = prefix;
            this.target = target;
        }

        static PrefixGateway start(String prefix, String target) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newFixedThreadPool(4);
            PrefixGateway gateway = new PrefixGateway(server, executor, prefix, target);
            server.createContext(prefix + "/", gateway::forward);
            server.setExecutor(executor);
            server.start();
            return gateway;
        }

        String baseUri() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int forwarded() {
            return forwardedApiCalls.get();
        }

        private void forward(HttpExchange exchange) throws IOException {
            try {
                URI uri = exchange.getRequestURI();
                String path = uri.getRawPath().substring(prefix.length());
                if (path.startsWith("/v2/")) {
                    forwardedApiCalls.incrementAndGet();
                }
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))).timeout(Duration.ofSeconds(30));
                String accept = exchange.getRequestHeaders().getFirst("Accept");
                if (accept != null) {
                    request.header("Accept", accept);
                }
                HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                response.headers().firstValue("Content-Type")
                        .ifPresent(type -> exchange.getResponseHeaders().add("Content-Type", type));
                byte[] body = response.body();
                exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
