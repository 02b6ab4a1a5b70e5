package dev.ivr.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

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

    /**
     * A port free at this moment below the kernel's ephemeral range (Linux: {@code net.ipv4.ip_local_port_range};
     * 32768 when it cannot be read), for a Hazelcast member that is killed and started again on the same port. A
     * port from {@link #pick} lies in that range: while its member is dead, another member on this host reconnecting
     * to it can be given that very port as its local port and connect to itself, after which the restarted member
     * is never reached (see docs/high-availability.md).
     */
    public static int pickForCluster() {
        int below = ephemeralLow();
        int from = Math.min(10000, below / 2);
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(from, below);
            try (ServerSocket s = new ServerSocket(port)) {
                return s.getLocalPort();
            } catch (IOException e) {
                // taken: another
            }
        }
        throw new IllegalStateException("no free TCP port below " + below);
    }

    private static int ephemeralLow() {
        try {
            // readAllLines: Files.readString trusts the size /proc gives (0) and reads a single character
            String[] range = String.join(" ", Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")))
                    .trim().split("\\s+");
            int low = Integer.parseInt(range[0]);
            return low > 11000 ? low : 32768;
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
