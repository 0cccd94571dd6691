package dev.pooltasks.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --since} and {@code --until} as the API's {@code execute_time_start} and {@code execute_time_end}:
 * {@code yyyy-MM-ddTHH:mm:ssZ} in UTC, inclusive bounds on a task's start time.
 *
 * @param start the lower bound, or null
 * @param end   the upper bound, or null
 */
record TimeBounds(Instant start, Instant end) {
    private static final Pattern AGE = Pattern.compile("(\\d{1,6})([mhd])", Pattern.CASE_INSENSITIVE);
    private static final DateTimeFormatter API_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

    /**
     * Parses the options.
     *
     * @param since an age ({@code 30m}, {@code 12h}, {@code 7d}: that long before {@code clock}'s now) or an ISO-8601
     *              instant with {@code Z} or an offset; null for none
     * @param until the same; null for none
     * @throws IllegalArgumentException with a message for the user if a value cannot be read or since is after until
     */
    static TimeBounds parse(String since, String until, Clock clock) {
        // Start times have whole seconds: rounding the start up and the end down keeps exactly the same tasks.
        Instant start = since == null ? null : ceilToSecond(parseTime("--since", since.trim(), clock));
        Instant end = until == null ? null : parseTime("--until", until.trim(), clock).truncatedTo(ChronoUnit.SECONDS);
        if (start != null && end != null && start.isAfter(end)) {
            throw new IllegalArgumentException("--since (" + format(start) + ") is after --until (" + format(end) + ")");
        }
        return new TimeBounds(start, end);
    }

    String startParameter() {
        return start == null ? null : format(start);
    }

    String endParameter() {
        return end == null ? null : format(end);
    }

    private static Instant parseTime(String option, String value, Clock clock) {
        Matcher age = AGE.matcher(value);
        if (age.matches()) {
            long amount = Long.parseLong(age.group(1));
            Duration duration = switch (age.group(2).toLowerCase(Locale.ROOT)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return clock.instant().minus(duration);
        }
        if (!value.contains("T")) {
            throw new IllegalArgumentException("Invalid value for option '" + option + "': '" + value
                    + "' is neither an age (30m, 12h, 7d) nor an ISO-8601 instant (2026-11-20T00:00:00Z)");
        }
        return parseInstant(option, value);
    }

    private static Instant parseInstant(String option, String value) {
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid value for option '" + option + "': '" + value
                    + "' is not an ISO-8601 instant with Z or an offset (2026-11-20T00:00:00Z, 2026-11-20T08:00:00+08:00)");
        }
    }

    private static Instant ceilToSecond(Instant instant) {
        Instant whole = instant.truncatedTo(ChronoUnit.SECONDS);
        return whole.equals(instant) ? whole : whole.plusSeconds(1);
    }

    private static String format(Instant instant) {
        return API_FORMAT.format(instant.atOffset(ZoneOffset.UTC));
    }
}
