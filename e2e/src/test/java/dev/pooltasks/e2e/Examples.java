package dev.pooltasks.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The examples module's build output, and its examples run as separate JVMs as the README runs them. */
final class Examples {
    private Examples() {
    }

    /** What a run printed (stdout and stderr) and how it ended. */
    record Run(int exitCode, String output) {
    }

    static Path directory() {
        return Path.of(System.getProperty("pooltasks.e2e.basedir", System.getProperty("user.dir")))
                .resolve("../examples").toAbsolutePath().normalize();
    }

    /** The runnable jar (its dependencies in target/lib), built by the examples module's package phase. */
    static Path jar() {
        Path jar = directory().resolve("target/pooltasks-examples.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the examples module first (the reactor "
                    + "builds it before this module)");
        }
        return jar;
    }

    /** The one jar in target/lib whose name starts with {@code prefix}. */
    static Path library(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(directory().resolve("target/lib"))) {
            List<Path> matches = files.filter(file -> file.getFileName().toString().startsWith(prefix)).toList();
            if (matches.size() != 1) {
                throw new IllegalStateException("expected one " + prefix + "*.jar in target/lib, found " + matches);
            }
            return matches.get(0);
        }
    }

    /** Runs {@code java <arguments>} from the repository root and waits (at most two minutes) for it to end. */
    static Run run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        Path output = Files.createTempFile("pooltasks-e2e-example", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(directory().getParent().toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("still running after two minutes: " + command);
            }
            return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
