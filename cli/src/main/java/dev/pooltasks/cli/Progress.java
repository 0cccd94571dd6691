package dev.pooltasks.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * One self-overwriting status line on standard error while a listing runs: how many tasks so far, or that a 429 is
 * being waited out. Silent unless standard error is a terminal, so that scripts see only errors there.
 */
final class Progress {
    private final PrintWriter err;
    private final boolean enabled;
    private int shown;

    Progress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    void listed(int listed, int total) {
        show("listing tasks: " + listed + " of " + total);
    }

    void rateLimited(Duration wait, int retry, int maxRetries) {
        show("rate limited (HTTP 429): retry " + retry + " of " + maxRetries + " in " + Math.max(1, wait.toSeconds())
                + " s");
    }

    /** Clears the line, so that what follows starts on a clean one. */
    void clear() {
        if (enabled && shown > 0) {
            err.print("\r" + " ".repeat(shown) + "\r");
            err.flush();
            shown = 0;
        }
    }

    private void show(String line) {
        if (!enabled) {
            return;
        }
        err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
        err.flush();
        shown = Math.max(shown, line.length());
    }
}
