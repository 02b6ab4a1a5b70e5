import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.store.JournalSummary;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the journal writer's transaction costs per batch, as the journal-outbox thread runs it (JournalSummary.write,
 * then commit), on an H2 file database: batches of {@code calls} simple-flow calls (8 events each: entered, six node
 * events, ended, as the load generator's simple flow makes them), the first half warm-up. This thread's CPU time and
 * bytes allocated per batch (ThreadMXBean; H2 embedded runs on the caller's thread), and the bytes the process wrote
 * (/proc/self/io wchar). Run: java -cp "OUT:JAR:LIB/*" BatchProbe 400 21
 */
public class BatchProbe {
    public static void main(String[] a) throws Exception {
        int batches = Integer.parseInt(a[0]), calls = Integer.parseInt(a[1]);
        Path dir = Files.createTempDirectory("batchprobe");
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        JournalSummary summary = new JournalSummary(KpiRules.DEFAULT, Duration.ofDays(7));
        String[] nodes = {"welcome", "main-menu", "enter-code", "confirm", "remember", "goodbye"};
        try (Database db = Database.open(new DatabaseConfig("", "sa", "", 4, 1, Duration.ofMillis(500)), dir)) {
            db.awaitReady(Duration.ofSeconds(60));
            long cpu0 = 0, alloc0 = 0, io0 = 0, call = 0;
            Instant at = Instant.parse("2026-12-04T22:00:00Z");
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                for (int b = 0; b < batches; b++) {
                    if (b == batches / 2) {
                        cpu0 = mx.getCurrentThreadCpuTime();
                        alloc0 = mx.getCurrentThreadAllocatedBytes();
                        io0 = wchar();
                    }
                    List<JournalEvent> batch = new ArrayList<>();
                    for (int i = 0; i < calls; i++, call++) {
                        String id = "1796420843." + call;
                        at = at.plusMillis(12);
                        batch.add(JournalEvent.of(at, JournalEvent.Type.CALL_ENTERED, id, "simple", null, null, null, null,
                                null, null, "bench"));
                        for (String n : nodes) {
                            batch.add(JournalEvent.of(at, JournalEvent.Type.CALL_NODE, id, "simple", n, null, null, null,
                                    null, null, "bench"));
                        }
                        batch.add(JournalEvent.of(at.plusSeconds(14), JournalEvent.Type.CALL_ENDED, id, "simple", "goodbye",
                                null, null, 14_000L, "SELF_SERVED", null, "bench"));
                    }
                    summary.write(c, batch);
                    c.commit();
                }
                int n = batches - batches / 2;
                System.out.printf("%d batches of %d events measured (table %d rows at the end): %.2f ms CPU, %.0f KB allocated,"
                                + " %.0f KB written per batch%n", n, calls * 8, call * 8,
                        (mx.getCurrentThreadCpuTime() - cpu0) / 1e6 / n, (mx.getCurrentThreadAllocatedBytes() - alloc0) / 1024.0 / n,
                        (wchar() - io0) / 1024.0 / n);
            }
        }
    }

    static long wchar() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (l.startsWith("wchar:")) {
                return Long.parseLong(l.substring(6).trim());
            }
        }
        return -1;
    }
}
