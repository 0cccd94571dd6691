package bench.q;

import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * QF1 and QF3 only (-Pqa, started with {@code bench.upstreams}): the upstream calls pooltasks makes for S1 and S3, and
 * nothing else, so that S3's cost against S1's can be set beside what the calls alone cost on the machine.
 *
 * <p>For a project other than {@code all} (QF1, beside S1): the query sent to the first region as it came and the
 * region's bytes answered as they came, as S1 forwards. For {@code all} (QF3, beside S3): the first block of each of
 * the three regions, fetched at once as the federation fetches it (offset 0, the limit reaching the page's end, at most
 * 100 and at least 1), then A's bytes for the window answered, a merged page's size; no check, no merge. Vert.x's
 * client as pooltasks uses it: one per event loop, keep-alive, chunks up to 64 KiB, answered on the event loop.
 */
@Path("/f/v2/{project}/desktop-pools/script-execution-tasks/detail")
public class Forward {
    private static final String PATH = "/desktop-pools/script-execution-tasks/detail";
    /** The regions, each "host:port", read once: the calls are the measured path. */
    private static final List<Region> REGIONS = Arrays.stream(System.getProperty("bench.upstreams", "").split(","))
            .filter(region -> !region.isEmpty()).map(Region::of).toList();

    private final ThreadLocal<HttpClient> clients;

    @Inject
    public Forward(Vertx vertx) {
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setMaxChunkSize(64 * 1024);
        this.clients = ThreadLocal.withInitial(() -> vertx.createHttpClient(options,
                new PoolOptions().setHttp1MaxSize(256)));
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<byte[]> forward(@PathParam("project") String project, @Context UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery() == null ? "" : uri.getRequestUri().getRawQuery();
        if (!project.equals("all")) {
            return fetch(0, "/v2/" + project + PATH + "?" + query).toCompletionStage();
        }
        long offset = param(query, "offset", 0);
        long limit = param(query, "limit", 10);
        String others = withoutWindow(query);
        long blockLimit = Math.max(1, Math.min(100, offset + limit));
        List<Future<byte[]>> blocks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            blocks.add(fetch(i, "/v2/p" + (i + 1) + PATH + "?" + others + "offset=0&limit=" + blockLimit));
        }
        byte[] answer = Answers.BODIES.getOrDefault("o" + offset + "_l" + limit + ".json",
                Answers.BODIES.get("default.json"));
        return Future.all(blocks).map(all -> answer).toCompletionStage();
    }

    private Future<byte[]> fetch(int region, String uri) {
        Region to = REGIONS.get(region);
        return clients.get().request(HttpMethod.GET, to.port(), to.host(), uri)
                .compose(request -> request.send())
                .compose(response -> response.statusCode() == 200 ? response.body()
                        : Future.failedFuture("region " + region + " answered " + response.statusCode()))
                .map(Buffer::getBytes);
    }

    private record Region(String host, int port) {
        static Region of(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            return new Region(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        }
    }

    private static long param(String query, String name, long absent) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return Long.parseLong(pair.substring(name.length() + 1));
            }
        }
        return absent;
    }

    /** The query's filters, each followed by '&', without its offset and limit. */
    private static String withoutWindow(String query) {
        StringBuilder others = new StringBuilder();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty() && !pair.startsWith("offset=") && !pair.startsWith("limit=")) {
                others.append(pair).append('&');
            }
        }
        return others.toString();
    }
}
