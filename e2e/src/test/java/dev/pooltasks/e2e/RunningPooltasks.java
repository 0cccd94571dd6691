package dev.pooltasks.e2e;

import dev.pooltasks.testing.TestCertificate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The deployable artifact ({@code app/target/quarkus-app/quarkus-run.jar}) running as a separate JVM on a free
 * loopback port, serving a small seeded sandbox generated relative to a fixed instant.
 *
 * <p>{@link #start()} starts the shared default instance (see {@link PooltasksAppExtension}); {@link #builder(String)}
 * starts additional instances with their own configuration (e.g. caller authentication), which their test classes
 * own and close.
 *
 * <p>System properties (all optional): {@code pooltasks.e2e.jar} (path of the runnable jar),
 * {@code pooltasks.e2e.basedir} (this module's directory; set by the pom), {@code pooltasks.e2e.startTimeoutSeconds}.
 */
public final class RunningPooltasks implements AutoCloseable {
    /** The project the sandbox serves by default. */
    public static final String PROJECT_ID = "0a1b2c3d4e5f46a7b8c9d0e1f2a3b4c5";
    /**
     * Size and seed of the sandbox. Seed 295 with 1000 tasks gives tasks in all four statuses (INIT is rare: a task
     * is INIT only in the first seconds of its run) and two tasks sharing a start_time, so that the status filters
     * and the id tie-break are exercised. The tests check that the data still has these properties.
     */
    public static final int TASKS = 1000;
    public static final long SEED = 295;
    /** The sandbox generates tasks relative to this instant rather than the wall clock. */
    public static final String NOW = "2026-11-01T00:00:00Z";

    private static final String READY_PATH = "/q/health/ready";

    private final String name;
    private final Process process;
    private final int port;
    private final int managementPort;
    /** The HTTPS port, or -1 when the instance serves plain HTTP only. */
    private final int httpsPort;
    private final Path log;
    private final Thread shutdownHook;
    /** The command line and the names of the environment variables given, for failure messages. */
    private final String command;

    private RunningPooltasks(String name, Process process, int port, int managementPort, int httpsPort, Path log,
                             String command) {
        this.name = name;
        this.command = command;
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.httpsPort = httpsPort;
        this.log = log;
        this.shutdownHook = new Thread(this::stop, "pooltasks-e2e-shutdown");
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUri() {
        return "http://127.0.0.1:" + port;
    }

    /** {@code https://127.0.0.1:PORT}, without a trailing slash, of an instance started with {@link Builder#https}. */
    public String httpsBaseUri() {
        if (httpsPort < 0) {
            throw new IllegalStateException("pooltasks " + name + " serves plain HTTP only (see Builder.https)");
        }
        return "https://127.0.0.1:" + httpsPort;
    }

    /** {@code http://127.0.0.1:PORT} of the management interface (health, metrics), without a trailing slash. */
    public String managementUri() {
        return "http://127.0.0.1:" + managementPort;
    }

    public Path logFile() {
        return log;
    }

    /** Everything the process has printed so far (stdout and stderr), decoded leniently as UTF-8. */
    public String logText() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sum of the Prometheus samples named {@code name} whose labels include each of {@code labels} (written
     * {@code key="value"}), as the management interface's {@code /q/metrics} has them now; 0 when there are none.
     * Samples that are not a number (a gauge whose object is gone) are left out.
     *
     * @throws UncheckedIOException when the instance does not answer
     */
    public double metric(String name, String... labels) {
        HttpResponse<String> metrics;
        try {
            metrics = JdkHttp.client().send(HttpRequest.newBuilder(URI.create(managementUri() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return metrics.body().lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .filter(line -> List.of(labels).stream().allMatch(line::contains) && !line.endsWith("NaN"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The process id, for reading the process's own figures (/proc, jcmd). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** How the process ended, e.g. "exit code 143" (143 = stopped by SIGTERM from outside), or "running". */
    public String exitDescription() {
        return process.isAlive() ? "running" : "exit code " + process.exitValue();
    }

    /** The shared default instance: the sandbox above, no caller authentication, logging as configured. */
    static RunningPooltasks start() {
        return builder("default").start();
    }

    /**
     * An additional, differently configured instance (its own process, port and log file). Close
     * it when done, e.g. in {@code @AfterAll}; a shutdown hook stops it anyway when the test JVM exits.
     *
     * @param name a short name for the log file ({@code target/pooltasks-e2e-NAME.log}) and failure messages
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * How to start an instance: the sandbox settings above plus extra {@code -D} properties, JVM options and environment
     * variables. Secrets belong in {@link #env}: the command line of a process is visible to every local user and is
     * printed in failure messages, the environment is neither (only variable names are ever printed).
     */
    public static final class Builder {
        private final String name;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private boolean https;

        private Builder(String name) {
            if (!name.matches("[a-z0-9-]{1,40}")) {
                throw new IllegalArgumentException("instance names are 1-40 characters of a-z 0-9 -: " + name);
            }
            this.name = name;
        }

        /** A {@code -Dkey=value} system property, after (so overriding) the defaults. */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** A JVM option other than a property, e.g. {@code -Xlog:...}, after the defaults. */
        public Builder jvmOption(String option) {
            if (!option.startsWith("-X")) {
                throw new IllegalArgumentException("a -X option; properties go through property(): " + option);
            }
            jvmOptions.add(option);
            return this;
        }

        /**
         * HTTPS as well, on a port of its own, with {@code certificate} configured as the README's TLS section does: a
         * TLS configuration named "api" for the API's server only, so the management interface stays plain HTTP.
         */
        Builder https(TestCertificate certificate) {
            https = true;
            return property("quarkus.tls.api.key-store.pem.0.cert", certificate.certificate().toString())
                    .property("quarkus.tls.api.key-store.pem.0.key", certificate.privateKey().toString())
                    .property("quarkus.http.tls-configuration-name", "api");
        }

        /** An environment variable of the process. */
        public Builder env(String variable, String value) {
            environment.put(variable, value);
            return this;
        }

        /**
         * An access key for caller authentication, its secret passed through the environment only.
         *
         * <p>The plain environment form {@code POOLTASKS_AUTH_ACCESS_KEYS_<AK>_SECRET_KEY} binds only to lower-case map
         * keys: SmallRye Config reads an environment variable's map key as lower case, so for an access key with
         * upper-case letters (every real Huawei AK) that variable creates a second key (e.g. "e2eak...") without
         * projects and the application does not start (SRCFG00014). For such keys the secret is given as a property
         * expression, {@code -Dpooltasks.auth.access-keys.<AK>.secret-key=${VARIABLE}}, which SmallRye resolves from
         * the environment, so the command line still carries no secret.
         *
         * @param projects           comma-separated project ids, or "*"
         * @param rateLimitPerMinute null for the default (600)
         */
        public Builder accessKey(String accessKey, String secretKey, String projects, Integer rateLimitPerMinute) {
            String prefix = "pooltasks.auth.access-keys." + accessKey + ".";
            property(prefix + "projects", projects);
            if (rateLimitPerMinute != null) {
                property(prefix + "rate-limit-per-minute", String.valueOf(rateLimitPerMinute));
            }
            if (accessKey.equals(accessKey.toLowerCase(Locale.ROOT))) {
                env(environmentName(prefix + "secret-key"), secretKey);
            } else {
                String variable = "E2E_SECRET_" + accessKey.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
                property(prefix + "secret-key", "${" + variable + "}");
                env(variable, secretKey);
            }
            return this;
        }

        /**
         * A static token for caller authentication, its value passed as {@code POOLTASKS_AUTH_TOKENS_<NAME>_VALUE}
         * (which binds, since the name is lower case).
         *
         * @param name               a lower-case name (a-z 0-9 -)
         * @param projects           comma-separated project ids, or "*"
         * @param rateLimitPerMinute null for the default (600)
         */
        public Builder token(String name, String token, String projects, Integer rateLimitPerMinute) {
            if (!name.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("token names must be lower case (see accessKey): " + name);
            }
            String prefix = "pooltasks.auth.tokens." + name + ".";
            property(prefix + "projects", projects);
            if (rateLimitPerMinute != null) {
                property(prefix + "rate-limit-per-minute", String.valueOf(rateLimitPerMinute));
            }
            env(environmentName(prefix + "value"), token);
            return this;
        }

        /**
         * An upstream {@code name}: another running pooltasks serving {@code project} under the same id, with no rate
         * limit (tests call it more often than a region allows).
         */
        public Builder upstream(String name, RunningPooltasks instance, String project) {
            String prefix = "pooltasks.upstreams." + name + ".";
            return property(prefix + "url", instance.baseUri())
                    .property(prefix + "projects." + project, project)
                    .property(prefix + "rate-limit-per-minute", "0");
        }

        /** Starts the instance and waits until it is ready. */
        public RunningPooltasks start() {
            return RunningPooltasks.start(this);
        }

        /** Starts the instance without waiting for it: for starts that are meant to fail (see {@link #awaitExit}). */
        public RunningPooltasks launch() {
            return RunningPooltasks.launch(this);
        }
    }

    /** The environment variable SmallRye Config reads for a property: upper case, non-alphanumerics as "_". */
    static String environmentName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static RunningPooltasks start(Builder settings) {
        RunningPooltasks app = launch(settings);
        try {
            app.awaitReady(Duration.ofSeconds(Long.getLong("pooltasks.e2e.startTimeoutSeconds", 30)));
        } catch (RuntimeException | Error e) {
            app.close();
            throw e;
        }
        return app;
    }

    private static RunningPooltasks launch(Builder settings) {
        Path basedir = Path.of(System.getProperty("pooltasks.e2e.basedir", System.getProperty("user.dir")))
                .toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("pooltasks.e2e.jar",
                basedir.resolve("../app/target/quarkus-app/quarkus-run.jar").toString())).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The runnable jar " + jar + " does not exist. Build the app first, e.g. "
                    + "`mvn -B -ntp install -DskipTests` in the repository root (a full `mvn verify` builds it before "
                    + "this module), or point -Dpooltasks.e2e.jar at it.");
        }
        boolean shared = settings.name.equals("default");
        Path target = basedir.resolve("target");
        Path log = target.resolve(shared ? "pooltasks-e2e.log" : "pooltasks-e2e-" + settings.name + ".log");
        // Started from the jar's directory, as the README runs it, so that the JVM uses the build's class-data archive
        // (Java 17 finds its jar relative to the working directory). A build output: no config/ or .env is there.
        Path workDir = jar.getParent();
        try {
            Files.createDirectories(target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = freePort();
        int managementPort = freePort();
        int httpsPort = settings.https ? freePort() : -1;

        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-XX:SharedArchiveFile=app-cds.jsa");
        command.add("-Xmx256m");
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.port=" + managementPort);
        if (httpsPort >= 0) {
            command.add("-Dquarkus.http.ssl-port=" + httpsPort);
        }
        command.add("-Dpooltasks.sandbox.tasks=" + TASKS);
        command.add("-Dpooltasks.sandbox.seed=" + SEED);
        command.add("-Dpooltasks.sandbox.now=" + NOW);
        command.addAll(settings.jvmOptions);
        settings.properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());

        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        // Only the command line and the given variables configure the app: no POOLTASKS_* / QUARKUS_* variables of
        // the caller's shell.
        builder.environment().keySet().removeIf(name -> name.startsWith("POOLTASKS_") || name.startsWith("QUARKUS_"));
        builder.environment().putAll(settings.environment);
        String description = String.join(" ", command)
                + (settings.environment.isEmpty() ? "" : "\nenvironment variables (values not shown): "
                + String.join(", ", settings.environment.keySet()));

        Process process;
        try {
            Files.writeString(log, "");
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + description, e);
        }
        RunningPooltasks app = new RunningPooltasks(settings.name, process, port, managementPort, httpsPort, log,
                description);
        Runtime.getRuntime().addShutdownHook(app.shutdownHook);
        return app;
    }

    /**
     * Waits for the process to end by itself and returns its exit code, or fails when it is still running after
     * {@code timeout} (the process is then left to {@link #close()}).
     */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("pooltasks " + name + " still runs after " + timeout
                        + ".\ncommand: " + command + "\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for pooltasks to exit", e);
        }
        return process.exitValue();
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = JdkHttp.builder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUri() + READY_PATH))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pooltasks exited with code " + process.exitValue()
                        + " before it was ready.\ncommand: " + command + "\n" + output());
            }
            try {
                HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastProblem = "HTTP " + response.statusCode() + ": " + response.body();
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for pooltasks", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for pooltasks", e);
            }
        }
        throw new IllegalStateException("pooltasks was not ready on " + managementUri() + READY_PATH + " within " + timeout
                + " (last: " + lastProblem + ").\ncommand: " + command + "\n" + output());
    }

    /** What the process printed so far (its last 200 lines), for failure messages. */
    public String output() {
        try {
            // Leniently: the output may echo bytes that are not UTF-8.
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            List<String> tail = lines.subList(Math.max(0, lines.size() - 200), lines.size());
            return "--- output of pooltasks " + name + " (" + log + ") ---\n" + String.join("\n", tail) + "\n--- end of output ---";
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    /** Ends the process at once, as {@code kill -9} does: no shutdown hooks, nothing flushed or released. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run
        }
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String javaExecutable() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Path java = Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
