package dev.pooltasks.e2e;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's class-data archive comes from a training run (app/src/build/ClassDataTraining.java), so the classes of
 * the server's start and of the first answer are mapped from it rather than read from the jars and verified. Quarkus's
 * own archive stops at static initialisation; with it, every class named here is read from a jar.
 */
class ClassDataArchiveTest {

    /** One class each of the server's start, the first request's decoding, and our first answer. */
    private static final List<String> ARCHIVED_BY_TRAINING = List.of(
            "io.vertx.core.net.impl.TCPServerBase",
            "io.netty.handler.codec.http.HttpObjectDecoder",
            "dev.pooltasks.adapter.in.rest.ScriptExecutionTasksResource",
            "dev.pooltasks.adapter.in.rest.PageEncoder",
            "dev.pooltasks.domain.query.TaskQuery");

    private static final String TOP_LAYER = "shared objects file (top)";

    @Test
    void theServersStartAndTheFirstAnswerLoadTheirClassesFromTheArchive() throws Exception {
        try (RunningPooltasks app = RunningPooltasks.builder("class-data").jvmOption("-Xlog:class+load=info").start()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.baseUri() + "/v2/"
                    + RunningPooltasks.PROJECT_ID + "/desktop-pools/script-execution-tasks/detail?limit=2")).build();
            HttpResponse<String> first = JdkHttp.client().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);

            // "[0.512s][info][class,load] io.vertx.core.net.impl.TCPServerBase source: shared objects file (top)".
            // A class may be logged twice: when the HTTP and the management servers start at the same moment on two
            // event loops, one thread can parse the class from its jar while the other maps it from the archive
            // (seen once in CI: TCPServerBase from the jar at 1.214 s, from the archive at 1.216 s). What counts is
            // that the archive holds it and the JVM used it, so the archive's line wins.
            Map<String, String> sourceByClass = app.logText().lines()
                    .filter(line -> line.contains("[class,load] ") && line.contains(" source: "))
                    .map(line -> line.substring(line.indexOf("[class,load] ") + "[class,load] ".length()))
                    .collect(Collectors.toMap(line -> line.substring(0, line.indexOf(' ')),
                            line -> line.substring(line.indexOf(" source: ") + " source: ".length()),
                            (one, other) -> other.equals(TOP_LAYER) ? other : one));
            assertThat(sourceByClass.values()).as("the JVM mapped the build's archive (the top layer, over the JDK's)")
                    .contains(TOP_LAYER);
            Map<String, String> sources = ARCHIVED_BY_TRAINING.stream()
                    .collect(Collectors.toMap(Function.identity(),
                            name -> sourceByClass.getOrDefault(name, "not loaded")));
            assertThat(sources).as("where each class came from").allSatisfy((name, source) ->
                    assertThat(source).as(name).isEqualTo(TOP_LAYER));
        }
    }
}
