package dev.ivr.server.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A FastAGI server made slow between commands, without touching the server: Asterisk connects here (port 0, on the
 * loopback), and each connection is passed to the real server's AGI port; what Asterisk sends goes through at once,
 * and each line the server sends (its next command) is held {@code delay} first. To Asterisk the server takes that
 * long after each reply before its next command: a starved server, as under load (the system tier saw 450 ms), while
 * the caller's keys keep coming. Asterisk drops the keys that come while no command runs.
 */
final class SlowAgiProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int serverPort;
    private final Duration delay;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    /** Lines from the server held and passed on. */
    final AtomicLong linesDelayed = new AtomicLong();

    SlowAgiProxy(int serverPort, Duration delay) throws IOException {
        this.serverPort = serverPort;
        this.delay = delay;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("slow-agi-accept").start(this::accept);
    }

    /** The port Asterisk's {@code agi://} URL names. */
    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket asterisk = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                asterisk.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(asterisk);
                sockets.add(server);
                Thread.ofVirtual().start(() -> pass(asterisk, server, false));
                Thread.ofVirtual().start(() -> pass(server, asterisk, true));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies from one side to the other, line by line; the server's lines each after the delay. */
    private void pass(Socket from, Socket to, boolean slow) {
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            int b;
            while ((b = in.read()) >= 0) {
                line.write(b);
                if (b == '\n') {
                    if (slow) {
                        Thread.sleep(delay.toMillis());
                        linesDelayed.incrementAndGet();
                    }
                    line.writeTo(out);
                    out.flush();
                    line.reset();
                }
            }
            line.writeTo(out);
            out.flush();
            to.shutdownOutput(); // the other side sees the end as it would without the proxy
        } catch (IOException | InterruptedException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
