package dev.ivr.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Waiting for a server started as a process to report what it bound: an ivr server given port 0 writes
 * {@code <data-dir>/ports.json} once ready (every listener bound, the cluster joined). The caller reads the report
 * (ivr-server's tests with the server's own {@code PortsReport.read}; the load generator, which does not depend on the
 * server, with its {@code ServerPorts.read}); this waits until a report of that process comes, or the process exits,
 * or the time runs out, and then says why with the last lines of the process's log.
 */
public final class ProcessReports {
    /** How many of the log's last lines a failure shows. */
    static final int TAIL_LINES = 60;
    private static final long POLL_MILLIS = 100;

    private ProcessReports() {
    }

    /**
     * The first report {@code read} gives whose process ({@code pid}) is {@code process} or a process it started (a
     * launcher script, {@code taskset}): not one a server before it left behind.
     *
     * @param what what the process reports, for the failure message ("its ports in /data/ports.json")
     * @throws IOException when the process exits first, or no report comes within {@code timeout} (the message ends
     *                     with the log's last lines)
     */
    public static <T> T await(String name, Process process, Path log, String what, Duration timeout,
                              Supplier<Optional<T>> read, ToLongFunction<T> pid)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> report = read.get().filter(r -> wrote(process, pid.applyAsLong(r)));
            if (report.isPresent()) {
                return report.get();
            }
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before it reported " + what
                        + "; " + log + " ends:\n" + tail(log, TAIL_LINES));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " (pid " + process.pid() + ") did not report " + what + " within "
                        + timeout + "; " + log + " ends:\n" + tail(log, TAIL_LINES));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static boolean wrote(Process process, long pid) {
        return pid == process.pid() || process.descendants().anyMatch(d -> d.pid() == pid);
    }

    /** A file's last {@code lines} lines (a server's log: what it said before it died or hung), or why there are none. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(not readable: " + e + ")";
        }
    }
}
