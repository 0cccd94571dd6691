package dev.pooltasks.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, written and read by hand, so that bytes no HTTP client would send (broken
 * percent-encoding, raw control characters, odd request lines, repeated or malformed headers) reach the server as they
 * are. One request per connection; the response is read by its framing (Content-Length, chunked, or until the server
 * closes), 1xx interim responses are skipped.
 */
final class RawHttp {
    /** Larger answers are a failure in themselves here. */
    private static final int MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

    private RawHttp() {
    }

    /** What became of the connection after the response (or instead of one). */
    enum Connection {
        /** The server closed it (or reset it) after the response. */
        CLOSED,
        /** Still open when we stopped waiting (or not checked). */
        OPEN,
        /** The server sent more bytes after the response (e.g. a second response): always a failure. */
        EXTRA_BYTES
    }

    /**
     * One exchange.
     *
     * @param response   the response, or null if the server closed the connection without one
     * @param connection what became of the connection afterwards
     * @param problem    why no complete response was read (null if one was), e.g. a timeout
     */
    record Exchange(Response response, Connection connection, String problem) {
    }

    /** A response: status line, headers in order, body (de-chunked). */
    record Response(String statusLine, int status, List<Map.Entry<String, String>> headers, byte[] body) {
        /** The first value of a header (case-insensitive), or null. */
        String header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? null : values.get(0);
        }

        List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (Map.Entry<String, String> header : headers) {
                if (header.getKey().equalsIgnoreCase(name)) {
                    values.add(header.getValue());
                }
            }
            return values;
        }

        /** The body as UTF-8 (malformed bytes replaced). */
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder(statusLine);
            headers.forEach(header -> out.append(" | ").append(header.getKey()).append(": ").append(header.getValue()));
            String text = text();
            out.append(" | body(").append(body.length).append("): ")
                    .append(escape(text.length() > 400 ? text.substring(0, 400) + "..." : text));
            return out.toString();
        }
    }

    /**
     * Sends the bytes and reads one response.
     *
     * @param head           whether the request was a HEAD (its response has no body whatever the headers say)
     * @param waitForClose   how long to wait, after the response, for the server to close the connection; zero to
     *                       not check (the connection is then reported {@link Connection#OPEN})
     */
    static Exchange send(int port, byte[] request, boolean head, Duration readTimeout, Duration waitForClose) {
        return send(port, request, head, readTimeout, response -> waitForClose);
    }

    /** As above, deciding from the response how long to wait for the server to close the connection. */
    static Exchange send(int port, byte[] request, boolean head, Duration readTimeout,
                         java.util.function.Function<Response, Duration> waitForClose) {
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            } catch (IOException e) {
                // Not a closed connection: there never was one.
                return new Exchange(null, Connection.OPEN, "could not connect: " + e);
            }
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before it has read everything (e.g. oversized headers): read on.
            }
            InputStream in = socket.getInputStream();
            Response response;
            try {
                response = read(in, head);
            } catch (SocketTimeoutException e) {
                return new Exchange(null, Connection.OPEN, "no complete response within " + readTimeout);
            } catch (SocketException e) {
                return new Exchange(null, Connection.CLOSED, "connection reset before a complete response: " + e);
            }
            if (response == null) {
                return new Exchange(null, Connection.CLOSED, "closed without a response");
            }
            if (response.status < 0) {
                return new Exchange(response, Connection.CLOSED, null);
            }
            Duration wait = waitForClose.apply(response);
            if (wait.isZero()) {
                return new Exchange(response, Connection.OPEN, null);
            }
            socket.setSoTimeout((int) wait.toMillis());
            try {
                int next = in.read();
                return new Exchange(response, next < 0 ? Connection.CLOSED : Connection.EXTRA_BYTES, null);
            } catch (SocketTimeoutException e) {
                return new Exchange(response, Connection.OPEN, null);
            } catch (SocketException e) {
                return new Exchange(response, Connection.CLOSED, null);
            }
        } catch (IOException | RuntimeException e) {
            return new Exchange(null, Connection.CLOSED, "I/O failure or unparsable response: " + e);
        }
    }

    /**
     * Reads one final response (skipping 1xx). Null if the stream ends before any byte. A response whose body the
     * server cut short, or whose status line is not one, comes back with status -1 (callers report it as a failure).
     */
    private static Response read(InputStream in, boolean head) throws IOException {
        while (true) {
            String head0 = readHead(in);
            if (head0 == null) {
                return null;
            }
            List<String> lines = List.of(head0.split("\r\n", -1));
            String statusLine = lines.get(0);
            int status = parseStatus(statusLine);
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isEmpty()) {
                    continue;
                }
                int colon = line.indexOf(':');
                headers.add(colon < 0 ? Map.entry(line, "")
                        : Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
            }
            Response bare = new Response(statusLine, status, List.copyOf(headers), new byte[0]);
            if (status >= 100 && status < 200) {
                continue;
            }
            if (head || status == 204 || status == 304) {
                return bare;
            }
            String transferEncoding = bare.header("Transfer-Encoding");
            String contentLength = bare.header("Content-Length");
            byte[] body;
            if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                body = readChunked(in);
            } else if (contentLength != null) {
                body = readExactly(in, Integer.parseInt(contentLength.trim()));
            } else {
                body = readToEnd(in);
            }
            return new Response(statusLine, body == null ? -1 : status, List.copyOf(headers),
                    body == null ? new byte[0] : body);
        }
    }

    private static int parseStatus(String statusLine) {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2) {
            return -1;
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The status line and headers, without the final empty line; null if the stream ends first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new SocketException("stream ended inside the response head: "
                        + escape(head.toString(StandardCharsets.ISO_8859_1)));
            }
            head.write(b);
            if (head.size() > 256 * 1024) {
                throw new IOException("response head larger than 256 KiB");
            }
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                String text = head.toString(StandardCharsets.ISO_8859_1);
                return text.substring(0, text.length() - 4);
            }
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        if (length > MAX_RESPONSE_BYTES) {
            throw new IOException("Content-Length " + length + " too large");
        }
        byte[] body = in.readNBytes(length);
        return body.length == length ? body : null;
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_RESPONSE_BYTES) {
                throw new IOException("response larger than " + MAX_RESPONSE_BYTES);
            }
        }
        return out.toByteArray();
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                return null;
            }
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                // trailers up to the empty line
                String trailer;
                do {
                    trailer = readLine(in);
                } while (trailer != null && !trailer.isEmpty());
                return out.toByteArray();
            }
            byte[] chunk = readExactly(in, size);
            if (chunk == null) {
                return null;
            }
            out.write(chunk);
            if (out.size() > MAX_RESPONSE_BYTES) {
                throw new IOException("response larger than " + MAX_RESPONSE_BYTES);
            }
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    /** Printable ASCII as is, everything else as \xHH (bytes) or \\uHHHH (chars), for messages. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '\\') {
                out.append(c);
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** The request bytes for messages: ISO-8859-1 decoded, escaped, long runs shortened. */
    static String describe(byte[] request, int max) {
        String text = escape(new String(request, StandardCharsets.ISO_8859_1));
        return text.length() <= max ? text : text.substring(0, max / 2) + " ...(" + request.length + " bytes)... "
                + text.substring(text.length() - max / 2);
    }
}
