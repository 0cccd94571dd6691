package dev.pooltasks.adapter.out.workspace;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.pooltasks.api.server.model.ShowDesktopPoolsScriptExecTasksResponse;
import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.EncodedTasks;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The check accepts a body exactly when it is canonical: the general path (Jackson binding the DTOs, then the mapper)
 * reads a page from it and the canonical spelling of that page (written here from the class's own description) is
 * the body, byte for byte. Then the page is that one, carrying the body, and each task's bytes, start second and id
 * are the ones written for it. Over generated bodies and their mutations, and each fast path's edges.
 */
class CanonicalAnswerTest {
    private static final ObjectReader GENERAL = new ObjectMapper()
            .readerFor(ShowDesktopPoolsScriptExecTasksResponse.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final String PLAIN = "0123456789abcdef-ABCXYZ ~!#$%&'()*+./;<=>?@^_`|";
    private static final String TRICKY = "aZ09 \"\\/\b\t\f\n\r\u0000\u0001\u001f\u007f\u0080\u00e9\u00df\u4e2d\u2028\uFEFF"
            + "\uD83D\uDE00{}[]:,";
    private static final String[] INSERTS = {" ", "\n", "\\", "\"", "\\u", "\\uD83D", "\\uDE00", "\\u001f",
            "\\u001F", "\\u0020", "\\u00e9", "\u00e9", "\u20ac", "\uD83D\uDE00", "0", "-", "9", "-0", "Z", ":", ",", "}",
            "]", "{", "\\n", "\\/", "\u0000", "\u007f", "e", ".", "null", "2147483648", "-2147483649"};
    private static final String[] NUMBERS = {"", "-", "-0", "0", "00", "01", "-01", "1", "-1", "12", "1234567",
            "12345678", "-1234567", "-12345678", "123456789", "1000000000", "2147483647", "2147483648", "-2147483648",
            "-2147483649", "9999999999", "0000000000", "1.0", "1e3", "+1", "\"1\"", "null", "1 "};
    private static final Pattern NUMBER = Pattern.compile(":(-?\\d+)");
    private static final Pattern TIME = Pattern.compile("_time\":\"");
    private static final String TIME_CHARACTERS = "0123456789-:TZ\" .aA+";

    @Test
    void everyGeneratedAnswerIsAcceptedWithItsTasksBytesUnlessItHasNoCanonicalSpelling() {
        Random random = new Random(7);
        int canonical = 0;
        for (int i = 0; i < 3000; i++) {
            Encoded encoded = encode(page(random));
            byte[] body = encoded.bytes();
            assertThat(assertReadAsCanonical(body)).as(text(body)).isEqualTo(encoded.canonical());
            canonical += encoded.canonical() ? 1 : 0;
        }
        assertThat(canonical).isGreaterThan(1000);
    }

    @Test
    void aMutatedAnswerIsAcceptedExactlyWhenItIsStillCanonical() {
        Random random = new Random(1515);
        int accepted = 0;
        for (int i = 0; i < 30_000; i++) {
            byte[] body = encode(page(random)).bytes();
            for (int m = 1 + random.nextInt(2); m > 0; m--) {
                body = mutate(body, random);
            }
            if (assertReadAsCanonical(body)) {
                accepted++;
            }
        }
        assertThat(accepted).as("some mutations keep the answer canonical").isBetween(100, 29_000);
    }

    /**
     * Strings are scanned eight bytes at a time to their first special byte: each byte value at each place of
     * strings of 0 to 20 bytes, in an id (a task's first field) and in the body's last string.
     */
    @Test
    void everyByteAtEveryPlaceOfShortStrings() {
        for (int length = 0; length <= 20; length++) {
            for (int place = 0; place < Math.max(length, 1); place++) {
                for (int b = 0; b < 256; b++) {
                    byte[] value = "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
                    if (length > 0) {
                        value[place] = (byte) b;
                    }
                    String raw = new String(value, StandardCharsets.ISO_8859_1);
                    byte[] id = body("{\"total_count\":1,\"script_execution_tasks\":[{\"id\":\"" + raw
                            + "\",\"desktop_pool_id\":\"p\",\"scripts\":[],\"start_time\":\"2026-11-26T09:14:02Z\","
                            + "\"status\":\"FINISH\",\"success_num\":1,\"failed_num\":0,\"skip_num\":0}]}");
                    assertReadAsCanonical(id);
                    byte[] last = body("{\"total_count\":1,\"script_execution_tasks\":[{\"id\":\"i\",\"desktop_pool_id\""
                            + ":\"p\",\"scripts\":[],\"start_time\":\"2026-11-26T09:14:02Z\",\"status\":\"" + raw
                            + "\",\"success_num\":1,\"failed_num\":0,\"skip_num\":0}]}");
                    assertReadAsCanonical(last);
                }
            }
        }
    }

    /** Integers are read a word at a time: each spelling in each count, the body's last one included. */
    @Test
    void everyNumberSpellingInEveryCount() {
        String template = "{\"total_count\":%s,\"script_execution_tasks\":[{\"id\":\"i\",\"desktop_pool_id\":\"p\","
                + "\"scripts\":[],\"start_time\":\"2026-11-26T09:14:02Z\",\"status\":\"S\",\"success_num\":%s,"
                + "\"failed_num\":%s,\"skip_num\":%s}]}";
        int accepted = 0;
        for (int field = 0; field < 4; field++) {
            for (String number : NUMBERS) {
                String[] values = {"3", "1", "0", "-5"};
                values[field] = number;
                if (assertReadAsCanonical(body(String.format(template, (Object[]) values)))) {
                    accepted++;
                }
            }
        }
        assertThat(accepted).isEqualTo(8 + 3 * 12); // eight spellings of a count, and four negative ones but in the total
    }

    /**
     * Times are read whole the first time a date shows and by their time of day after: each byte at each place of a
     * time whose date was read just before, and of one whose date was not.
     */
    @Test
    void everyByteAtEveryPlaceOfATimeAfterTheSameDateAndAnother() {
        String first = "2024-02-29T23:59:59Z";
        for (String base : new String[] {"2024-02-29T00:00:00Z", "2024-03-01T12:34:56Z", "2023-02-28T23:59:59Z"}) {
            for (int place = 0; place < base.length(); place++) {
                for (int b = 0; b < 128; b++) {
                    char[] time = base.toCharArray();
                    time[place] = (char) b;
                    String t = new String(time);
                    assertReadAsCanonical(body(twoTasks(first, first, t, null)));
                    assertReadAsCanonical(body(twoTasks(first, t, first, t)));
                }
            }
        }
    }

    @Test
    void anAnswerCutAnywhereOrWithAnythingAfterItIsNotCanonical() {
        byte[] body = encode(page(new Random(3))).bytes();
        for (int length = 0; length < body.length; length++) {
            assertThat(CanonicalAnswer.read(Arrays.copyOf(body, length))).isNull();
        }
        for (String after : new String[] {" ", "}", "]", "\u0000", "x"}) {
            assertThat(CanonicalAnswer.read(splice(body, body.length, 0, after.getBytes(StandardCharsets.UTF_8))))
                    .isNull();
        }
    }

    private static String twoTasks(String start1, String end1, String start2, String end2) {
        return "{\"total_count\":2,\"script_execution_tasks\":[" + task("a", start1, end1) + "," + task("b", start2, end2)
                + "]}";
    }

    private static String task(String id, String start, String end) {
        return "{\"id\":\"" + id + "\",\"desktop_pool_id\":\"p\",\"scripts\":[],\"start_time\":\"" + start + "\""
                + (end == null ? "" : ",\"end_time\":\"" + end + "\"")
                + ",\"status\":\"S\",\"success_num\":1,\"failed_num\":0,\"skip_num\":0}";
    }

    /**
     * The check's answer is the canonical one: null when the body is not canonical; else the general path's page,
     * carrying the body, each task's bytes, start second and id those written for it. Whether it was accepted.
     */
    private static boolean assertReadAsCanonical(byte[] body) {
        TaskPage general = general(body);
        Encoded canonical = general == null ? null : encode(general);
        boolean expected = canonical != null && canonical.canonical() && Arrays.equals(canonical.bytes(), body);

        TaskPage read = CanonicalAnswer.read(body);

        if (!expected) {
            assertThat(read).as("not canonical: %s", text(body)).isNull();
            return false;
        }
        assertThat(read).as(text(body)).isNotNull();
        assertThat(read.knownBody()).isSameAs(body);
        EncodedTasks tasks = (EncodedTasks) read.tasks();
        assertThat(tasks.size()).isEqualTo(general.tasks().size());
        for (int i = 0; i < tasks.size(); i++) {
            assertThat(tasks.from(i)).as(text(body)).isEqualTo(canonical.starts()[i]);
            assertThat(tasks.to(i)).as(text(body)).isEqualTo(canonical.ends()[i]);
            assertThat(tasks.startSecond(i)).isEqualTo(general.tasks().get(i).startTime().getEpochSecond());
            assertThat(tasks.id(i)).isEqualTo(general.tasks().get(i).id());
        }
        assertThat(read).isEqualTo(general);
        return true;
    }

    /** Today's general path: bind the contract's DTOs, check and map them; null when it rejects the body. */
    private static TaskPage general(byte[] body) {
        try {
            return new UpstreamTaskMapperImpl().toPage(GENERAL.readValue(body));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private record Encoded(byte[] bytes, int[] starts, int[] ends, boolean canonical) {
    }

    /**
     * The canonical spelling of a page, as the class comment describes it, with each task's bytes; not canonical when
     * a value has none (a lone surrogate, a time outside the years 0 to 9999): then only like it.
     */
    private static Encoded encode(TaskPage page) {
        StringBuilder out = new StringBuilder("{\"total_count\":").append(page.totalCount())
                .append(",\"script_execution_tasks\":[");
        List<ScriptExecutionTask> tasks = page.tasks();
        int[] starts = new int[tasks.size()];
        int[] ends = new int[tasks.size()];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = true;
        for (int i = 0; i < tasks.size(); i++) {
            ScriptExecutionTask t = tasks.get(i);
            if (i > 0) {
                out.append(',');
            }
            bytes.writeBytes(out.toString().getBytes(StandardCharsets.UTF_8));
            out.setLength(0);
            starts[i] = bytes.size();
            out.append("{\"id\":");
            ok &= string(out, t.id());
            out.append(",\"desktop_pool_id\":");
            ok &= string(out, t.desktopPoolId());
            if (t.desktopPoolName() != null) {
                out.append(",\"desktop_pool_name\":");
                ok &= string(out, t.desktopPoolName());
            }
            out.append(",\"scripts\":[");
            for (int s = 0; s < t.scripts().size(); s++) {
                out.append(s > 0 ? ",{\"id\":" : "{\"id\":");
                ok &= string(out, t.scripts().get(s).id());
                out.append(",\"name\":");
                ok &= string(out, t.scripts().get(s).name());
                out.append('}');
            }
            out.append(']');
            if (t.commandContent() != null) {
                out.append(",\"command_content\":");
                ok &= string(out, t.commandContent());
            }
            if (t.commandType() != null) {
                out.append(",\"command_type\":");
                ok &= string(out, t.commandType().value());
            }
            out.append(",\"start_time\":");
            ok &= time(out, t.startTime());
            if (t.endTime() != null) {
                out.append(",\"end_time\":");
                ok &= time(out, t.endTime());
            }
            out.append(",\"status\":");
            ok &= string(out, t.status().value());
            out.append(",\"success_num\":").append(t.successNum()).append(",\"failed_num\":").append(t.failedNum())
                    .append(",\"skip_num\":").append(t.skipNum()).append('}');
            bytes.writeBytes(out.toString().getBytes(StandardCharsets.UTF_8));
            out.setLength(0);
            ends[i] = bytes.size();
        }
        out.append("]}");
        bytes.writeBytes(out.toString().getBytes(StandardCharsets.UTF_8));
        return new Encoded(bytes.toByteArray(), starts, ends, ok);
    }

    /** Escaped as Jackson escapes: short escapes where there are some, upper-case hex, pairs beyond the BMP. */
    private static boolean string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(String.format("\\u%04X\\u%04X", (int) c, (int) value.charAt(++i)));
                    } else if (Character.isSurrogate(c)) {
                        return false;
                    } else if (c < 0x20) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        return true;
    }

    private static boolean time(StringBuilder out, Instant time) {
        String text = DateTimeFormatter.ISO_INSTANT.format(time);
        out.append('"').append(text).append('"');
        return text.length() == 20 && time.getNano() == 0;
    }

    private static TaskPage page(Random random) {
        List<ScriptExecutionTask> tasks = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            tasks.add(task(random));
        }
        int total = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> Integer.MAX_VALUE;
            default -> tasks.size() + random.nextInt(1000);
        };
        return new TaskPage(total, tasks);
    }

    private static ScriptExecutionTask task(Random random) {
        List<Script> scripts = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            scripts.add(new Script(text(random), text(random)));
        }
        boolean command = random.nextBoolean();
        Instant start = time(random);
        Instant end = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> start.plusSeconds(random.nextInt(3600)); // mostly the same date
            default -> time(random);
        };
        return new ScriptExecutionTask(text(random), text(random), random.nextBoolean() ? null : text(random), scripts,
                command ? text(random) : null, command && random.nextBoolean() ? new CommandType(text(random)) : null,
                start, end, new TaskStatus(text(random)), number(random), number(random), number(random));
    }

    /** Short or long, mostly plain, with tricky characters anywhere. */
    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(3) == 0 ? random.nextInt(48) : random.nextInt(20); i > 0; i--) {
            if (random.nextInt(10) < 8) {
                text.append(PLAIN.charAt(random.nextInt(PLAIN.length())));
                continue;
            }
            int at = random.nextInt(TRICKY.length());
            text.appendCodePoint(TRICKY.codePointAt(Character.isLowSurrogate(TRICKY.charAt(at)) ? at - 1 : at));
        }
        return text.toString();
    }

    /** Whole seconds, in the years 0 to 9999 and now and then just out of them. */
    private static Instant time(Random random) {
        return Instant.ofEpochSecond(switch (random.nextInt(10)) {
            case 0 -> -62_167_219_200L + random.nextInt(100_000) - 1000; // around 0000-01-01
            case 1 -> 253_402_300_800L - random.nextInt(100_000) + 1000; // around 10000-01-01
            default -> 1_700_000_000L + random.nextInt(100_000_000);
        });
    }

    private static int number(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> Integer.MIN_VALUE;
            case 1 -> Integer.MAX_VALUE;
            case 2 -> -random.nextInt(10);
            case 3 -> random.nextInt(100_000_000);
            default -> random.nextInt(1000);
        };
    }

    private static byte[] mutate(byte[] body, Random random) {
        if (body.length == 0) {
            return body;
        }
        int at = random.nextInt(body.length + 1);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        switch (random.nextInt(9)) {
            case 0 -> body[random.nextInt(body.length)] = (byte) random.nextInt(256);
            case 1 -> {
                int i = random.nextInt(body.length);
                body[i] = (byte) (body[i] ^ 1 << random.nextInt(8));
            }
            case 2 -> {
                return Arrays.copyOf(body, at);
            }
            case 3, 4 -> {
                return splice(body, at, 0, INSERTS[random.nextInt(INSERTS.length)].getBytes(StandardCharsets.UTF_8));
            }
            case 5 -> {
                return splice(body, at, Math.min(body.length - at, 1 + random.nextInt(4)), new byte[0]);
            }
            case 6 -> {
                // a number spelled otherwise
                List<int[]> found = new ArrayList<>();
                for (Matcher m = NUMBER.matcher(text); m.find(); ) {
                    found.add(new int[] {m.start(1), m.end(1)});
                }
                if (!found.isEmpty()) {
                    int[] f = found.get(random.nextInt(found.size()));
                    return splice(body, f[0], f[1] - f[0],
                            NUMBERS[random.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII));
                }
            }
            case 7 -> {
                // a character of a time changed
                List<Integer> found = new ArrayList<>();
                for (Matcher m = TIME.matcher(text); m.find(); ) {
                    found.add(m.end());
                }
                if (!found.isEmpty()) {
                    int i = found.get(random.nextInt(found.size())) + random.nextInt(21);
                    if (i < body.length) {
                        body[i] = (byte) TIME_CHARACTERS.charAt(random.nextInt(TIME_CHARACTERS.length()));
                    }
                }
            }
            default -> {
                // a string made longer or shorter at its end
                int quote = text.indexOf('"', at);
                if (quote > 0) {
                    return random.nextBoolean() ? splice(body, quote - 1, 1, new byte[0])
                            : splice(body, quote, 0, "y".repeat(1 + random.nextInt(9)).getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
        return body;
    }

    private static byte[] splice(byte[] body, int at, int remove, byte[] insert) {
        byte[] out = new byte[body.length - remove + insert.length];
        System.arraycopy(body, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(body, at + remove, out, at + insert.length, body.length - at - remove);
        return out;
    }

    private static byte[] body(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1.newEncoder().canEncode(text)
                ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
