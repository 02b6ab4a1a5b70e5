package dev.ivr.server.ports;

import dev.ivr.server.IvrServer;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.server.testing.ToneRecognizers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The server given port 0 for every listener reports what it bound in {@code <data-dir>/ports.json}. */
@Tag("integration")
class PortsReportIT {
    @TempDir
    Path data;

    @Test
    void writtenWhenReadyWithThePortsBoundRemovedAtStopAndWrittenAgainAtTheNextStart() throws Exception {
        // what a killed server left behind: its process is gone
        Process gone = new ProcessBuilder("true").start();
        assertThat(gone.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Files.createDirectories(data);
        new PortsReport(gone.pid(), "dead", "0", Instant.now(), new PortsReport.Listener("127.0.0.1", 1), null, false,
                null, null, new PortsReport.Listener("127.0.0.1", 2)).write(data);
        assertThat(PortsReport.read(data)).as("a dead server's report").isEmpty();

        IvrConfig config = TestConfigs.server(data, Map.of("IVR_CLUSTER_PORT", "0", "IVR_SPEECH_ENABLED", "true"));
        assertThat(config.agi().port()).isZero();
        assertThat(config.http().port()).isZero();
        assertThat(config.speech().port()).isZero();
        Instant first;
        try (IvrServer server = IvrServer.start(config, new ToneRecognizers(Set.of("en")))) {
            PortsReport r = PortsReport.read(data).orElseThrow();
            assertSameAs(r, server);
            first = r.started();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(PortsReport.file(data)))).isEqualTo("rw-------");
        }
        assertThat(PortsReport.file(data)).as("removed at stop").doesNotExist();

        try (IvrServer server = IvrServer.start(config, new ToneRecognizers(Set.of("en")))) {
            PortsReport r = PortsReport.read(data).orElseThrow();
            assertThat(r.started()).isAfter(first);
            assertSameAs(r, server);
        }
        assertThat(PortsReport.file(data)).doesNotExist();
    }

    private static void assertSameAs(PortsReport r, IvrServer server) throws IOException {
        assertThat(r.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(r.node()).isEqualTo(server.nodeName());
        assertThat(r.agi()).isEqualTo(new PortsReport.Listener(server.config().agi().bind(), server.agiPort()));
        assertThat(r.http()).isEqualTo(new PortsReport.Listener(server.config().http().bind(), server.httpPort()));
        assertThat(r.httpTls()).isFalse();
        assertThat(r.httpRedirect()).isNull();
        assertThat(server.speech().advertise()).endsWith(":" + r.speech().port());
        var member = server.hazelcast().getCluster().getLocalMember().getAddress();
        assertThat(r.cluster()).isEqualTo(new PortsReport.Listener(member.getHost(), member.getPort()));
        for (PortsReport.Listener l : new PortsReport.Listener[]{r.agi(), r.http(), r.speech(), r.cluster()}) {
            assertThat(l.port()).isPositive();
            try (Socket s = new Socket()) { // something listens there
                s.connect(new InetSocketAddress(l.host().equals("0.0.0.0") ? "127.0.0.1" : l.host(), l.port()), 10_000);
            }
        }
    }
}
