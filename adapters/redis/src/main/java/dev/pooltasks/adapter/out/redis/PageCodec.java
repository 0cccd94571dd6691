package dev.pooltasks.adapter.out.redis;

import dev.pooltasks.domain.model.CommandType;
import dev.pooltasks.domain.model.Script;
import dev.pooltasks.domain.model.ScriptExecutionTask;
import dev.pooltasks.domain.model.TaskPage;
import dev.pooltasks.domain.model.TaskStatus;
import dev.pooltasks.domain.port.out.PageCache;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A cached copy as the bytes Redis keeps: compact, and readable by every replica, including one of another version
 * during a rolling upgrade. Hand-written rather than a general serializer because this format is a contract between
 * replicas: it names every field of a task explicitly (a renamed record component cannot change it silently), carries
 * a version (an unknown one reads as "no copy", so the tier loads and overwrites it), and keeps each repeated string
 * (pool ids and names, script ids and names, statuses) once, which makes a copy several times smaller than its JSON.
 *
 * <p>Layout: version byte, {@code fetchedAtMillis} (8 bytes), a byte saying whether the rest is deflated, then the
 * body: the string table (count, then each string as UTF-8 with its length), {@code totalCount}, the missing and stale
 * sources, the mirror age (0 for none, else whole seconds + 1: an answer a chained pooltasks served from its mirror),
 * and the tasks, every string as its index in the table (index + 1 where it may be null, 0 for null), numbers as
 * variable-length integers. Version 2 added the mirror age; version 1 copies read as no copy.
 */
final class PageCodec {
    static final byte VERSION = 2;
    private static final byte PLAIN = 0;
    private static final byte DEFLATED = 1;
    private static final int HEADER = 1 + 8 + 1;
    /** Bodies this small are not worth deflating. */
    private static final int DEFLATE_FROM = 256;
    /** A body never inflates beyond this (a full page is tens of KB): a corrupt value cannot fill the heap. */
    private static final int MAX_BODY = 16 << 20;

    private PageCodec() {
    }

    static byte[] encode(PageCache.Copy copy) {
        byte[] body = body(copy.page());
        byte[] packed = body.length >= DEFLATE_FROM ? deflate(body) : null;
        boolean deflated = packed != null && packed.length < body.length;
        byte[] payload = deflated ? packed : body;
        return ByteBuffer.allocate(HEADER + payload.length).put(VERSION).putLong(copy.fetchedAtMillis())
                .put(deflated ? DEFLATED : PLAIN).put(payload).array();
    }

    /** The copy these bytes hold; {@link IllegalArgumentException} if they are not a copy this version can read. */
    static PageCache.Copy decode(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != VERSION) {
            throw new IllegalArgumentException("not a page copy of version " + VERSION);
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        header.get();
        long fetchedAtMillis = header.getLong();
        byte packing = header.get();
        byte[] body;
        if (packing == DEFLATED) {
            body = inflate(bytes, HEADER);
        } else if (packing == PLAIN) {
            body = Arrays.copyOfRange(bytes, HEADER, bytes.length);
        } else {
            throw new IllegalArgumentException("unknown packing " + packing);
        }
        try {
            return new PageCache.Copy(new Reader(ByteBuffer.wrap(body)).page(), fetchedAtMillis);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a damaged page copy", e);
        }
    }

