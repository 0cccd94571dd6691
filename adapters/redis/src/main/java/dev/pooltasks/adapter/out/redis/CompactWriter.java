package dev.pooltasks.adapter.out.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the body of a shared copy ({@link PageCodec}, {@link StatisticsCodec}): variable-length integers (7 bits a
 * byte, low bits first) and strings as indexes into a table that holds each string once. {@link #body()} is the table
 * (count, then each string as UTF-8 with its length) followed by what was written; {@link CompactReader} reads it.
 */
final class CompactWriter {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
    private final List<String> table = new ArrayList<>();
    private final Map<String, Integer> indexes = new HashMap<>();

    void uint(long value) {
        write(bytes, value);
    }

    /** Zig-zag: small negative numbers stay small. */
    void sint(long value) {
        uint((value << 1) ^ (value >> 63));
    }

    void ref(String value) {
        uint(index(value));
    }

    /** A string that may be null: its index + 1, 0 for null. */
    void optionalRef(String value) {
        uint(value == null ? 0 : index(value) + 1L);
    }

    void strings(Set<String> values) {
        uint(values.size());
        values.forEach(this::ref);
    }

    void instant(Instant instant) {
        sint(instant.getEpochSecond());
        uint(instant.getNano());
    }

    /** An instant that may be null: a 0 for null, else a 1 and the instant. */
    void optionalInstant(Instant instant) {
        uint(instant == null ? 0 : 1);
        if (instant != null) {
            instant(instant);
        }
    }

    /** The string table, then everything written. */
    byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.size() + 64 * table.size() + 8);
        write(out, table.size());
        for (String value : table) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            write(out, utf8.length);
            out.write(utf8, 0, utf8.length);
        }
        out.write(bytes.toByteArray(), 0, bytes.size());
        return out.toByteArray();
    }

    private int index(String value) {
        return indexes.computeIfAbsent(value, v -> {
            table.add(v);
            return table.size() - 1;
        });
    }

    private static void write(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
