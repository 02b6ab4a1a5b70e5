package dev.ivr.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * TCP ports that the system found free just now, for what a test cannot bind to port 0 itself (a server started
 * in another process, Hazelcast members that must know each other's ports in advance). Another process may take
 * the port before the test binds it: use port 0 wherever the code allows it.
 */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port free on every local address at this moment. */
    public static int pick() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port: " + e.getMessage(), e);
        }
    }
}
