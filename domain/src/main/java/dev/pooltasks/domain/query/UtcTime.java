package dev.pooltasks.domain.query;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
    /** What {@link #epochSecond} returns for bytes that are not a time in this format. */
    public static final long NOT_A_TIME = Long.MIN_VALUE;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** The bytes of {@code yyyy-MM-}, {@code ddTHH:mm} and {@code :ssZ} that are digits, and what the others must be. */
    private static final long DATE_DIGITS = 0x00FF_FF00_FFFF_FFFFL;
    private static final long DATE_SEPARATORS = 0x2D00_002D_0000_0000L; // '-' at 4 and 7
    private static final long TIME_DIGITS = 0xFFFF_00FF_FF00_FFFFL;
    private static final long TIME_SEPARATORS = 0x0000_3A00_0054_0000L; // 'T' at 2, ':' at 5
    private static final long SECONDS_DIGITS = 0x00FF_FF00L;
    private static final long SECONDS_SEPARATORS = 0x5A00_003AL; // ':' at 0, 'Z' at 3

    private UtcTime() {
    }

    /** The time {@code text} holds in this format; null for anything else (which the general parser may read). */
    public static Instant parse(String text) {
        return text.length() == LENGTH ? parse(text.getBytes(StandardCharsets.ISO_8859_1), 0) : null;
    }

    /** {@link #parse(String)} over the {@link #LENGTH} bytes (ASCII) from {@code from}; null if they are not one. */
    public static Instant parse(byte[] text, int from) {
        long second = epochSecond(text, from);
        return second == NOT_A_TIME ? null : Instant.ofEpochSecond(second);
    }

    /**
     * The seconds since the epoch of the time in the {@link #LENGTH} bytes from {@code from}, or {@link #NOT_A_TIME}:
     * {@link #parse(byte[], int)} without making an {@code Instant}, for readers that only compare or check times.
     */
    public static long epochSecond(byte[] text, int from) {
        if (from < 0 || from > text.length - LENGTH) {
            return NOT_A_TIME;
        }
        // Read as three words (little-endian: the first byte lowest), each checked for its digits and separators at once.
        long date = (long) LONGS.get(text, from); // yyyy-MM-
        long time = (long) LONGS.get(text, from + 8); // ddTHH:mm
        long seconds = (int) INTS.get(text, from + 16) & 0xFFFF_FFFFL; // :ssZ
        if ((date & ~DATE_DIGITS) != DATE_SEPARATORS || (time & ~TIME_DIGITS) != TIME_SEPARATORS
                || (seconds & ~SECONDS_DIGITS) != SECONDS_SEPARATORS
                || !digits(date & DATE_DIGITS, DATE_DIGITS) || !digits(time & TIME_DIGITS, TIME_DIGITS)
                || !digits(seconds & SECONDS_DIGITS, SECONDS_DIGITS)) {
            return NOT_A_TIME;
        }
        int year = digit(date, 0) * 1000 + digit(date, 1) * 100 + digit(date, 2) * 10 + digit(date, 3);
        int month = digit(date, 5) * 10 + digit(date, 6);
        int day = digit(time, 0) * 10 + digit(time, 1);
        int hour = digit(time, 3) * 10 + digit(time, 4);
        int minute = digit(time, 6) * 10 + digit(time, 7);
        int second = digit(seconds, 1) * 10 + digit(seconds, 2);
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
            return NOT_A_TIME;
        }
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        int monthLength = month == 2 ? (leap ? 29 : 28) : month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        if (day > monthLength) {
            return NOT_A_TIME;
        }
        return epochDay(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second;
    }

    /**
     * The second of the day (0 to 86399) of the time in the {@link #LENGTH} bytes from {@code from}, or -1, checking
     * only what follows its date, as {@link #epochSecond} checks it: for a reader of many times that found the same
     * date bytes valid before, and so knows the day's first second. Within bounds only (it throws past the end).
     */
    public static int secondOfDay(byte[] text, int from) {
        long time = (long) LONGS.get(text, from + 8); // ddTHH:mm
        long seconds = (int) INTS.get(text, from + 16) & 0xFFFF_FFFFL; // :ssZ
        if ((time & ~TIME_DIGITS) != TIME_SEPARATORS || (seconds & ~SECONDS_DIGITS) != SECONDS_SEPARATORS
                || !digits(time & TIME_DIGITS, TIME_DIGITS) || !digits(seconds & SECONDS_DIGITS, SECONDS_DIGITS)) {
            return -1;
        }
        int hour = digit(time, 3) * 10 + digit(time, 4);
        int minute = digit(time, 6) * 10 + digit(time, 7);
        int second = digit(seconds, 1) * 10 + digit(seconds, 2);
        if (hour > 23 || minute > 59 || second > 59) {
            return -1;
        }
        return hour * 3_600 + minute * 60 + second;
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

    /**
     * Whether every byte of {@code word} under {@code mask} (whole bytes; the others zero) is an ASCII digit: its high
     * nibble is 3, and still 3 after adding 6 (which carries into it from 0xA up). Once every high nibble is 3, adding
     * 6 carries out of no byte.
     */
    private static boolean digits(long word, long mask) {
        long threes = 0x3030303030303030L & mask;
        long highNibbles = 0xF0F0F0F0F0F0F0F0L & mask;
        return (word & highNibbles) == threes && ((word + (0x0606060606060606L & mask)) & highNibbles) == threes;
    }

    /** The value of the digit at byte {@code index} of a word whose digits are checked. */
    private static int digit(long word, int index) {
        return (int) (word >>> 8 * index) & 0x0F;
    }
}
