package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatistics;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an upstream that is another pooltasks says, in its answer's headers, of the sources behind it: those its answer
 * left out ({@code X-Pooltasks-Missing-Upstreams}, a partial federation), those served from an older copy
 * ({@code X-Pooltasks-Stale-Upstreams}) and the age of the mirror it answered from ({@code X-Pooltasks-Mirror-Age}),
 * so that a gateway in front of it says so too. The names are that pooltasks' own, so they are passed on as
 * {@code <upstream>/<name>}. A Workspace region sends none of these headers.
 *
 * <p>The headers come from another server: at most {@value #MAX_NAMES} names of at most {@value #MAX_NAME_LENGTH}
 * visible ASCII characters are kept as they are; any other name is passed on as the upstream's own name alone (still
 * saying that something behind it is missing or stale). An unreadable age is left out.
 */
record SourcesBehind(Set<String> missing, Set<String> stale, Duration mirrorAge) {
    static final String MISSING_HEADER = "X-Pooltasks-Missing-Upstreams";
    static final String STALE_HEADER = "X-Pooltasks-Stale-Upstreams";
    static final String MIRROR_AGE_HEADER = "X-Pooltasks-Mirror-Age";
    static final SourcesBehind NONE = new SourcesBehind(Set.of(), Set.of(), null);
    static final int MAX_NAMES = 32;
    static final int MAX_NAME_LENGTH = 128;
    /** An age in whole seconds: up to 12 digits (some 30,000 years). */
    private static final int MAX_AGE_DIGITS = 12;

    /** From the headers' values (null when absent) of an answer of upstream {@code upstream}. */
    static SourcesBehind of(String upstream, String missingHeader, String staleHeader, String mirrorAgeHeader) {
        if (missingHeader == null && staleHeader == null && mirrorAgeHeader == null) {
            return NONE;
        }
        return new SourcesBehind(names(upstream, missingHeader), names(upstream, staleHeader), age(mirrorAgeHeader));
    }

    TaskPage applyTo(TaskPage page) {
        TaskPage marked = page.withSourcesBehind(missing, stale);
        return mirrorAge == null ? marked : marked.withMirrorAge(mirrorAge);
    }

    TaskStatistics applyTo(TaskStatistics statistics) {
        return statistics.withSourcesBehind(missing, stale);
    }

    private static Set<String> names(String upstream, String header) {
        if (header == null) {
            return Set.of();
        }
        TreeSet<String> names = new TreeSet<>();
        int kept = 0;
        for (String name : header.split(",", MAX_NAMES + 1)) {
            String trimmed = name.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            names.add(++kept <= MAX_NAMES && readable(trimmed) ? upstream + "/" + trimmed : upstream);
        }
        return Collections.unmodifiableSortedSet(names);
    }

    private static boolean readable(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    private static Duration age(String header) {
        if (header == null) {
            return null;
        }
        String text = header.trim();
        if (text.isEmpty() || text.length() > MAX_AGE_DIGITS || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(text));
    }
}
