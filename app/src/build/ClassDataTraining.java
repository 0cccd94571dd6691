import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Replaces the class-data archive the Quarkus build writes (quarkus-app/app-cds.jsa) with one from a training run.
 *
 * <p>Quarkus archives only the classes its static initialisation loads: it stops before opening sockets. The server's
 * start and the first requests then load some 1,400 classes from the jars, verifying each. Here the packaged app runs
 * on the sandbox default with -XX:ArchiveClassesAtExit, answers what a newcomer and a probe ask first, and stops on
 * SIGTERM, which writes the archive at exit. Quarkus's AppCDS guide names this manual run as the more effective archive;
 * no Maven plugin does it, hence this program. The run command stays the README's.
 *
 * <p>Run by the app module's build (exec-maven-plugin, package phase, after quarkus:build) with the JDK that runs Maven,
 * which is the JVM the archive then fits. Argument: the quarkus-app directory.
 */
public final class ClassDataTraining {

    private static final String PROJECT = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";   // the sandbox's default project
    private static final String API = "/v2/" + PROJECT + "/desktop-pools/script-execution-tasks/";
    /** The answer the run waits for: the first page, as the bench's and e2e's first request. */
    private static final String FIRST = API + "detail?limit=2";
    /**
     * After the first answer, what comes first in production: filtered pages, a refused query, the readiness probe.
     * Not the metrics scrape, console or statistics: they come later, and every class archived is mapped at each start.
     */
    private static final List<String> API_REQUESTS = List.of(
            API + "detail?status=FAILED&script_name=chrome&offset=10&limit=20",
            API + "detail?task_type=COMMAND&execute_time_start=2020-01-01T00:00:00Z&limit=5",
            API + "detail?limit=abc");
    private static final List<String> MANAGEMENT_REQUESTS = List.of("/q/health/ready");
    private static final Duration START_LIMIT = Duration.ofSeconds(120);

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ClassDataTraining <quarkus-app directory>");
        }
        Path app = Path.of(args[0]).toAbsolutePath();
        Path archive = app.resolve("app-cds.jsa");
        Path trained = app.resolve("app-cds.jsa.training");
        Path log = app.resolveSibling("class-data-training.log");
        Files.deleteIfExists(trained);
        int port = freePort();
        int managementPort = freePort();

        // From the jar's directory with a relative jar path, as the README runs it: Java 17 records the jar's path.
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-XX:ArchiveClassesAtExit=" + trained.getFileName(),
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-jar", "quarkus-run.jar")
                .directory(app.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The defaults only, as on a newcomer's first run: no POOLTASKS_* / QUARKUS_* variables of the builder's shell.
        builder.environment().keySet().removeIf(name -> name.startsWith("POOLTASKS_") || name.startsWith("QUARKUS_"));
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://127.0.0.1:" + port;
            awaitFirstAnswer(http, process, base + FIRST, log);
            for (String path : API_REQUESTS) {
                get(http, base + path);
            }
            for (String path : MANAGEMENT_REQUESTS) {
                get(http, "http://127.0.0.1:" + managementPort + path);
            }
        } finally {
            process.destroy();   // SIGTERM: the JVM exits normally and writes the archive on the way out
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the training run did not stop within 60 s of SIGTERM", log);
            }
        }
        if (!Files.isRegularFile(trained) || Files.size(trained) == 0) {
            fail("the training run wrote no archive (" + trained + ")", log);
        }
        Files.move(trained, archive, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("[class-data training] " + archive + " written from a training run ("
                + Files.size(archive) / (1024 * 1024) + " MiB); its log: " + log);
    }

    private static void awaitFirstAnswer(HttpClient http, Process process, String uri, Path log) throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the app exited with " + process.exitValue() + " before answering", log);
            }
            try {
                if (get(http, uri) == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the server is not up yet
            }
            Thread.sleep(50);
        }
        fail("the app did not answer " + uri + " within " + START_LIMIT.toSeconds() + " s", log);
    }

    private static int get(HttpClient http, String uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fail(String why, Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        throw new IllegalStateException("class-data training: " + why + "\n" + tail);
    }
}
