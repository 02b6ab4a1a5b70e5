package dev.ivr.loadgen;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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

    /** The ivr server from its packaged jar with the given configuration file. */
    public static ServerProcess ivr(Path jar, Path config, int agiPort, List<String> jvmOptions, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(jvmOptions);
        cmd.addAll(unsafeAllowed());
        cmd.addAll(List.of("-jar", jar.toString(), "run", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("IVR_"));
        return new ServerProcess("ivr", pb.start(), agiPort, log);
    }

    /** The stock DefaultAgiServer (default thread pool) with the hand-written baseline script. */
    public static ServerProcess baseline(int port, int agents, Duration wrapUp, List<String> jvmOptions, Path log)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(jvmOptions);
        cmd.addAll(unsafeAllowed());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ivr.loadgen.baseline.BaselineServer",
                String.valueOf(port), String.valueOf(agents), String.valueOf(wrapUp.toMillis())));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        return new ServerProcess("baseline", pb.start(), port, log);
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

    /** Waits until the FastAGI port accepts connections. */
    /** Waits until the server's log has a line containing {@code text}; false when the time ran out first. */
    public boolean awaitLog(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (java.nio.file.Files.exists(log) && java.nio.file.Files.readString(log).contains(text)) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    public void awaitListening(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " server exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IOException(name + " server not listening on " + port + " after " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
