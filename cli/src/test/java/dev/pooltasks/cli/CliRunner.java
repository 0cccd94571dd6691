package dev.pooltasks.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the command line in this JVM with a chosen environment and captures what it prints. */
final class CliRunner {
    /** The fixed "now" of every run. */
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");

    /**
     * One run's outcome.
     *
     * @param exitCode the exit code
     * @param out      standard output
     * @param err      standard error
     */
    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    final Map<String, String> environment = new HashMap<>();
    final List<Duration> waits = new ArrayList<>();
    boolean stdoutIsTerminal;
    boolean stderrIsTerminal;
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    CliRunner env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    CliRunner terminals(boolean stdout, boolean stderr) {
        stdoutIsTerminal = stdout;
        stderrIsTerminal = stderr;
        return this;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment cli = new CliEnvironment(Map.copyOf(environment), new PrintWriter(out), new PrintWriter(err),
                stdoutIsTerminal, stderrIsTerminal, clock, waits::add);
        int exitCode = PooltasksCommand.run(cli, args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
