package dev.pooltasks.adapter.in.rest;

import dev.pooltasks.domain.model.EncodedTasks;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Writes a page's answer body straight from the domain page, byte for byte what the application's ObjectMapper writes
 * for {@link TaskDtoMapper#toResponse(TaskPage)} (the contract's field order, no whitespace, absent values omitted,
 * {@code scripts} always present, times as {@link TaskDtoMapper#toWire(Instant)} writes them, Jackson's escapes:
 * {@code \" \\ \b \t \f \n \r}, other control characters and every surrogate as {@code \}{@code uXXXX} in upper-case
 * hex, the rest as UTF-8). Binding DTOs and walking them with Jackson cost a federation's answer about a tenth of its
 * CPU. The app's ForwardedAnswerTest holds it to Jackson's bytes over generated pages. Tasks still held as their
 * answer bytes ({@link EncodedTasks}, checked to be exactly these) are copied rather than written again.
 */
public final class PageEncoder {
    private static final byte[] TOTAL = ascii("{\"total_count\":");
    private static final byte[] TASKS = ascii(",\"script_execution_tasks\":[");
    private static final byte[] ID = ascii("{\"id\":\"");
    private static final byte[] POOL_ID = ascii("\",\"desktop_pool_id\":\"");
    private static final byte[] POOL_NAME = ascii(",\"desktop_pool_name\":\"");
    private static final byte[] SCRIPTS = ascii(",\"scripts\":[");
    private static final byte[] NAME = ascii("\",\"name\":\"");
    private static final byte[] COMMAND_CONTENT = ascii(",\"command_content\":\"");
    private static final byte[] COMMAND_TYPE = ascii(",\"command_type\":\"");
    private static final byte[] START_TIME = ascii(",\"start_time\":\"");
    private static final byte[] END_TIME = ascii(",\"end_time\":\"");
    private static final byte[] STATUS = ascii(",\"status\":\"");
    private static final byte[] SUCCESS_NUM = ascii("\",\"success_num\":");
    private static final byte[] FAILED_NUM = ascii(",\"failed_num\":");
    private static final byte[] SKIP_NUM = ascii(",\"skip_num\":");
    private static final byte[] HEX = ascii("0123456789ABCDEF");
    /** Length of a wire time of a four-digit year: {@code yyyy-MM-ddTHH:mm:ssZ}. */
    static final int WIRE_TIME_LENGTH = 20;

    private byte[] out;
    private int at;

    private PageEncoder(int capacity) {
        out = new byte[capacity];
    }

    /** The answer body for {@code page}. */
    public static byte[] encode(TaskPage page) {
        if (page.tasks() instanceof EncodedTasks encoded) {
            return splice(page.totalCount(), encoded);
        }
        PageEncoder encoder = new PageEncoder(64 + 384 * page.tasks().size());
        encoder.page(page);
        return Arrays.copyOf(encoder.out, encoder.at);
    }

    private static byte[] splice(int totalCount, EncodedTasks tasks) {
        // Sized exactly (the tasks' bytes, a comma between two, the frame), so that the body needs no trimmed copy.
        byte[] total = ascii(Integer.toString(totalCount));
        int size = TOTAL.length + total.length + TASKS.length + 2 + Math.max(0, tasks.size() - 1);
        for (int i = 0; i < tasks.size(); i++) {
            size += tasks.to(i) - tasks.from(i);
        }
        PageEncoder encoder = new PageEncoder(size);
        encoder.put(TOTAL);
        encoder.put(total);
        encoder.put(TASKS);
        for (int i = 0; i < tasks.size(); i++) {
            if (i > 0) {
                encoder.put((byte) ',');
            }
            int from = tasks.from(i);
            int length = tasks.to(i) - from;
            encoder.ensure(length);
            System.arraycopy(tasks.bytes(i), from, encoder.out, encoder.at, length);
            encoder.at += length;
        }
        encoder.put((byte) ']');
        encoder.put((byte) '}');
        return encoder.out.length == encoder.at ? encoder.out : Arrays.copyOf(encoder.out, encoder.at);
    }

    private void page(TaskPage page) {
        put(TOTAL);
        integer(page.totalCount());
        put(TASKS);
        boolean first = true;
        for (ScriptExecutionTask task : page.tasks()) {
            if (!first) {
                put((byte) ',');
            }
            first = false;
            task(task);
        }
        put((byte) ']');
        put((byte) '}');
    }

    private void task(ScriptExecutionTask task) {
        put(ID);
        string(task.id());
        put(POOL_ID);
        string(task.desktopPoolId());
        put((byte) '"');
        optionalString(POOL_NAME, task.desktopPoolName());
        put(SCRIPTS);
        boolean first = true;
        for (Script script : task.scripts()) {
            if (!first) {
                put((byte) ',');
            }
            first = false;
            put(ID);
            string(script.id());
            put(NAME);
            string(script.name());
            put((byte) '"');
            put((byte) '}');
        }
        put((byte) ']');
        optionalString(COMMAND_CONTENT, task.commandContent());
        optionalString(COMMAND_TYPE, task.commandType() == null ? null : task.commandType().value());
        put(START_TIME);
        time(task.startTime());
        put((byte) '"');
        if (task.endTime() != null) {
            put(END_TIME);
            time(task.endTime());
            put((byte) '"');
        }
        put(STATUS);
        string(task.status().value());
        put(SUCCESS_NUM);
        integer(task.successNum());
        put(FAILED_NUM);
        integer(task.failedNum());
        put(SKIP_NUM);
        integer(task.skipNum());
        put((byte) '}');
    }

    private void optionalString(byte[] key, String value) {
        if (value != null) {
            put(key);
            string(value);
            put((byte) '"');
        }
    }

    /** A string's value, without its quotes, escaped as Jackson escapes it. */
    private void string(String value) {
        int length = value.length();
        ensure(length * 6);
        byte[] bytes = out;
        int i = at;
        for (int k = 0; k < length; k++) {
            char c = value.charAt(k);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    bytes[i++] = (byte) c;
                    continue;
                }
                bytes[i++] = '\\';
                switch (c) {
                    case '"', '\\' -> bytes[i++] = (byte) c;
                    case '\b' -> bytes[i++] = 'b';
                    case '\t' -> bytes[i++] = 't';
                    case '\f' -> bytes[i++] = 'f';
                    case '\n' -> bytes[i++] = 'n';
                    case '\r' -> bytes[i++] = 'r';
                    default -> i = unicodeEscape(bytes, i, c);
                }
            } else if (c < 0x800) {
                bytes[i++] = (byte) (0xC0 | c >> 6);
                bytes[i++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                // Jackson escapes each half of a pair (and a lone half) rather than writing four bytes.
                bytes[i++] = '\\';
                i = unicodeEscape(bytes, i, c);
            } else {
                bytes[i++] = (byte) (0xE0 | c >> 12);
                bytes[i++] = (byte) (0x80 | c >> 6 & 0x3F);
                bytes[i++] = (byte) (0x80 | c & 0x3F);
            }
        }
        at = i;
    }

    /** 'u' and four upper-case hex digits, after the backslash already written. */
    private static int unicodeEscape(byte[] bytes, int i, char c) {
        bytes[i++] = 'u';
        bytes[i++] = HEX[c >> 12 & 0xF];
        bytes[i++] = HEX[c >> 8 & 0xF];
        bytes[i++] = HEX[c >> 4 & 0xF];
        bytes[i++] = HEX[c & 0xF];
        return i;
    }

    /** A time as {@link TaskDtoMapper#toWire(Instant)} writes it; its common years without a String. */
    private void time(Instant time) {
        ensure(WIRE_TIME_LENGTH);
        int end = writeTime(time, out, at);
        if (end < 0) {
            put(ascii(TaskDtoMapper.WIRE_TIME.format(time)));
        } else {
            at = end;
        }
    }

    /**
     * Writes {@code time} as {@code yyyy-MM-ddTHH:mm:ssZ} (UTC, whole seconds) at {@code at}, by hand: the general
     * formatter costs several times as much per task. Returns the index after it, or -1 for a year outside
     * 1000..9999, which the caller writes with {@link TaskDtoMapper#WIRE_TIME}. The one writer of wire times.
     */
    static int writeTime(Instant time, byte[] out, int at) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 1000 || t.getYear() > 9999) {
            return -1;
        }
        digits(out, at, t.getYear(), 4);
        out[at + 4] = '-';
        digits(out, at + 5, t.getMonthValue(), 2);
        out[at + 7] = '-';
        digits(out, at + 8, t.getDayOfMonth(), 2);
        out[at + 10] = 'T';
        digits(out, at + 11, t.getHour(), 2);
        out[at + 13] = ':';
        digits(out, at + 14, t.getMinute(), 2);
        out[at + 16] = ':';
        digits(out, at + 17, t.getSecond(), 2);
        out[at + 19] = 'Z';
        return at + WIRE_TIME_LENGTH;
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private void integer(int value) {
        put(ascii(Integer.toString(value)));
    }

    private void put(byte[] literal) {
        ensure(literal.length);
        System.arraycopy(literal, 0, out, at, literal.length);
        at += literal.length;
    }

    private void put(byte b) {
        ensure(1);
        out[at++] = b;
    }

    private void ensure(int more) {
        if (at + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, at + more));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
