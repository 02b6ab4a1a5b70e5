package dev.ivr.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP ports that the system found free just now, for what a test cannot bind to port 0 itself (a server started
 * in another process, Hazelcast members that must know each other's ports in advance). Another process may take
 * the port before the test binds it: use port 0 wherever the code allows it.
 */
public final class FreePorts {
    private FreePorts() {
    }

    /** The ports {@link #pick} handed out in this JVM: none is handed out twice. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port free on every local address at this moment, and not one this method returned before in this JVM: the
     * kernel may give a port just closed again at once, and a test that picks two ports (a server's AGI and HTTP
     * ports) must not get the same one twice.
     */
    public static int pick() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket s = new ServerSocket(0)) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free TCP port: " + e.getMessage(), e);
            }
        }
        throw new IllegalStateException("no free TCP port that was not handed out already");
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
