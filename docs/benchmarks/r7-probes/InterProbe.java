import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import java.nio.file.*;
import java.sql.*;
import java.time.*;
import java.util.*;

/** Bytes written and CPU per interaction row: one commit per interaction, or N per commit. */
public class InterProbe {
    public static void main(String[] a) throws Exception {
        int total = Integer.parseInt(a[0]), per = Integer.parseInt(a[1]);
        Path dir = Files.createTempDirectory("interprobe");
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        try (Database db = Database.open(new DatabaseConfig("", "sa", "", 4, 1, Duration.ofMillis(500)), dir)) {
            db.awaitReady(Duration.ofSeconds(60));
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                long w0 = 0, t0 = 0; int n = 0;
                for (int i = 0; i < total; i += per) {
                    if (i >= total / 2 && t0 == 0) { w0 = IdProbe.fileWrite(c); t0 = mx.getCurrentThreadCpuTime(); n = total - i; }
                    try (PreparedStatement ps = c.prepareStatement("insert into interactions (call_id, ani, dnis, flow, flow_version, started_at, ended_at, path, inputs, outcome, node, recorded_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        for (int k = i; k < i + per; k++) {
                            Instant at = Instant.now();
                            ps.setString(1, "1796355070." + k);
                            ps.setString(2, "3693018" + (k % 10000));
                            ps.setString(3, "1000");
                            ps.setString(4, "simple");
                            ps.setString(5, "1");
                            ps.setTimestamp(6, Timestamp.from(at.minusSeconds(20)));
                            ps.setTimestamp(7, Timestamp.from(at));
                            ps.setString(8, "[\"welcome\",\"main-menu\",\"enter-code\",\"confirm\",\"remember\",\"goodbye\"]");
                            ps.setString(9, "{\"choice\":\"1\",\"code\":\"1234\"}");
                            ps.setString(10, "SELF_SERVED");
                            ps.setString(11, "bench");
                            ps.setTimestamp(12, Timestamp.from(at));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    c.commit();
                }
                long bytes = IdProbe.fileWrite(c) - w0;
                System.out.printf("%d per commit: %d rows measured, %.0f bytes written per row, %.3f ms CPU per row%n", per, n,
                        (double) bytes / n, (mx.getCurrentThreadCpuTime() - t0) / 1e6 / n);
            }
        }
    }
}
