package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.query.UtcTime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an answer body written exactly as this service writes one (the REST adapter's encoder: the contract's field
 * order, no whitespace, absent values omitted, {@code scripts} always present, times as {@code yyyy-MM-ddTHH:mm:ssZ},
 * strings escaped as Jackson escapes them, characters beyond the BMP as escaped surrogate pairs, UTF-8 well formed), straight into domain tasks. Such a body is what the API
 * would send for the page it holds, so the page carries it and is answered without being written again.
 *
 * <p>It accepts only that one spelling: at the first byte that differs (whitespace, another field order, an unknown
 * or null field, another escape, a time to normalise, a number out of range, a negative total, trailing bytes...)
 * it gives up, and {@link AnswerParser} reads the body the general way, which decides what is valid as before.
 */
final class CanonicalAnswer {
    private static final byte[] TOTAL = ascii("{\"total_count\":");
    private static final byte[] TASKS = ascii(",\"script_execution_tasks\":[");
    private static final byte[] ID = ascii("{\"id\":\"");
    private static final byte[] POOL_ID = ascii(",\"desktop_pool_id\":\"");
    private static final byte[] POOL_NAME = ascii(",\"desktop_pool_name\":\"");
    private static final byte[] SCRIPTS = ascii(",\"scripts\":[");
    private static final byte[] NAME = ascii(",\"name\":\"");
    private static final byte[] COMMAND_CONTENT = ascii(",\"command_content\":\"");
    private static final byte[] COMMAND_TYPE = ascii(",\"command_type\":\"");
    private static final byte[] START_TIME = ascii(",\"start_time\":\"");
    private static final byte[] END_TIME = ascii(",\"end_time\":\"");
    private static final byte[] STATUS = ascii(",\"status\":\"");
    private static final byte[] SUCCESS_NUM = ascii(",\"success_num\":");
    private static final byte[] FAILED_NUM = ascii(",\"failed_num\":");
    private static final byte[] SKIP_NUM = ascii(",\"skip_num\":");

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] in;
    /** False while only checking the spelling: then no value is made (strings, tasks and lists are null). */
    private final boolean build;
    private int at;
    private int total;
    /** The tasks made so far (when building). */
    private List<ScriptExecutionTask> tasks;

    private CanonicalAnswer(byte[] in, boolean build) {
        this.in = in;
        this.build = build;
    }

    /**
     * The page {@code body} holds, carrying {@code body} as its answer body; null unless it is written canonically.
     * The body is checked whole here, but its tasks are made only when the page's tasks are first read: a page
     * forwarded as it came (one upstream, no cache) never needs them.
     */
    static TaskPage read(byte[] body) {
        CanonicalAnswer check = new CanonicalAnswer(body, false);
        int taskCount;
        try {
            taskCount = check.page();
        } catch (NotCanonical | IndexOutOfBoundsException e) {
            // Truncated input runs off the end: not canonical either.
            return null;
        }
        return TaskPage.decodedOnDemand(check.total, taskCount, () -> decode(body), body);
    }

    /** The tasks of a body {@link #read} found canonical: the same reading, now making them. */
    private static List<ScriptExecutionTask> decode(byte[] body) {
        CanonicalAnswer decoder = new CanonicalAnswer(body, true);
        decoder.page();
        return decoder.tasks;
    }

    /** Reads the whole body (failing at the first byte that is not canonical); the number of tasks. */
    private int page() {
        expect(TOTAL);
        total = integer();
        if (total < 0) {
            throw NotCanonical.INSTANCE;
        }
        expect(TASKS);
        tasks = build ? new ArrayList<>() : null;
        int count = 0;
        if (in[at] != ']') {
            add(task());
            count++;
            while (in[at] == ',') {
                at++;
                add(task());
                count++;
            }
        }
        expect((byte) ']');
        expect((byte) '}');
        if (at != in.length) {
            throw NotCanonical.INSTANCE;
        }
        return count;
    }

    private void add(ScriptExecutionTask task) {
        if (build) {
            tasks.add(task);
        }
    }

    private ScriptExecutionTask task() {
        expect(ID);
        String id = string();
        expect(POOL_ID);
        String poolId = string();
        String poolName = optionalString(POOL_NAME);
        expect(SCRIPTS);
        List<Script> scripts = build ? new ArrayList<>() : null;
        if (in[at] != ']') {
            addScript(scripts, script());
            while (in[at] == ',') {
                at++;
                addScript(scripts, script());
            }
        }
        expect((byte) ']');
        String commandContent = optionalString(COMMAND_CONTENT);
        String commandType = optionalString(COMMAND_TYPE);
        expect(START_TIME);
        Instant start = time();
        Instant end = null;
        if (startsWith(END_TIME)) {
            at += END_TIME.length;
            end = time();
        }
        expect(STATUS);
        String status = string();
        expect(SUCCESS_NUM);
        int success = integer();
        expect(FAILED_NUM);
        int failed = integer();
        expect(SKIP_NUM);
        int skip = integer();
        expect((byte) '}');
        if (!build) {
            return null;
        }
        return new ScriptExecutionTask(id, poolId, poolName, scripts, commandContent,
                commandType == null ? null : new CommandType(commandType), start, end, new TaskStatus(status),
                success, failed, skip);
    }

    private Script script() {
        expect(ID);
        String id = string();
        expect(NAME);
        String name = string();
        expect((byte) '}');
        return build ? new Script(id, name) : null;
    }

    private static void addScript(List<Script> scripts, Script script) {
        if (scripts != null) {
            scripts.add(script);
        }
    }

    private String optionalString(byte[] key) {
        if (!startsWith(key)) {
            return null;
        }
        at += key.length;
        return string();
    }

    /** A time as the API writes it, which is also how it reads back (any other spelling would be normalised). */
    private Instant time() {
        Instant time = UtcTime.parse(in, at);
        if (time == null || in[at + UtcTime.LENGTH] != '"') {
            throw NotCanonical.INSTANCE;
        }
        at += UtcTime.LENGTH + 1;
        return time;
    }

    /**
     * A string's value, after its opening quote, up to and past its closing quote. Plain ASCII is taken as is; other
     * characters must be well-formed UTF-8 (as written, never escaped); escapes must be the ones the encoder writes:
     * {@code \" \\ \b \t \f \n \r}, and for the other control characters and each half of a surrogate pair a
     * backslash, 'u' and four upper-case hex digits.
     */
    private String string() {
        byte[] bytes = in;
        int start = at;
        int i = start;
        // Eight bytes at a time while none of them is special, then byte by byte.
        while (i + Long.BYTES <= bytes.length && !special((long) LONGS.get(bytes, i))) {
            i += Long.BYTES;
        }
        int b;
        // Printable ASCII but the quote and the backslash; bytes of non-ASCII characters are negative.
        while ((b = bytes[i]) >= 0x20 && b != '"' && b != '\\') {
            i++;
        }
        at = i;
        if (b != '"') {
            return unusualString(start);
        }
        at++;
        return build ? new String(bytes, start, i - start, StandardCharsets.ISO_8859_1) : null;
    }

    /**
     * Whether any of eight bytes is a quote, a backslash, below 0x20 or above 0x7F (SWAR: a byte is zero in
     * {@code x} exactly when {@code (x - 0x01) & ~x} sets its top bit, and below n when {@code (x - n) & ~x} does).
     */
    private static boolean special(long word) {
        long quote = word ^ 0x2222222222222222L;
        long backslash = word ^ 0x5C5C5C5C5C5C5C5CL;
        long found = (quote - 0x0101010101010101L) & ~quote
                | (backslash - 0x0101010101010101L) & ~backslash
                | (word - 0x2020202020202020L) & ~word
                | word;
        return (found & 0x8080808080808080L) != 0;
    }

    /** The rest of a string from its first byte that is not printable ASCII (or is a quote or a backslash). */
    private String unusualString(int start) {
        StringBuilder escaped = null;
        int run = start;
        while (true) {
            int b = in[at];
            if (b == '"') {
                String tail = build ? new String(in, run, at - run, StandardCharsets.UTF_8) : null;
                at++;
                return escaped == null ? tail : escaped.append(tail).toString();
            }
            if (b == '\\') {
                if (escaped == null && build) {
                    escaped = new StringBuilder();
                }
                if (escaped != null) {
                    escaped.append(new String(in, run, at - run, StandardCharsets.UTF_8));
                }
                escape(escaped);
                run = at;
            } else if (b < 0) {
                at = utf8(at);
            } else if (b < 0x20) {
                throw NotCanonical.INSTANCE;
            } else {
                at++;
            }
        }
    }

    /** One escape, from its backslash, appended to {@code value} (null: only checked); only those the encoder writes. */
    private void escape(StringBuilder value) {
        int b = in[at + 1];
        at += 2;
        char c;
        char low = 0;
        switch (b) {
            case '"' -> c = '"';
            case '\\' -> c = '\\';
            case 'b' -> c = '\b';
            case 't' -> c = '\t';
            case 'f' -> c = '\f';
            case 'n' -> c = '\n';
            case 'r' -> c = '\r';
            case 'u' -> {
                c = hex4();
                if (c < 0x20 && c != '\b' && c != '\t' && c != '\f' && c != '\n' && c != '\r') {
                    break;
                } else if (Character.isHighSurrogate(c) && in[at] == '\\' && in[at + 1] == 'u') {
                    // A character beyond the BMP: the encoder writes its surrogate pair as two escapes.
                    at += 2;
                    low = hex4();
                    if (!Character.isLowSurrogate(low)) {
                        throw NotCanonical.INSTANCE;
                    }
                } else {
                    throw NotCanonical.INSTANCE;
                }
            }
            default -> throw NotCanonical.INSTANCE;
        }
        if (value != null) {
            value.append(c);
            if (low != 0) {
                value.append(low);
            }
        }
    }

    /** Four upper-case hex digits after a backslash and 'u'. */
    private char hex4() {
        int c = hex(in[at]) << 12 | hex(in[at + 1]) << 8 | hex(in[at + 2]) << 4 | hex(in[at + 3]);
        at += 4;
        return (char) c;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        throw NotCanonical.INSTANCE;
    }

    /**
     * The end of the well-formed UTF-8 sequence of a character of the BMP at {@code i} (Unicode's table 3-7); the
     * encoder writes the others as escaped surrogate pairs, never as four bytes.
     */
    private int utf8(int i) {
        int b0 = in[i] & 0xFF;
        int length;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            length = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            length = 3;
            if (b0 == 0xE0) {
                lo = 0xA0;
            } else if (b0 == 0xED) {
                hi = 0x9F; // no surrogates
            }
        } else {
            throw NotCanonical.INSTANCE;
        }
        int b1 = in[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            throw NotCanonical.INSTANCE;
        }
        for (int k = 2; k < length; k++) {
            if ((in[i + k] & 0xC0) != 0x80) {
                throw NotCanonical.INSTANCE;
            }
        }
        return i + length;
    }

    /** An int as written by the encoder: no sign but '-', no leading zero, no fraction or exponent, in range. */
    private int integer() {
        byte[] bytes = in;
        int i = at;
        boolean negative = bytes[i] == '-';
        if (negative) {
            i++;
        }
        int first = i;
        long value = 0;
        int b;
        while ((b = bytes[i]) >= '0' && b <= '9' && i - first < 10) {
            value = value * 10 + (b - '0');
            i++;
        }
        int digits = i - first;
        if (digits == 0 || digits > 1 && bytes[first] == '0' || b >= '0' && b <= '9' || negative && value == 0
                || value > (negative ? Integer.MAX_VALUE + 1L : Integer.MAX_VALUE)) {
            throw NotCanonical.INSTANCE;
        }
        at = i;
        return (int) (negative ? -value : value);
    }

    private boolean startsWith(byte[] literal) {
        if (at + literal.length > in.length) {
            return false;
        }
        for (int i = 0; i < literal.length; i++) {
            if (in[at + i] != literal[i]) {
                return false;
            }
        }
        return true;
    }

    private void expect(byte[] literal) {
        if (!startsWith(literal)) {
            throw NotCanonical.INSTANCE;
        }
        at += literal.length;
    }

    private void expect(byte b) {
        if (in[at] != b) {
            throw NotCanonical.INSTANCE;
        }
        at++;
    }

    private static byte[] ascii(String literal) {
        return literal.getBytes(StandardCharsets.US_ASCII);
    }

    /** Thrown at the first byte that is not canonical; no stack trace, one instance: it is control flow. */
    private static final class NotCanonical extends RuntimeException {
        static final NotCanonical INSTANCE = new NotCanonical();

        private NotCanonical() {
            super("not canonical", null, false, false);
        }
    }
}
