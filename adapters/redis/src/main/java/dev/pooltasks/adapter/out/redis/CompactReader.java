package dev.pooltasks.adapter.out.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads what {@link CompactWriter} wrote. Damaged bytes raise a runtime exception (never a huge allocation: every count
 * is checked against the bytes left), which the codecs turn into "not a copy".
 */
final class CompactReader {
    private final ByteBuffer in;
    private final String[] table;

    /** Reads the string table at the start of {@code body}. */
    CompactReader(byte[] body) {
        this.in = ByteBuffer.wrap(body);
        int strings = count();
        table = new String[strings];
        for (int i = 0; i < strings; i++) {
            byte[] utf8 = new byte[count()];
            in.get(utf8);
            table[i] = new String(utf8, StandardCharsets.UTF_8);
        }
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

    Instant optionalInstant() {
        return uint() == 0 ? null : instant();
    }

    /** Fails if anything is left: a copy ends exactly where its last field does. */
    void end(String what) {
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("bytes after the " + what);
        }
    }
}
