package dev.pooltasks.adapter.out.workspace;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/** The API's own time format, read fast. */
final class WireTime {
    /** The length of {@code yyyy-MM-ddTHH:mm:ssZ}. */
    static final int LENGTH = 20;

    private WireTime() {
    }

    /**
     * The API's own format, {@code yyyy-MM-ddTHH:mm:ssZ}, read by position: nearly every time an upstream sends is in
     * it, and the general ISO parser costs twenty times as much. Null for anything else.
     */
    static Instant parse(String text) {
        return text.length() == LENGTH ? parse(text.getBytes(StandardCharsets.ISO_8859_1), 0) : null;
    }

    /** {@link #parse(String)} over the {@link #LENGTH} bytes (ASCII) from {@code from}; null if they are not one. */
    static Instant parse(byte[] text, int from) {
        if (from + LENGTH > text.length || text[from + 4] != '-' || text[from + 7] != '-' || text[from + 10] != 'T'
                || text[from + 13] != ':' || text[from + 16] != ':' || text[from + 19] != 'Z') {
            return null;
        }
        int year = digits(text, from, 4);
        int month = digits(text, from + 5, 2);
        int day = digits(text, from + 8, 2);
        int hour = digits(text, from + 11, 2);
        int minute = digits(text, from + 14, 2);
        int second = digits(text, from + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(LocalDate.of(year, month, day).toEpochDay() * 86_400
                    + hour * 3_600 + minute * 60 + second);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int digits(byte[] text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            int c = text[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
