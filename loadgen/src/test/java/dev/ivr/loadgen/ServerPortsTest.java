package dev.ivr.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ports report of a server started with port 0, as the chaos and day runs read it. */
class ServerPortsTest {
    @TempDir
    Path dir;

    /** As the server's PortsReport writes it (pretty-printed). */
    static String report(long pid, boolean http) {
        return """
                {
                  "pid" : %d,
                  "node" : "day",
                  "version" : "1.0",
                  "started" : "2026-12-07T10:00:00Z",
                  "agi" : {
                    "host" : "127.0.0.1",
                    "port" : 40211
                  },%s
                  "cluster" : {
                    "host" : "127.0.0.1",
                    "port" : 40215
                  }
                }
                """.formatted(pid, http ? """

                  "http" : {
                    "host" : "127.0.0.1",
                    "port" : 40213,
                    "tls" : false
                  },""" : "");
    }

    @Test
    void readsTheReportedPorts() throws IOException {
        Files.writeString(ServerPorts.file(dir), report(4242, true));
        assertThat(ServerPorts.read(dir)).contains(new ServerPorts(4242, 40211, 40213, 40215));
        Files.writeString(ServerPorts.file(dir), report(4242, false));
        assertThat(ServerPorts.read(dir)).as("no HTTP listener").contains(new ServerPorts(4242, 40211, -1, 40215));
    }

    @Test
    void noReportOrNotAReportIsNone() throws IOException {
        assertThat(ServerPorts.read(dir)).isEmpty();
        Files.writeString(ServerPorts.file(dir), "");
        assertThat(ServerPorts.read(dir)).isEmpty();
        Files.writeString(ServerPorts.file(dir), "{\"pid\": 1}");
        assertThat(ServerPorts.read(dir)).isEmpty();
        Files.writeString(ServerPorts.file(dir), "{\"pid\": 1, \"agi\": {\"port\": ");
        assertThat(ServerPorts.read(dir)).isEmpty();
    }

    @Test
    void aServerThatExitsBeforeItsReportFailsTheWaitWithItsLog() throws Exception {
        Path log = dir.resolve("server.log");
        ServerProcess p = ServerProcess.ivr(dir.resolve("no-such.jar"), dir.resolve("ivr.yaml"), 0, List.of(), log,
                List.of());
        assertThatThrownBy(() -> p.awaitPorts(dir, Duration.ofMinutes(1))).isInstanceOf(IOException.class)
                .hasMessageContaining("exited with 1").hasMessageContaining("no-such.jar");
    }

    @Test
    void onlyThisProcesssReportCounts() throws Exception {
        Path log = dir.resolve("server.log");
        // a process that lives a while and writes nothing: sh runs "sleep 30", the rest are its unused arguments
        ServerProcess p = ServerProcess.ivr(dir.resolve("ivr.jar"), dir.resolve("ivr.yaml"), 0, List.of(), log,
                List.of("sh", "-c", "sleep 30", "sh"));
        try {
            Files.writeString(ServerPorts.file(dir), report(ProcessHandle.current().pid(), true)); // another process's
            assertThatThrownBy(() -> p.awaitPorts(dir, Duration.ofMillis(600))).isInstanceOf(IOException.class)
                    .hasMessageContaining("did not report its ports");
            Files.writeString(ServerPorts.file(dir), report(p.pid(), true));
            assertThat(p.awaitPorts(dir, Duration.ofMinutes(1))).isEqualTo(new ServerPorts(p.pid(), 40211, 40213, 40215));
        } finally {
            assertThat(p.kill()).isTrue();
        }
    }
}
