package dev.ivr.server.testing;

import dev.ivr.server.ports.PortsReport;
import dev.ivr.testsupport.ProcessReports;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * The waits of tests that start the packaged server as a process of its own (the jar, the distribution's launcher, a
 * second cluster node): every listener on port 0, the bound ports read from the {@code ports.json} the server writes.
 * A failed wait is an {@link AssertionError} that carries the last lines of the process's output, so a failed run says
 * why without its temporary directory.
 */
public final class ServerProcesses {
    private static final Duration START = Duration.ofSeconds(120);

    private ServerProcesses() {
    }

    /** The java launcher of this test's JVM, to start a server (or a probe of the server's code) with. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * Waits until the server started as {@code process} (or a process it started: a launcher script) reports the ports
     * it bound in {@code <dataDir>/ports.json}, which it writes once every listener is bound; fails with the last lines
     * of {@code log} when it exits first or does not report within two minutes.
     *
     * @param who the server's name in a failure ("the server", "node A")
     */
    public static PortsReport awaitPorts(String who, Path dataDir, Process process, Path log) {
        try {
            return ProcessReports.await(who, process, log, "its ports in " + PortsReport.file(dataDir), START,
                    () -> PortsReport.read(dataDir), PortsReport::pid);
        } catch (IOException e) {
            throw new AssertionError(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the ports of " + who, e);
        }
    }

    /**
     * Waits until the server answers {@code /health} with 200; if it does not within two minutes (a slow start on a
     * busy machine is not what these tests judge), fails with the last lines of {@code log}.
     */
    public static void awaitHealthy(int httpPort, Path log) {
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(START).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the server did not answer /health with 200 within 120 s; the last lines of "
                    + log.getFileName() + ":\n" + ProcessReports.tail(log, 60), e);
        }
    }
}
