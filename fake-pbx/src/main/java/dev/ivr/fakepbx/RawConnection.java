package dev.ivr.fakepbx;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A bare socket to the server, for sending what no real Asterisk would. */
public final class RawConnection implements Closeable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedReader in;

    RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    public RawConnection send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    public RawConnection sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** The next line from the server, or null if it closed the connection first. */
    public String readLine(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        return in.readLine();
    }

    /**
     * Whether the server closes the connection within {@code timeout}; lines it sends before
     * closing are read and ignored.
     */
    public boolean closedByServerWithin(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                if (in.readLine() == null) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by peer: closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
