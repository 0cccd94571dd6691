package dev.pooltasks.domain.query;

import dev.pooltasks.domain.model.TaskType;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.Year;
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
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidParameterException(parameter, parameter + " must not contain control characters");
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
    /**
     * The common form {@code 2021-10-01T12:00:00Z} read by position (the general parser was a visible part of a
     * request's cost); null for anything else, which the general parser then reads or rejects.
     */
    static Instant utcSeconds(String text) {
        if (text.length() != 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        return Instant.ofEpochSecond(LocalDate.of(year, month, day).toEpochDay() * 86_400L
                + hour * 3600L + minute * 60L + second);
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    static Instant optionalInstant(String parameter, String value) {
        String text = optionalText(parameter, value, 64);
        if (text == null) {
            return null;
        }
        Instant utc = utcSeconds(text);
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
