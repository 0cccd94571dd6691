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

/**
 * Serves the contract file itself as the OpenAPI document at {@value #PATH} (also the path Swagger UI reads): YAML by
 * default, JSON for {@code ?format=json}, {@code Accept: application/json} or {@value #PATH}.json.
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

    private byte[] yaml;
    /** Converted on the first request for it: the JSON form is rarely asked for, and startup should not pay for it. */
    private volatile byte[] json;

    void install(@Observes Router router) {
        yaml = readContract();
        router.get(PATH).handler(context -> serve(context, wantsJson(context.request())));
        router.get(PATH + ".json").handler(context -> serve(context, true));
        router.get(PATH + ".yaml").handler(context -> serve(context, false));
        router.get(PATH + ".yml").handler(context -> serve(context, false));
    }

    private void serve(RoutingContext context, boolean asJson) {
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, asJson ? JSON_TYPE : YAML_TYPE)
                .end(Buffer.buffer(asJson ? json() : yaml));
    }

    private static boolean wantsJson(HttpServerRequest request) {
        String format = request.getParam("format");
        if (format != null) {
            return format.equalsIgnoreCase("json");
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("application/json");
    }

    private byte[] json() {
        byte[] converted = json;
        if (converted == null) {
            try {
                converted = new ObjectMapper().writeValueAsBytes(new ObjectMapper(new YAMLFactory()).readTree(yaml));
            } catch (IOException e) {
                throw new UncheckedIOException("the contract is not valid YAML", e);
            }
            json = converted;
        }
        return converted;
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
