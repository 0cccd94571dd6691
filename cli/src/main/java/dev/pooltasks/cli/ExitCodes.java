package dev.pooltasks.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The exit codes of the command line, as {@code --help} and the README list them. */
final class ExitCodes {
    /** The tasks were listed or counted (also when none matched). */
    static final int OK = 0;
    /** An unexpected error inside the command line itself. */
    static final int INTERNAL = 1;
    /** A bad option or value, or a request the service refused as invalid (400 and other 4xx not listed here). */
    static final int USAGE = 2;
    /** Authentication or authorisation failed (401, 403). */
    static final int AUTH = 3;
    /** Not found (404), e.g. a project the endpoint does not serve. */
    static final int NOT_FOUND = 4;
    /** The service or the network failed: 5xx, 429 after the retries, no connection, an unreadable answer. */
    static final int UNAVAILABLE = 5;
    /** Listed or counted, but the answer left out upstreams that failed (a partial federation): incomplete. */
    static final int PARTIAL = 6;

    /** The exit-code list of {@code --help}. */
    static final Map<String, String> HELP = helpList();

    private ExitCodes() {
    }

    private static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        list.put(String.valueOf(OK), "the tasks were listed or counted (also when none matched)");
        list.put(String.valueOf(INTERNAL), "an unexpected error in the command line itself");
        list.put(String.valueOf(USAGE), "usage: a bad option or value, or a request the service refused as "
                + "invalid (400)");
        list.put(String.valueOf(AUTH), "authentication or authorisation failed (401, 403)");
        list.put(String.valueOf(NOT_FOUND), "not found (404), e.g. a project the endpoint does not serve");
        list.put(String.valueOf(UNAVAILABLE), "service or network failure: 5xx, 429 after retries, no "
                + "connection, an unreadable answer");
        list.put(String.valueOf(PARTIAL), "incomplete: the tasks were listed or counted, but the answer left out "
                + "upstreams that failed (a partial federation; stderr names them)");
        return Collections.unmodifiableMap(list);
    }
}
