package dev.ivr.server.cluster;

import dev.ivr.testsupport.KeptLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link LocalClusterIT} keeps of a failed run ({@link KeptLogs}): the logs, under their paths, and nothing else. */
class LocalClusterLogsTest {
    @TempDir
    Path run;
    @TempDir
    Path reports;

    @Test
    void theLogsAreCopiedUnderTheirPathsAndTokensAndDatabasesAreNot() throws Exception {
        Files.writeString(run.resolve("cluster.out"), "node3: ... pid 42\n");
        Files.createDirectories(run.resolve("cluster/node2"));
        Files.createDirectories(run.resolve("cluster/db"));
        Files.writeString(run.resolve("cluster/node1.log"), "node 1 started\n");
        Files.writeString(run.resolve("cluster/h2.log"), "TCP server running\n");
        Files.writeString(run.resolve("cluster/admin-token"), "secret");
        Files.writeString(run.resolve("cluster/node2/admin-token"), "secret");
        Files.writeString(run.resolve("cluster/db/ivr.mv.db"), "pages");

        Path kept = KeptLogs.copy(run, reports.resolve("LocalClusterIT-logs/test-1"));

        try (Stream<Path> files = Files.walk(kept)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> kept.relativize(f).toString()))
                    .containsExactlyInAnyOrder("cluster.out", "cluster/node1.log", "cluster/h2.log");
        }
        assertThat(kept.resolve("cluster/node1.log")).hasContent("node 1 started");
    }
}
