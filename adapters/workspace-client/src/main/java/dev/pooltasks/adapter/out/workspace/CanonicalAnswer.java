package dev.pooltasks.adapter.out.workspace;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.EncodedTasks;
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
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an answer body written exactly as this service writes one (the REST adapter's encoder: the contract's field
 * order, no whitespace, absent values omitted, {@code scripts} always present, times as {@code yyyy-MM-ddTHH:mm:ssZ},
 * strings escaped as Jackson escapes them, characters beyond the BMP as escaped surrogate pairs, UTF-8 well formed). Such
 * a body is what the API would send for the page it holds, so the page carries it and is answered without being
 * written again; and each task's bytes are what the API writes for that task, so its tasks are {@link EncodedTasks}:
 * every byte is checked at once, but a task is made only when asked for, and a merged answer copies its bytes.
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
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    // What a task's check compares the field names with.
    private static final long ID_WORD = word(ID, 0); // seven bytes, compared masked
    private static final FieldName POOL_ID_FIELD = FieldName.of(POOL_ID);
    private static final FieldName POOL_NAME_FIELD = FieldName.of(POOL_NAME);
    private static final FieldName SCRIPTS_FIELD = FieldName.of(SCRIPTS);
    private static final FieldName NAME_FIELD = FieldName.of(NAME);
    private static final FieldName COMMAND_CONTENT_FIELD = FieldName.of(COMMAND_CONTENT);
    private static final FieldName COMMAND_TYPE_FIELD = FieldName.of(COMMAND_TYPE);
    private static final FieldName START_TIME_FIELD = FieldName.of(START_TIME);
    private static final FieldName END_TIME_FIELD = FieldName.of(END_TIME);
    private static final FieldName STATUS_FIELD = FieldName.of(STATUS);
    private static final FieldName SUCCESS_NUM_FIELD = FieldName.of(SUCCESS_NUM);
    private static final FieldName FAILED_NUM_FIELD = FieldName.of(FAILED_NUM);
    private static final FieldName SKIP_NUM_FIELD = FieldName.of(SKIP_NUM);

    private final byte[] in;
    private int at;
    /** Where each task starts and ends, and its start time, as the check of a whole answer passes them. */
    private int[] starts;
    private int[] ends;
    private long[] startSeconds;
    private int count;
    /** The start time of the task read last, in seconds since the epoch. */
    private long lastStart;
    /** The date bytes of the last valid time read, and its day's first second; none yet. */
    private long knownDate;
    private int knownDay;
    private long knownDayStart = UtcTime.NOT_A_TIME;
    /** For checking escapes without keeping the string. */
    private StringBuilder scratch;

    private CanonicalAnswer(byte[] in, int at) {
        this.in = in;
        this.at = at;
    }

    /** The page {@code body} holds, carrying {@code body} as its answer body; null unless it is written canonically. */
    static TaskPage read(byte[] body) {
        try {
            return new CanonicalAnswer(body, 0).page();
        } catch (NotCanonical | IndexOutOfBoundsException e) {
            // Truncated input runs off the end: not canonical either.
            return null;
        }
    }

    private TaskPage page() {
        // Only a whole answer's check needs them (not making one task of a checked answer).
        starts = new int[16];
        ends = new int[16];
        startSeconds = new long[16];
        expect(TOTAL);
        int total = integer();
        if (total < 0) {
            throw NotCanonical.INSTANCE;
        }
        expect(TASKS);
        if (in[at] != ']') {
            check();
            while (in[at] == ',') {
                at++;
                check();
            }
        }
        expect((byte) ']');
        expect((byte) '}');
        if (at != in.length) {
            throw NotCanonical.INSTANCE;
        }
        return new TaskPage(total, new Tasks(in, Arrays.copyOf(starts, count), Arrays.copyOf(ends, count),
                Arrays.copyOf(startSeconds, count))).withBody(in);
    }

    /** Checks the task at {@code at} and notes where it is, without making it. */
    private void check() {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
            startSeconds = Arrays.copyOf(startSeconds, count * 2);
        }
        starts[count] = at;
        at = checkTask(in, at);
        startSeconds[count] = lastStart;
        ends[count] = at;
        count++;
    }

    /**
     * Checks the task at {@code i} without making it and returns where it ends, the position kept in a local and the
     * field names compared as constant words: what a whole answer's check spends its time on. It accepts exactly what
     * {@link #task} accepts and ends at the same place (CanonicalAnswerTest holds them to it); it reads a word where
     * that reads bytes, and a word past the body's end only where that would fail as well (every field of a task is
     * followed by at least the body's closing {@code ]}}).
     */
    private int checkTask(byte[] b, int i) {
        if ((((long) LONGS.get(b, i) ^ ID_WORD) & 0x00FF_FFFF_FFFF_FFFFL) != 0) { // {"id":" is seven bytes
            throw NotCanonical.INSTANCE;
        }
        i = skipString(b, i + ID.length);
        i = skipString(b, key(b, i, POOL_ID_FIELD));
        if (has(b, i, POOL_NAME_FIELD)) {
            i = skipString(b, i + POOL_NAME.length);
        }
        i = key(b, i, SCRIPTS_FIELD);
        if (b[i] != ']') {
            i = checkScript(b, i);
            while (b[i] == ',') {
                i = checkScript(b, i + 1);
            }
        }
        if (b[i] != ']') {
            throw NotCanonical.INSTANCE;
        }
        i++;
        if (has(b, i, COMMAND_CONTENT_FIELD)) {
            i = skipString(b, i + COMMAND_CONTENT.length);
        }
        if (has(b, i, COMMAND_TYPE_FIELD)) {
            i = skipString(b, i + COMMAND_TYPE.length);
        }
        i = key(b, i, START_TIME_FIELD);
        at = i;
        long start = time();
        i = at;
        if (has(b, i, END_TIME_FIELD)) {
            at = i + END_TIME.length;
            time();
            i = at;
        }
        i = skipString(b, key(b, i, STATUS_FIELD));
        i = skipInteger(b, key(b, i, SUCCESS_NUM_FIELD));
        i = skipInteger(b, key(b, i, FAILED_NUM_FIELD));
        i = skipInteger(b, key(b, i, SKIP_NUM_FIELD));
        if (b[i] != '}') {
            throw NotCanonical.INSTANCE;
        }
        lastStart = start;
        return i + 1;
    }

    /** {@link #script} only checked, from {@code i}; where it ends. */
    private int checkScript(byte[] b, int i) {
        if ((((long) LONGS.get(b, i) ^ ID_WORD) & 0x00FF_FFFF_FFFF_FFFFL) != 0) {
            throw NotCanonical.INSTANCE;
        }
        i = skipString(b, i + ID.length);
        i = skipString(b, key(b, i, NAME_FIELD));
        if (b[i] != '}') {
            throw NotCanonical.INSTANCE;
        }
        return i + 1;
    }

    /**
     * {@link #string} only checked, from {@code i} (after the opening quote); where it ends, past its closing quote.
     * No byte-by-byte tail: a string in a task is followed by more than eight bytes of the body.
     */
    private int skipString(byte[] b, int i) {
        int start = i;
        long found;
        while ((found = special((long) LONGS.get(b, i))) == 0) {
            i += Long.BYTES;
        }
        i += Long.numberOfTrailingZeros(found) >>> 3;
        if (b[i] == '"') {
            return i + 1;
        }
        at = i;
        unusualString(start, false);
        return at;
    }

    /**
     * {@link #integer} only checked, from {@code i}; where it ends. Up to seven digits (never out of range) are found
     * in one word: a byte is a digit when, less '0', it is below 10 (its high nibble zero, and still zero after adding
     * 6; a carry out of a byte that is not a digit only reaches later bytes).
     */
    private int skipInteger(byte[] b, int i) {
        int first = b[i] == '-' ? i + 1 : i;
        if (first + Long.BYTES <= b.length) {
            long word = (long) LONGS.get(b, first) ^ 0x3030_3030_3030_3030L;
            long notDigit = (word | word + 0x0606_0606_0606_0606L) & 0xF0F0_F0F0_F0F0_F0F0L;
            int digits = Long.numberOfTrailingZeros(notDigit) >>> 3;
            if (digits < Long.BYTES) {
                // no digit; a leading zero; "-0"
                if (digits == 0 || (word & 0xFF) == 0 && (digits > 1 || first != i)) {
                    throw NotCanonical.INSTANCE;
                }
                return first + digits;
            }
        }
        at = i;
        integer();
        return at;
    }

    /** Past the field name at {@code i} (as {@link #has}), which must be there. */
    private static int key(byte[] b, int i, FieldName name) {
        if (!has(b, i, name)) {
            throw NotCanonical.INSTANCE;
        }
        return i + name.length();
    }

    /** Whether the bytes at {@code i} are the field name {@code name} (9 to 24 bytes). */
    private static boolean has(byte[] b, int i, FieldName name) {
        int length = name.length();
        return (long) LONGS.get(b, i) == name.first()
                && (length <= 2 * Long.BYTES || (long) LONGS.get(b, i + Long.BYTES) == name.second())
                && (long) LONGS.get(b, i + length - Long.BYTES) == name.last();
    }

    /**
     * A field name of 9 to 24 bytes as little-endian words: its first eight bytes, the next eight (zero-padded) and its
     * last eight (overlapping the others). A record, so that the JIT folds the fields of a constant one.
     */
    private record FieldName(long first, long second, long last, int length) {
        static FieldName of(byte[] literal) {
            return new FieldName(word(literal, 0), word(literal, Long.BYTES), word(literal, literal.length - Long.BYTES),
                    literal.length);
        }
    }

    /**
     * The task at {@code at}, made from bytes {@link #checkTask} accepted: it must accept the same, so that a task
     * checked once is made later without fail.
     */
    private ScriptExecutionTask task() {
        expect(ID);
        String id = string();
        expect(POOL_ID);
        String poolId = string();
        String poolName = optionalString(POOL_NAME);
        expect(SCRIPTS);
        List<Script> scripts = new ArrayList<>();
        if (in[at] != ']') {
            script(scripts);
            while (in[at] == ',') {
                at++;
                script(scripts);
            }
        }
        expect((byte) ']');
        String commandContent = optionalString(COMMAND_CONTENT);
        String commandType = optionalString(COMMAND_TYPE);
        expect(START_TIME);
        long start = time();
        long end = UtcTime.NOT_A_TIME;
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
        return new ScriptExecutionTask(id, poolId, poolName, scripts, commandContent,
                commandType == null ? null : new CommandType(commandType), Instant.ofEpochSecond(start),
                end == UtcTime.NOT_A_TIME ? null : Instant.ofEpochSecond(end), new TaskStatus(status),
                success, failed, skip);
    }

    /** One script, added to {@code scripts}. */
    private void script(List<Script> scripts) {
        expect(ID);
        String id = string();
        expect(NAME);
        String name = string();
        expect((byte) '}');
        scripts.add(new Script(id, name));
    }

    private String optionalString(byte[] key) {
        if (!startsWith(key)) {
            return null;
        }
        at += key.length;
        return string();
    }

    /**
     * A time as the API writes it, which is also how it reads back (any other spelling would be normalised), in
     * seconds since the epoch: checking an answer makes no {@code Instant}.
     */
    private long time() {
        long time;
        long date = (long) LONGS.get(in, at); // yyyy-MM-
        int day = (short) SHORTS.get(in, at + Long.BYTES); // dd
        if (date == knownDate && day == knownDay && knownDayStart != UtcTime.NOT_A_TIME) {
            // The date read before (most times of an answer share a few): only the time of day is left to read.
            int second = UtcTime.secondOfDay(in, at);
            time = second < 0 ? UtcTime.NOT_A_TIME : knownDayStart + second;
        } else {
            time = UtcTime.epochSecond(in, at);
            if (time != UtcTime.NOT_A_TIME) {
                knownDate = date;
                knownDay = day;
                knownDayStart = time - Math.floorMod(time, 86_400);
            }
        }
        if (time == UtcTime.NOT_A_TIME || in[at + UtcTime.LENGTH] != '"') {
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
        // Eight bytes at a time up to the first special one; byte by byte only within the body's last eight bytes.
        while (i + Long.BYTES <= bytes.length) {
            long found = special((long) LONGS.get(bytes, i));
            if (found != 0) {
                i += Long.numberOfTrailingZeros(found) >>> 3;
                break;
            }
            i += Long.BYTES;
        }
        int b;
        // Printable ASCII but the quote and the backslash; bytes of non-ASCII characters are negative.
        while ((b = bytes[i]) >= 0x20 && b != '"' && b != '\\') {
            i++;
        }
        at = i;
        if (b != '"') {
            return unusualString(start, true);
        }
        at++;
        return new String(bytes, start, i - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * The top bit of each of eight bytes (little-endian: the first byte lowest) that is a quote, a backslash, below
     * 0x20 or above 0x7F, exact up to the first such byte; zero when there is none. SWAR over the bytes below 0x80
     * (the others set it themselves): flipping bit 1 moves the quote to 0x20 and keeps the rest of 0x00-0x23 on the
     * same side of 0x21, so less 0x21 a quote or a control character sets it; less 1, a byte xor'ed with the
     * backslash sets it for the backslash. A borrow starts only at such a byte and reaches only later ones.
     */
    private static long special(long word) {
        long quoteOrControl = (word ^ 0x0202020202020202L) - 0x2121212121212121L;
        long backslash = (word ^ 0x5C5C5C5C5C5C5C5CL) - 0x0101010101010101L;
        return (quoteOrControl | backslash | word) & 0x8080808080808080L;
    }

    /**
     * The rest of a string from its first byte that is not printable ASCII (or is a quote or a backslash); when not
     * {@code make}, only checked (null).
     */
    private String unusualString(int start, boolean make) {
        StringBuilder escaped = null;
        int run = start;
        while (true) {
            int b = in[at];
            if (b == '"') {
                if (!make) {
                    at++;
                    return null;
                }
                String tail = new String(in, run, at - run, StandardCharsets.UTF_8);
                at++;
                return escaped == null ? tail : escaped.append(tail).toString();
            }
            if (b == '\\') {
                if (!make) {
                    if (scratch == null) {
                        scratch = new StringBuilder();
                    }
                    scratch.setLength(0);
                    escape(scratch);
                    run = at;
                    continue;
                }
                if (escaped == null) {
                    escaped = new StringBuilder();
                }
                escaped.append(new String(in, run, at - run, StandardCharsets.UTF_8));
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

    /** One escape, from its backslash, appended to {@code value}; only those the encoder writes. */
    private void escape(StringBuilder value) {
        int b = in[at + 1];
        at += 2;
        switch (b) {
            case '"' -> value.append('"');
            case '\\' -> value.append('\\');
            case 'b' -> value.append('\b');
            case 't' -> value.append('\t');
            case 'f' -> value.append('\f');
            case 'n' -> value.append('\n');
            case 'r' -> value.append('\r');
            case 'u' -> {
                char c = hex4();
                if (c < 0x20 && c != '\b' && c != '\t' && c != '\f' && c != '\n' && c != '\r') {
                    value.append(c);
                } else if (Character.isHighSurrogate(c) && in[at] == '\\' && in[at + 1] == 'u') {
                    // A character beyond the BMP: the encoder writes its surrogate pair as two escapes.
                    at += 2;
                    char low = hex4();
                    if (!Character.isLowSurrogate(low)) {
                        throw NotCanonical.INSTANCE;
                    }
                    value.append(c).append(low);
                } else {
                    throw NotCanonical.INSTANCE;
                }
            }
            default -> throw NotCanonical.INSTANCE;
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

    /**
     * Whether the bytes at {@code at} are {@code literal}: eight at a time (a task is about a third field names), the
     * last eight overlapping the word before them when the length is not a multiple of eight.
     */
    private boolean startsWith(byte[] literal) {
        int length = literal.length;
        if (at + length > in.length) {
            return false;
        }
        if (length < Long.BYTES) {
            for (int i = 0; i < length; i++) {
                if (in[at + i] != literal[i]) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < length - Long.BYTES; i += Long.BYTES) {
            if ((long) LONGS.get(in, at + i) != (long) LONGS.get(literal, i)) {
                return false;
            }
        }
        return (long) LONGS.get(in, at + length - Long.BYTES) == (long) LONGS.get(literal, length - Long.BYTES);
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

    /** The eight bytes of {@code literal} from {@code from}, zero past its end. */
    private static long word(byte[] literal, int from) {
        return (long) LONGS.get(Arrays.copyOf(literal, from + Long.BYTES), from);
    }

    /**
     * The tasks of a canonical answer, checked already: each made (and its id read) when first asked for. Two threads
     * may make one task at once; both get equal tasks.
     */
    private static final class Tasks extends AbstractList<ScriptExecutionTask> implements EncodedTasks {
        private final byte[] body;
        private final int[] starts;
        private final int[] ends;
        private final long[] startSeconds;
        private final ScriptExecutionTask[] made;
        private final String[] ids;

        Tasks(byte[] body, int[] starts, int[] ends, long[] startSeconds) {
            this.body = body;
            this.starts = starts;
            this.ends = ends;
            this.startSeconds = startSeconds;
            this.made = new ScriptExecutionTask[starts.length];
            this.ids = new String[starts.length];
        }

        @Override
        public ScriptExecutionTask get(int index) {
            ScriptExecutionTask task = made[index];
            if (task == null) {
                task = new CanonicalAnswer(body, starts[index]).task();
                made[index] = task;
            }
            return task;
        }

        @Override
        public int size() {
            return starts.length;
        }

        @Override
        public long startSecond(int index) {
            return startSeconds[index];
        }

        @Override
        public String id(int index) {
            String id = ids[index];
            if (id == null) {
                ScriptExecutionTask task = made[index];
                id = task != null ? task.id() : new CanonicalAnswer(body, starts[index] + ID.length).string();
                ids[index] = id;
            }
            return id;
        }

        @Override
        public byte[] bytes(int index) {
            return body;
        }

        @Override
        public int from(int index) {
            return starts[index];
        }

        @Override
        public int to(int index) {
            return ends[index];
        }
    }

    /** Thrown at the first byte that is not canonical; no stack trace, one instance: it is control flow. */
    private static final class NotCanonical extends RuntimeException {
        static final NotCanonical INSTANCE = new NotCanonical();

        private NotCanonical() {
            super("not canonical", null, false, false);
        }
    }
}
