package dev.pooltasks.domain.port.out;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * One or more task sources could not answer: down, too slow, circuit open, a malformed answer, or a refusal of the
 * credentials this service calls them with (which its caller can neither see nor fix).
 */
public final class TaskSourceUnavailableException extends RuntimeException {
    private final Set<String> sources;

    public TaskSourceUnavailableException(String source, String reason) {
        this(Set.of(source), "upstream " + source + " unavailable: " + reason);
    }

    public TaskSourceUnavailableException(Set<String> sources, String message) {
        super(message, null, false, false);
        this.sources = Collections.unmodifiableSortedSet(new TreeSet<>(sources));
    }

    /** The names of the sources that failed, sorted. */
    public Set<String> sources() {
        return sources;
    }
}
