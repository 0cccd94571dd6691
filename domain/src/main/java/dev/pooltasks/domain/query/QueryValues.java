package dev.pooltasks.domain.query;

import dev.pooltasks.domain.model.TaskType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parsing and bounds of single wire values. */
final class QueryValues {
    private QueryValues() {
    }

    static void requireId(String parameter, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidParameterException(parameter, parameter + " is required");
        }
        checkText(parameter, value, TaskQuery.MAX_ID_LENGTH);
    }

    static String optionalId(String parameter, String value) {
        return optionalText(parameter, value, TaskQuery.MAX_ID_LENGTH);
    }

    /** Null for an absent or empty value; otherwise the value, checked for length and control characters. */
    static String optionalText(String parameter, String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        checkText(parameter, value, maxLength);
        return value;
    }

    private static void checkText(String parameter, String value, int maxLength) {
        if (value.length() > maxLength) {
            throw new InvalidParameterException(parameter, parameter + " must be at most " + maxLength + " characters");
        }
        // A loop, not chars().anyMatch: this runs for every text parameter of every request, and the stream allocates.
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidParameterException(parameter, parameter + " must not contain control characters");
            }
        }
    }

    static TaskType taskType(String value) {
        try {
            return TaskType.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(QueryParameters.TASK_TYPE, "task_type must be SCRIPT or COMMAND");
        }
    }

    /** ISO-8601 with an offset: {@code 2026-11-01T12:00:00Z}, with fractional seconds or {@code +08:00} as well. */
    static Instant optionalInstant(String parameter, String value) {
        String text = optionalText(parameter, value, 64);
        if (text == null) {
            return null;
        }
        Instant utc = UtcTime.parse(text);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(text.trim(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(parameter,
                    parameter + " must be a time like 2021-10-01T12:00:00Z");
        }
    }
}
