package dev.pooltasks.domain.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The API's own time format, {@code yyyy-MM-ddTHH:mm:ssZ}, read by position: nearly every time a caller or an upstream
 * sends is in it, and the general ISO parser costs twenty times as much. The one reader of it, for query parameters
 * (as text) and upstream answers (as bytes).
 */
public final class UtcTime {
    /** The length of {@code yyyy-MM-ddTHH:mm:ssZ}. */
    public static final int LENGTH = 20;

    private UtcTime() {
    }

    /** The time {@code text} holds in this format; null for anything else (which the general parser may read). */
    public static Instant parse(String text) {
        return text.length() == LENGTH ? parse(text.getBytes(StandardCharsets.ISO_8859_1), 0) : null;
    }

    /** {@link #parse(String)} over the {@link #LENGTH} bytes (ASCII) from {@code from}; null if they are not one. */
    public static Instant parse(byte[] text, int from) {
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
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        int monthLength = month == 2 ? (leap ? 29 : 28) : month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        if (day > monthLength) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second);
    }

    /** Days from 1970-01-01 to a date of the years 0 to 9999 (H. Hinnant's days_from_civil). */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
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