    private static byte[] body(TaskPage page) {
        Writer strings = new Writer();
        Writer tasks = new Writer();
        tasks.uint(page.totalCount());
        tasks.strings(page.missingSources(), strings);
        tasks.strings(page.staleSources(), strings);
        tasks.uint(page.mirrorAge() == null ? 0 : page.mirrorAge().getSeconds() + 1);
        tasks.uint(page.tasks().size());
        for (ScriptExecutionTask task : page.tasks()) {
            tasks.ref(task.id(), strings);
            tasks.ref(task.desktopPoolId(), strings);
            tasks.optionalRef(task.desktopPoolName(), strings);
            tasks.uint(task.scripts().size());
            for (Script script : task.scripts()) {
                tasks.ref(script.id(), strings);
                tasks.ref(script.name(), strings);
            }
            tasks.optionalRef(task.commandContent(), strings);
            tasks.optionalRef(task.commandType() == null ? null : task.commandType().value(), strings);
            tasks.instant(task.startTime());
            tasks.uint(task.endTime() == null ? 0 : 1);
            if (task.endTime() != null) {
                tasks.instant(task.endTime());
            }
            tasks.ref(task.status().value(), strings);
            tasks.sint(task.successNum());
            tasks.sint(task.failedNum());
            tasks.sint(task.skipNum());
        }
        Writer out = new Writer();
        out.uint(strings.table.size());
        for (String value : strings.table) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.uint(utf8.length);
            out.bytes.write(utf8, 0, utf8.length);
        }
        byte[] rest = tasks.bytes.toByteArray();
        out.bytes.write(rest, 0, rest.length);
        return out.bytes.toByteArray();
    }

    private static byte[] deflate(byte[] body) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(body);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2);
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] bytes, int offset) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(bytes, offset, bytes.length - offset);
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("a truncated page copy");
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY) {
                    throw new IllegalArgumentException("a page copy larger than " + MAX_BODY + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("a damaged page copy", e);
        } finally {
            inflater.end();
        }
    }

    /** Variable-length integers (7 bits a byte, low bits first) and string references into a table. */
    private static final class Writer {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        final List<String> table = new ArrayList<>();
        final Map<String, Integer> indexes = new HashMap<>();

        void uint(long value) {
            while ((value & ~0x7FL) != 0) {
                bytes.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            bytes.write((int) value);
        }

        /** Zig-zag: small negative numbers stay small. */
        void sint(long value) {
            uint((value << 1) ^ (value >> 63));
        }

        void ref(String value, Writer strings) {
            uint(strings.index(value));
        }

        void optionalRef(String value, Writer strings) {
            uint(value == null ? 0 : strings.index(value) + 1L);
        }

        void strings(Set<String> values, Writer strings) {
            uint(values.size());
            values.forEach(value -> ref(value, strings));
        }

        void instant(Instant instant) {
            sint(instant.getEpochSecond());
            uint(instant.getNano());
        }

        int index(String value) {
            return indexes.computeIfAbsent(value, v -> {
                table.add(v);
                return table.size() - 1;
            });
        }
    }

    private static final class Reader {
        private final ByteBuffer in;
        private String[] table;

        Reader(ByteBuffer in) {
            this.in = in;
        }

        TaskPage page() {
            int strings = count();
            table = new String[strings];
            for (int i = 0; i < strings; i++) {
                int length = count();
                byte[] utf8 = new byte[length];
                in.get(utf8);
                table[i] = new String(utf8, StandardCharsets.UTF_8);
            }
            int totalCount = Math.toIntExact(uint());
            Set<String> missing = stringSet();
            Set<String> stale = stringSet();
            long age = uint();
            int size = count();
            List<ScriptExecutionTask> tasks = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                String id = ref();
                String poolId = ref();
                String poolName = optionalRef();
                int scriptCount = count();
                List<Script> scripts = new ArrayList<>(scriptCount);
                for (int s = 0; s < scriptCount; s++) {
                    scripts.add(new Script(ref(), ref()));
                }
                String command = optionalRef();
                String commandType = optionalRef();
                Instant start = instant();
                Instant end = uint() == 0 ? null : instant();
                TaskStatus status = new TaskStatus(ref());
                tasks.add(new ScriptExecutionTask(id, poolId, poolName, scripts, command,
                        commandType == null ? null : new CommandType(commandType), start, end, status,
                        Math.toIntExact(sint()), Math.toIntExact(sint()), Math.toIntExact(sint())));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException("bytes after the last task");
            }
            return new TaskPage(totalCount, tasks, missing, stale, age == 0 ? null : Duration.ofSeconds(age - 1));
        }

        long uint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = in.get();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("a variable-length integer longer than 64 bits");
        }

        long sint() {
            long raw = uint();
            return (raw >>> 1) ^ -(raw & 1);
        }

        /** A count or length: never more than the bytes left, so a damaged value cannot make a huge allocation. */
        int count() {
            long value = uint();
            if (value > in.remaining()) {
                throw new IllegalArgumentException("a count beyond the end of the copy");
            }
            return (int) value;
        }

        String ref() {
            return table[Math.toIntExact(uint())];
        }

        String optionalRef() {
            long value = uint();
            return value == 0 ? null : table[Math.toIntExact(value - 1)];
        }

        Set<String> stringSet() {
            int size = count();
            Set<String> values = new TreeSet<>();
            for (int i = 0; i < size; i++) {
                values.add(ref());
            }
            return values;
        }

        Instant instant() {
            return Instant.ofEpochSecond(sint(), uint());
        }
    }
}
