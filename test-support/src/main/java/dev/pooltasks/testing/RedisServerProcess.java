package dev.pooltasks.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of a test's own (Debian's package), on a free loopback port, keeping nothing on disk, which the
 * test may stop or kill and start again on the same port, or flush: the machine's shared Redis is never touched. Also
 * a minimal client for the few commands tests use to look inside.
 */
public final class RedisServerProcess implements AutoCloseable {
    private final int port;
    private final Path log;
    private Process process;

    /** Logging to a temporary file. */
    public RedisServerProcess() {
        this(temporaryLog());
    }

    /** Logging to {@code log} (appended to). */
    public RedisServerProcess(Path log) {
        this.port = freePort();
        this.log = log;
        start();
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it (again, on the same port) and waits until it answers PING. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server (Debian package redis-server)", e);
        }
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if ("PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > giveUpAt || !process.isAlive()) {
                    throw new IllegalStateException("redis-server did not answer on port " + port + "; see " + log);
                }
            }
            pause();
        }
    }

    /** Stops it (SIGTERM), as a shutdown would for its clients: their connections close. */
    public synchronized void stop() {
        end(false);
    }

    /** Kills it (SIGKILL, as a crash): its clients' connections close, nothing is kept. */
    public synchronized void kill() {
        end(true);
    }

    @Override
    public void close() {
        kill();
    }

    /** The number of keys matching {@code pattern} (a glob, as for KEYS). */
    public long keys(String pattern) throws IOException {
        return Long.parseLong(command("EVAL", "return #redis.call('KEYS', ARGV[1])", "0", pattern));
    }

    /** Sends one command; answers a simple, integer or bulk reply as text (null for a nil), fails on an error. */
    public String command(String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(5000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String arg : args) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
                request.writeBytes(bytes);
                request.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            InputStream in = socket.getInputStream();
            String line = line(in);
            return switch (line.charAt(0)) {
                case '+', ':' -> line.substring(1);
                case '$' -> {
                    int length = Integer.parseInt(line.substring(1));
                    yield length < 0 ? null : new String(in.readNBytes(length + 2), 0, length, StandardCharsets.UTF_8);
                }
                default -> throw new IOException("redis answered " + line);
            };
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c == -1) {
                throw new IOException("redis closed the connection");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }

    /** A loopback port no one listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void end(boolean forcibly) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            if (!forcibly) {
                process.destroy();
                if (process.waitFor(10, TimeUnit.SECONDS)) {
                    return;
                }
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path temporaryLog() {
        try {
            return Files.createTempFile("pooltasks-test-redis-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
