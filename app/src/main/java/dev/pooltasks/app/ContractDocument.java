package dev.pooltasks.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Serves the contract file itself as the OpenAPI document at {@value #PATH} (also the path Swagger UI reads): YAML by
 * default, JSON for {@code ?format=json}, {@code Accept: application/json} or {@value #PATH}.json.
 *
 * <p>One part differs from the file: its {@code servers} entry. The file names {@code http://localhost:8080}, the
 * generated client's default; the served copy names {@value #SERVED_SERVER_URL}, which OpenAPI resolves against the
 * document's own address ({@code <root>/q/openapi}), so Swagger UI's "Try it out" calls the origin (and any path
 * prefix of a gateway) it loaded the document from: 127.0.0.1, another port, another host name.
 *
 * <p>This replaces the SmallRye OpenAPI extension, which parsed the document and wrote it out again as JSON and YAML
 * on every start (a step of about 0.5 s in a 3 s start on two vCPUs) to serve what here is a static file.
 */
@ApplicationScoped
public class ContractDocument {
    static final String PATH = "/q/openapi";
    /** Copied from api-spec by the build (app/pom.xml). */
    private static final String RESOURCE = "META-INF/openapi.yaml";
    private static final String YAML_TYPE = "application/yaml;charset=UTF-8";
    private static final String JSON_TYPE = "application/json;charset=UTF-8";
    /** The API root relative to {@value #PATH}: one level up from {@code q/}. */
    private static final String SERVED_SERVER_URL = "..";
    private static final String SERVED_SERVERS = """
            servers:
              - url: %s
                description: this pooltasks (relative to this document, so calls go where it was loaded from)
            """.formatted(SERVED_SERVER_URL);

    /** Read on the first request for the document, like the JSON form: startup should not pay for either. */
    private volatile byte[] yaml;
    /** Converted on the first request for it: the JSON form is rarely asked for. */
    private volatile byte[] json;

    void install(@Observes Router router) {
        router.get(PATH).handler(context -> serve(context, wantsJson(context.request())));
        router.get(PATH + ".json").handler(context -> serve(context, true));
        router.get(PATH + ".yaml").handler(context -> serve(context, false));
        router.get(PATH + ".yml").handler(context -> serve(context, false));
    }

    private void serve(RoutingContext context, boolean asJson) {
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, asJson ? JSON_TYPE : YAML_TYPE)
                .end(Buffer.buffer(asJson ? json() : yaml()));
    }

    private static boolean wantsJson(HttpServerRequest request) {
        String format = request.getParam("format");
        if (format != null) {
            return format.equalsIgnoreCase("json");
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("application/json");
    }

    private byte[] yaml() {
        byte[] served = yaml;
        if (served == null) {
            served = withServedServers(readContract());
            yaml = served;
        }
        return served;
    }

    private byte[] json() {
        byte[] converted = json;
        if (converted == null) {
            try {
                converted = new ObjectMapper().writeValueAsBytes(new ObjectMapper(new YAMLFactory()).readTree(yaml()));
            } catch (IOException e) {
                throw new UncheckedIOException("the contract is not valid YAML", e);
            }
            json = converted;
        }
        return converted;
    }

    /**
     * The contract with its top-level {@code servers} block replaced by {@link #SERVED_SERVERS}. Done on the text, not
     * by parsing and writing the YAML again, so that the served document keeps the file's layout and comments and
     * startup does not pay for a YAML parser.
     */
    private static byte[] withServedServers(byte[] contract) {
        List<String> lines = new String(contract, StandardCharsets.UTF_8).lines().toList();
        int start = lines.indexOf("servers:");
        if (start < 0) {
            throw new IllegalStateException("the contract has no top-level servers: block");
        }
        int end = start + 1;
        while (end < lines.size() && (lines.get(end).isEmpty() || lines.get(end).startsWith(" ")
                || lines.get(end).startsWith("-"))) {
            end++;
        }
        StringBuilder served = new StringBuilder(contract.length);
        lines.subList(0, start).forEach(line -> served.append(line).append('\n'));
        served.append(SERVED_SERVERS);
        lines.subList(end, lines.size()).forEach(line -> served.append(line).append('\n'));
        return served.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] readContract() {
        try (InputStream in = ContractDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
