import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import java.nio.file.*;
import java.sql.*;
import java.time.*;
import java.util.*;

/** Bytes H2 writes per journal row with random and with version-7 event ids (info.FILE_WRITE), same rows otherwise. */
public class IdProbe {
    public static void main(String[] a) throws Exception {
        boolean v7 = a[0].equals("v7");
        int batches = Integer.parseInt(a[1]), per = Integer.parseInt(a[2]);
        Path dir = Files.createTempDirectory("idprobe");
        try (Database db = Database.open(new DatabaseConfig("", "sa", "", 4, 1, Duration.ofMillis(500)), dir)) {
            db.awaitReady(Duration.ofSeconds(60));
            long measuredFrom = 0; long seqCall = 0; long t0 = 0;
            var mk = Class.forName("dev.ivr.server.journal.JournalEvent").getDeclaredMethod("newId");
            mk.setAccessible(true);
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                for (int b = 0; b < batches; b++) {
                    if (b == batches / 2) { measuredFrom = fileWrite(c); t0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); }
                    try (PreparedStatement ps = c.prepareStatement("insert into journal_events (event_id, occurred_at, event_day, event_type, call_id, flow, flow_node, server) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
                        for (int i = 0; i < per; i++) {
                            Instant at = Instant.now();
                            ps.setString(1, v7 ? (String) mk.invoke(null) : UUID.randomUUID().toString());
                            ps.setTimestamp(2, Timestamp.from(at));
                            ps.setDate(3, java.sql.Date.valueOf(LocalDate.now(ZoneOffset.UTC)));
                            ps.setString(4, "CALL_NODE");
                            ps.setString(5, "1796355070." + (seqCall++ / 8));
                            ps.setString(6, "simple");
                            ps.setString(7, "main-menu");
                            ps.setString(8, "bench");
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    c.commit();
                }
                long bytes = fileWrite(c) - measuredFrom;
                long rows = (long) (batches - batches / 2) * per;
                System.out.printf("%s: %d rows measured (table %d rows at the end), %d bytes written, %.0f bytes per row, %.1f ms CPU per batch%n",
                        a[0], rows, (long) batches * per, bytes, (double) bytes / rows, (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - t0) / 1e6 / (batches - batches / 2));
            }
        }
    }

    static long fileWrite(Connection c) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (l.startsWith("wchar:")) return Long.parseLong(l.substring(6).trim());
        }
        return -1;
    }
}
