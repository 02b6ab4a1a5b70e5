package dev.ivr.loadgen;

import dev.ivr.testsupport.ProcessReports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A server under test in its own JVM: the ivr server, or the stock Asterisk-Java baseline. */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * The ivr server from its packaged jar with the given configuration file; {@code prefix} goes
     * before the command (e.g. {@code taskset -c 1}, which then runs the JVM in its own process).
     * {@code agiPort} is the configured FastAGI port, for {@link #awaitListening}; a configuration with port 0
     * passes 0 and waits with {@link #awaitPorts} instead.
     */
    public static ServerProcess ivr(Path jar, Path config, int agiPort, List<String> jvmOptions, Path log,
                                    List<String> prefix) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(java());
        cmd.addAll(jvmOptions);
        cmd.addAll(unsafeAllowed());
        cmd.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("IVR_"));
        return new ServerProcess("ivr", pb.start(), agiPort, log);
    }

    /**
     * The stock DefaultAgiServer with the hand-written baseline scripts, under {@code name}, with its
     * thread pool as it ships ({@code default}) or raised to at most {@code pool} threads.
     */
    public static ServerProcess baseline(String name, int port, String pool, int agents, Duration wrapUp,
                                         List<String> jvmOptions, Path log, List<String> prefix) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(java());
        cmd.addAll(jvmOptions);
        cmd.addAll(unsafeAllowed());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ivr.loadgen.baseline.BaselineServer",
                String.valueOf(port), pool, String.valueOf(agents), String.valueOf(wrapUp.toMillis()), "bench"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        return new ServerProcess(name, pb.start(), port, log);
    }

    /** Runs {@code ivr-server import-customers} with this configuration (the server must not be running on H2). */
    public static void importCustomers(Path jar, Path config, Path csv, Path log) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(unsafeAllowed());
        cmd.addAll(List.of("-Xmx2g", "-jar", jar.toString(), "import-customers", "--config", config.toString(), csv.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("IVR_"));
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("import-customers failed; see " + log);
        }
    }

    /** As ./ivr and bin/ivr-server do on JDK 24+: Hazelcast's shaded JCTools still uses sun.misc.Unsafe. */
    private static List<String> unsafeAllowed() {
        return Runtime.version().feature() >= 24 ? List.of("--sun-misc-unsafe-memory-access=allow") : List.of();
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** Waits until the server's log has a line containing {@code text}; false when the time ran out first. */
    public boolean awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /** Waits until the FastAGI port accepts connections. */
    public void awaitListening(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " server exited with " + process.exitValue());
            }
            if (accepts(port)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException(name + " server not listening on " + port + " after " + timeout);
    }

    /**
     * Waits until the ivr server reports the ports it bound in {@code <dataDir>/ports.json} (written once it is ready:
     * every listener bound, the cluster joined), this process's report, not one a server before it left behind
     * ({@link ProcessReports#await}, the wait ivr-server's tests share).
     *
     * @throws IOException when the process exits first, or no report comes in time (the message ends with the
     *                     server log's last lines)
     */
    public ServerPorts awaitPorts(Path dataDir, Duration timeout) throws IOException, InterruptedException {
        return ProcessReports.await(name + " server", process, log, "its ports in " + ServerPorts.file(dataDir), timeout,
                () -> ServerPorts.read(dataDir), ServerPorts::pid);
    }

    /** Waits until something accepts connections on this loopback port. */
    static void awaitPort(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!accepts(port)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("nothing listening on " + port + " after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the process still runs. */
    public boolean alive() {
        return process.isAlive();
    }

    /** Kills the process (SIGKILL) and waits until it is gone, a minute at most; answers whether it is gone. */
    public boolean kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /** Stops the server: asks it to stop, waits up to a minute, then kills it (at once when interrupted). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
