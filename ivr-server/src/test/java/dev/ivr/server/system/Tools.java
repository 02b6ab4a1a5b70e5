package dev.ivr.server.system;

import dev.ivr.testsupport.FreePorts;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/** Small things the system tier needs: free ports on loopback, programs on the PATH, running a command. */
final class Tools {
    private Tools() {
    }

    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * A TCP port free now, for Asterisk's configuration written before anything binds it: {@link FreePorts#pick},
     * below the kernel's ephemeral range, where no port-0 bind or outgoing connection of another test can take it
     * before its listener binds it (other tests run on this machine: never a fixed port).
     *
     * <p>Only for Asterisk's own listeners (AMI here, SIP with {@link #freeTcpAndUdpPort}; the RTP range and the sipp
     * phones' ports come from {@link #freeUdpRange}): Asterisk takes its ports from its configuration files, has no
     * "any free port" for them and does not report the ports it bound, and the static phones' contacts name their
     * sipp's port in that configuration too. The ivr servers bind port 0 (FastAGI, HTTP, AudioSocket, the cluster) and
     * Asterisk learns their FastAGI port over AMI ({@link PrivateAsterisk#ivr}).
     */
    static int freeTcpPort() {
        return FreePorts.pick();
    }

    /** A TCP and UDP port free on 127.0.0.1 now (SIP listens on both). */
    static int freeTcpAndUdpPort() {
        for (int i = 0; i < 100; i++) {
            int p = freeTcpPort();
            if (udpFree(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no port free for both TCP and UDP");
    }

    /**
     * The first of {@code n} consecutive UDP ports, starting at an even number, free on every
     * address now (RTP ranges, sipp's media ports).
     */
    static int freeUdpRange(int n) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(0, 19000);
            List<DatagramSocket> held = new ArrayList<>();
            boolean ok = true;
            try {
                for (int p = base; p < base + n; p++) {
                    try {
                        held.add(new DatagramSocket(p));
                    } catch (IOException e) {
                        ok = false;
                        break;
                    }
                }
            } finally {
                held.forEach(DatagramSocket::close);
            }
            if (ok) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of " + n + " UDP ports");
    }

    static boolean udpFree(int port) {
        try (DatagramSocket s = new DatagramSocket(port)) {
            return s.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a command to its end and returns its output (stdout and stderr together). */
    static String run(List<String> command, long timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not end within " + timeoutSeconds + " s");
            }
            return new String(out, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
