package dev.ivr.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP ports that the system found free just now, for a port that must be known before anything binds it. Another
 * process may take the port between the pick and the bind (less likely below the ephemeral range, where they are
 * picked): use port 0 wherever the code allows it. An ivr server, in this JVM or in another process, takes port 0
 * for every listener ({@code agi.port}, {@code http.port}, {@code speech.port}, {@code cluster.port}) and reports the
 * ports it bound in {@code <data-dir>/ports.json} ({@link ProcessReports#await} waits for it); a member that joins
 * is told the port bound (in ivr-server's tests {@code TestConfigs.joining}; {@link TestCluster} does the same);
 * the system tier's Asterisk is told the FastAGI port over AMI. What is left for a picked port:
 * <ul>
 *   <li>configuration written before anything runs that names a port: Asterisk's own listeners (the system tier:
 *       SIP, AMI, the RTP range; the sipp phones its configuration names), the member list of a member that is killed and must come
 *       back on the same address, as a restarted server does on its configured port (LostCallsIT, the chaos
 *       run);</li>
 *   <li>a port where nothing listens, for what a client says then (the doctor's broken deployment, a refused
 *       connection).</li>
 * </ul>
 */
public final class FreePorts {
    private FreePorts() {
    }

    /** The ports {@link #pick} handed out in this JVM: none is handed out twice. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A port free on every local address at this moment, below the kernel's ephemeral range (Linux:
     * {@code net.ipv4.ip_local_port_range}; 32768 when it cannot be read), and not one this method returned before in
     * this JVM (a test that picks two ports, a server's AGI and HTTP ports, must not get the same one twice).
     *
     * <p>Below the range because a port is free when picked, not when bound: in the range, the kernel hands it to the
     * next socket bound to port 0 or connecting out (this JVM's Hazelcast members reconnecting, a pool's database
     * connections, another test's listener), and the server told to bind it later fails. Below it, only a process
     * that asks for that very port can take it. Also what a Hazelcast member killed and started again on the same
     * port needs: while its member is dead, another member on this host reconnecting to it can be given a port in the
     * range as its local port and connect to itself, after which the restarted member is never reached (see
     * docs/high-availability.md).
     */
    public static int pick() {
        int below = ephemeralLow();
        int from = Math.min(10000, below / 2);
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(from, below);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port)) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                // taken: another
            }
        }
        throw new IllegalStateException("no free TCP port below " + below + " that was not handed out already");
    }

    /** As {@link #pick} (whose ports are all below the ephemeral range now), for the callers that say why they need it. */
    public static int pickForCluster() {
        return pick();
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
