package dev.pooltasks.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The command line's runnable jar ({@code cli/target/pooltasks.jar}) run as a separate {@code java -jar} process, as a
 * user runs it. The process gets the test's environment without any locale (as under cron: Java 17 then decodes with
 * US-ASCII) and without credentials, plus the variables given to {@link #run}.
 *
 * <p>System properties (optional): {@code pooltasks.e2e.cliJar} (path of the jar), {@code pooltasks.e2e.basedir}.
 */
final class CliProcess {
    private static final long TIMEOUT_SECONDS = 120;

    /**
     * One run's outcome; stdout and stderr decoded as UTF-8, which the CLI always writes.
     *
     * @param exitCode the exit code
     * @param out      standard output
     * @param err      standard error
     */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit code " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private CliProcess() {
    }

    static Path jar() {
        Path basedir = Path.of(System.getProperty("pooltasks.e2e.basedir", System.getProperty("user.dir")))
                .toAbsolutePath().normalize();
        Path jar = Path.of(System.getProperty("pooltasks.e2e.cliJar",
                basedir.resolve("../cli/target/pooltasks.jar").toString())).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The command line's jar " + jar + " does not exist. Build it first, e.g. "
                    + "`mvn -B -ntp -pl cli -am package -DskipTests` (a full `mvn verify` builds it before this "
                    + "module), or point -Dpooltasks.e2e.cliJar at it.");
        }
        return jar;
    }

    /** Runs {@code java -jar pooltasks.jar args...} with these extra environment variables and waits for it. */
    static Result run(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("HUAWEICLOUD_SDK_") || name.startsWith("PTCLI_")
                || name.equals("LANG") || name.startsWith("LC_") || name.equals("NO_COLOR"));
        env.putAll(new LinkedHashMap<>(environment));
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the CLI did not finish within " + TIMEOUT_SECONDS + " s: "
                        + String.join(" ", args));
            }
            return new Result(process.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the CLI ran", e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            in.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
