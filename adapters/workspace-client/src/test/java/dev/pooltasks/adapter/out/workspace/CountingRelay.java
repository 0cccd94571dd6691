package dev.pooltasks.adapter.out.workspace;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay in front of a server that counts the connections open through it: what an upstream really holds. A
 * server that sleeps before answering (WireMock's fixed delay) does not notice a client closing its connection, so
 * its own journal would count requests the client has long given up; the relay sees the close at once.
 *
 * <p>One thread serves every connection. In each round it handles closes before accepting new connections, so that a
 * connection the client closed before opening another is never counted beside it.
 */
final class CountingRelay implements AutoCloseable {
    private final InetSocketAddress target;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final Thread thread;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean running = true;

    CountingRelay(int targetPort) throws IOException {
        this.target = new InetSocketAddress("127.0.0.1", targetPort);
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        this.thread = new Thread(this::run, "counting-relay");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return listener.socket().getLocalPort();
    }

    /** The most connections that were open at once. */
    int maxOpen() {
        return maxOpen.get();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    int open() {
        return open.get();
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (running) {
            try {
                selector.select(100);
                Set<SelectionKey> ready = selector.selectedKeys();
                for (SelectionKey key : ready) {
                    if (key.isValid() && key.isReadable()) {
                        pump(key, buffer);
                    }
                }
                for (SelectionKey key : ready) {
                    if (key.isValid() && key.isAcceptable()) {
                        accept();
                    }
                }
                ready.clear();
            } catch (IOException e) {
                if (running) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel client = listener.accept();
        if (client == null) {
            return;
        }
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        accepted.incrementAndGet();
        SocketChannel server = SocketChannel.open(target);
        Pair pair = new Pair(client, server);
        client.configureBlocking(false);
        server.configureBlocking(false);
        client.register(selector, SelectionKey.OP_READ, pair);
        server.register(selector, SelectionKey.OP_READ, pair);
    }

    private void pump(SelectionKey key, ByteBuffer buffer) {
        Pair pair = (Pair) key.attachment();
        SocketChannel from = (SocketChannel) key.channel();
        SocketChannel to = from == pair.client ? pair.server : pair.client;
        buffer.clear();
        try {
            if (from.read(buffer) < 0) {
                pair.close();
                return;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                to.write(buffer);
            }
        } catch (IOException e) {
            pair.close();
        }
    }

    /** A client connection and the relay's own connection to the server for it. */
    private final class Pair {
        private final SocketChannel client;
        private final SocketChannel server;
        private boolean closed;

        Pair(SocketChannel client, SocketChannel server) {
            this.client = client;
            this.server = server;
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            open.decrementAndGet();
            try {
                client.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                server.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
