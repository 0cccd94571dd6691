package bench.q;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * QA only (-Pqa): target A's answers (the bytes pooltasks answered, one file per window, in the directory
 * {@code bench.answers}), read once and answered from memory by a JAX-RS resource on the list's path, as nginx answers
 * them from files: what any Quarkus REST answer costs, the floor under pooltasks' cheapest (a cache hit). On the event
 * loop, as pooltasks answers: a resource returning a plain type would otherwise run on a worker thread, and every
 * answer would pay a hand-over between threads that pooltasks does not.
 */
@Path("/v2/{project}/desktop-pools/script-execution-tasks/detail")
public class Answers {
    static final Map<String, byte[]> BODIES = read(java.nio.file.Path.of(System.getProperty("bench.answers")));

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] answer(@QueryParam("offset") @DefaultValue("0") String offset,
                         @QueryParam("limit") @DefaultValue("10") String limit) {
        byte[] body = BODIES.get("o" + offset + "_l" + limit + ".json");
        return body != null ? body : BODIES.get("default.json");
    }

    private static Map<String, byte[]> read(java.nio.file.Path directory) {
        Map<String, byte[]> bodies = new HashMap<>();
        try (Stream<java.nio.file.Path> files = Files.list(directory)) {
            for (java.nio.file.Path file : files.toList()) {
                bodies.put(file.getFileName().toString(), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bodies;
    }
}
