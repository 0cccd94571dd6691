package dev.pooltasks.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the command line reads and writes besides its arguments: environment variables, standard output and error,
 * whether they are terminals, the clock and how to wait. {@link #system()} is the real one; tests build their own.
 *
 * @param variables        environment variables
 * @param out              standard output (UTF-8, whatever the platform charset)
 * @param err              standard error
 * @param stdoutIsTerminal whether standard output is a terminal (colours)
 * @param stderrIsTerminal whether standard error is a terminal (progress)
 * @param clock            signing time and relative {@code --since}
 * @param sleeper          waits before a retry
 */
record CliEnvironment(Map<String, String> variables, PrintWriter out, PrintWriter err, boolean stdoutIsTerminal,
                      boolean stderrIsTerminal, Clock clock, Sleeper sleeper) {

    static CliEnvironment system() {
        return new CliEnvironment(System.getenv(),
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8)),
                isTerminal(1), isTerminal(2), Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /** A variable's value, or null when it is unset or blank. */
    String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** Colours on standard output: only on a terminal, never with {@code NO_COLOR} (no-color.org) or TERM=dumb. */
    boolean colourOnStdout() {
        return stdoutIsTerminal && variable("NO_COLOR") == null && !"dumb".equals(variable("TERM"));
    }

    /**
     * Whether file descriptor {@code fd} is a terminal. Hand-written because Java 17 cannot ask this of one stream
     * ({@code System.console()} needs stdin and stdout both to be terminals; {@code Console.isTerminal()} came in
     * Java 22): on Linux the descriptor's link in /proc names its device; elsewhere the console is the best guess.
     */
    static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        if (!Files.isSymbolicLink(link)) {
            return System.console() != null;
        }
        try {
            String target = Files.readSymbolicLink(link).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }
}
