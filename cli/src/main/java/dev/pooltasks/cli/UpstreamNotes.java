package dev.pooltasks.cli;

import java.io.PrintWriter;
import java.util.Set;

/** What an answer's headers said of its upstreams, told on standard error, and the exit code that makes. */
final class UpstreamNotes {
    private UpstreamNotes() {
    }

    /**
     * Names the upstreams served from an older copy (the answer is whole), and those left out because they failed (a
     * partial federation: the answer is incomplete, so the exit code is {@link ExitCodes#PARTIAL}).
     *
     * @param shown what the answer holds, for the incomplete case: "the tasks listed", "the counts"
     * @return {@link ExitCodes#OK} or {@link ExitCodes#PARTIAL}
     */
    static int report(PrintWriter err, Set<String> stale, Set<String> missing, String shown) {
        if (!stale.isEmpty()) {
            err.println("pooltasks: warning: part of the answer is an older cached copy of upstream(s) "
                    + String.join(", ", stale) + " (" + TaskSource.STALE_HEADER + ")");
        }
        if (!missing.isEmpty()) {
            err.println("pooltasks: incomplete: the answer left out upstream(s) " + String.join(", ", missing)
                    + ", which failed (" + TaskSource.MISSING_HEADER + "); " + shown + " are the other upstreams'");
        }
        err.flush();
        return missing.isEmpty() ? ExitCodes.OK : ExitCodes.PARTIAL;
    }
}
