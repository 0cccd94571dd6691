package dev.pooltasks.adapter.out.redis;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The frame around every shared copy's body: a version byte, the copy's {@code fetchedAtMillis} (8 bytes), a byte
 * saying whether the body is deflated, then the body. Each codec has its own version; bytes of another version, or of
 * another kind of copy, read as "no copy" (an {@link IllegalArgumentException}), so the tier loads and overwrites
 * them.
 */
final class CopyEnvelope {
    private static final byte PLAIN = 0;
    private static final byte DEFLATED = 1;
    private static final int HEADER = 1 + 8 + 1;
    /** Bodies this small are not worth deflating. */
    private static final int DEFLATE_FROM = 256;
    /** A body never inflates beyond this (a full page is tens of KB): a corrupt value cannot fill the heap. */
    private static final int MAX_BODY = 16 << 20;

    private CopyEnvelope() {
    }

    /** A body as it opened: the copy's fetch time and its bytes, inflated. */
    record Opened(long fetchedAtMillis, byte[] body) {
    }

    static byte[] seal(byte version, long fetchedAtMillis, byte[] body) {
        byte[] packed = body.length >= DEFLATE_FROM ? deflate(body) : null;
        boolean deflated = packed != null && packed.length < body.length;
        byte[] payload = deflated ? packed : body;
        return ByteBuffer.allocate(HEADER + payload.length).put(version).putLong(fetchedAtMillis)
                .put(deflated ? DEFLATED : PLAIN).put(payload).array();
    }

    /**
     * The body of a copy of this version; {@link IllegalArgumentException} if these bytes are not one.
     *
     * @param what the kind of copy, for messages ("page copy")
     */
    static Opened open(byte[] bytes, byte version, String what) {
        if (bytes.length < HEADER || bytes[0] != version) {
            throw new IllegalArgumentException("not a " + what + " of version " + version);
        }
        ByteBuffer header = ByteBuffer.wrap(bytes);
        header.get();
        long fetchedAtMillis = header.getLong();
        byte packing = header.get();
        if (packing == DEFLATED) {
            return new Opened(fetchedAtMillis, inflate(bytes, what));
        }
        if (packing == PLAIN) {
            return new Opened(fetchedAtMillis, Arrays.copyOfRange(bytes, HEADER, bytes.length));
        }
        throw new IllegalArgumentException("unknown packing " + packing);
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

    private static byte[] inflate(byte[] bytes, String what) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(bytes, HEADER, bytes.length - HEADER);
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("a truncated " + what);
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY) {
                    throw new IllegalArgumentException("a " + what + " larger than " + MAX_BODY + " bytes");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("a damaged " + what, e);
        } finally {
            inflater.end();
        }
    }
}
