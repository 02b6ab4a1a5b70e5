package dev.ivr.server.ports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PortsReportTest {
    @TempDir
    Path data;

    static PortsReport report(long pid, Instant started, int agiPort) {
        return new PortsReport(pid, "a", "1.0", started, new PortsReport.Listener("127.0.0.1", agiPort),
                new PortsReport.Listener("0.0.0.0", 8443), true, new PortsReport.Listener("0.0.0.0", 8080),
                new PortsReport.Listener("127.0.0.1", 9092), new PortsReport.Listener("10.0.0.5", 5701));
    }

    static long self() {
        return ProcessHandle.current().pid();
    }

    @Test
    void whatIsWrittenIsReadBackByTheServersUserAlone() throws IOException {
        PortsReport written = report(self(), Instant.now(), 4573);
        written.write(data);
        assertThat(PortsReport.read(data)).contains(written);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(PortsReport.file(data)))).isEqualTo("rw-------");
        assertThat(Files.readString(PortsReport.file(data))).contains("\"pid\" : " + self())
                .contains("\"http\" : {\n    \"host\" : \"0.0.0.0\",\n    \"port\" : 8443,\n    \"tls\" : true");
        try (var files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly("ports.json");
        }
    }

    @Test
    void listenersThatAreNotOpenAreLeftOut() throws IOException {
        PortsReport written = new PortsReport(self(), "a", "1.0", Instant.now(), new PortsReport.Listener("127.0.0.1", 4573),
                null, false, null, null, new PortsReport.Listener("127.0.0.1", 5701));
        written.write(data);
        assertThat(Files.readString(PortsReport.file(data))).doesNotContain("http").doesNotContain("speech");
        assertThat(PortsReport.read(data)).contains(written);
    }

    @Test
    void aSecondReportReplacesTheFirst() throws IOException {
        report(self(), Instant.now(), 4573).write(data);
        PortsReport second = report(self(), Instant.now(), 4574);
        second.write(data);
        assertThat(PortsReport.read(data)).contains(second);
    }

    @Test
    void theReportOfAProcessThatIsGoneIsStale() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        report(gone.pid(), Instant.now(), 4573).write(data);
        assertThat(PortsReport.readAny(data)).isPresent();
        assertThat(PortsReport.read(data)).isEmpty();
    }

    @Test
    void theReportOfAnEarlierProcessWithTheSamePidIsStale() throws IOException {
        Instant jvmStart = ProcessHandle.current().info().startInstant().orElseThrow();
        // written by a process that ended before this one, which was then given its PID
        report(self(), jvmStart.minus(PortsReport.START_TIME_SLACK).minusSeconds(60), 4573).write(data);
        assertThat(PortsReport.read(data)).isEmpty();
        report(self(), jvmStart.plusSeconds(1), 4573).write(data);
        assertThat(PortsReport.read(data)).isPresent();
    }

    @Test
    void noReportOrAnUnreadableOneIsNone() throws IOException {
        assertThat(PortsReport.read(data)).isEmpty();
        assertThat(PortsReport.remove(data)).isFalse();
        Files.writeString(PortsReport.file(data), "{\"pid\": 1, \"started\"");
        assertThat(PortsReport.read(data)).isEmpty();
        assertThat(PortsReport.remove(data)).isTrue();
        assertThat(PortsReport.file(data)).doesNotExist();
    }
}
