package dev.ivr.server.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18 (12): a second server on the same machine failed after many seconds and many lines;
 * a tool on a database a server has open retried for seconds. Both now say what to do in one
 * line, at once.
 */
@Tag("integration")
class PreflightIT {
    static Path config(Path dir, int agiPort) throws Exception {
        Path cfg = dir.resolve("ivr.yaml");
        int clusterPort; // the cluster needs a real port (never reached: the start stops before)
        try (ServerSocket s = new ServerSocket(0)) {
            clusterPort = s.getLocalPort();
        }
        Files.writeString(cfg, "node:\n  data-dir: " + dir.resolve("data") + "\nagi:\n  port: " + agiPort
                + "\nhttp:\n  port: 0\ncluster:\n  port: " + clusterPort + "\nspeech:\n  port: 0\ntts:\n  enabled: false\n");
        return cfg;
    }

    @Test
    void aPortInUseIsOneLineBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            IvrScript.Result r = IvrScript.run(dir, Map.of(), "", "run", "--config",
                    config(dir, taken.getLocalPort()).toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().strip()).isEqualTo("ivr-server: cannot start: port " + taken.getLocalPort()
                    + " (agi.port) on 127.0.0.1 is in use (another ivr server? `ss -ltnp 'sport = :" + taken.getLocalPort()
                    + "'` shows which process): stop it, or set agi.port (IVR_AGI_PORT)");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void aDatabaseOpenElsewhereIsSaidAtOnceByTheServerAndTheTools(@TempDir Path dir) throws Exception {
        Path cfg = config(dir, 0);
        IvrScript.Result imported = IvrScript.run(dir, Map.of(), "", "import-customers", "--config", cfg.toString(),
                IvrScript.REPO.resolve("config/sample-customers.csv").toString());
        assertThat(imported.exit()).as(imported.all()).isZero();
        Path db = dir.resolve("data/db/ivr.mv.db");
        // what H2 does while a server has the database open: a lock on the file
        try (FileChannel ch = FileChannel.open(db, StandardOpenOption.READ, StandardOpenOption.WRITE);
             var lock = ch.lock()) {
            assertThat(lock.isValid()).isTrue();
            IvrScript.Result run = IvrScript.run(dir, Map.of(), "", "run", "--config", cfg.toString());
            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).startsWith("ivr-server: cannot start: the database " + db + " is open in another process")
                    .contains("node.data-dir (IVR_NODE_DATA_DIR)");
            assertThat(run.err().lines().count()).isEqualTo(1);

            IvrScript.Result again = IvrScript.run(dir, Map.of(), "", "import-customers", "--config", cfg.toString(),
                    IvrScript.REPO.resolve("config/sample-customers.csv").toString());
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("is open in another process").doesNotContain("cannot reach the database");
            IvrScript.Result users = IvrScript.run(dir, Map.of(), "", "users", "list", "--config", cfg.toString());
            assertThat(users.exit()).isEqualTo(1);
            assertThat(users.err()).contains("is open in another process", "POST /api/users");
        }
    }
}
