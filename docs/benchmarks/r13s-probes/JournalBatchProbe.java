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
 * What the journal writer's transactions cost per flush at about 300 new calls a second: a flush of 525 opening
 * events (75 calls of 7 events: entered, 4 node events, identified, ended with a customer) written as the writer
 * does (JournalSummary.write, then commit), in one transaction (BATCH 1000) or in two of 500 and 25 (BATCH 500),
 * alternated, on the server's default H2 file database (fresh, migrated). Process CPU time per flush, and the bytes
 * the writing thread allocated (the events' objects made by the probe included).
 * Run: java -cp "ivr-server/target/ivr-server.jar:ivr-server/target/lib/*" docs/benchmarks/r13s-probes/JournalBatchProbe.java
 * [flushes (200)] [calls per flush (75)] [events in the first of the two transactions (500)]
 */
public class JournalBatchProbe {
    public static void main(String[] args) throws Exception {
        int flushes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 75;
        int split = args.length > 2 ? Integer.parseInt(args[2]) : 500; // the second mode's first transaction
        Path dir = Files.createTempDirectory("journal-batch-probe");
        Database db = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), dir);
        while (!db.isReady()) {
            Thread.sleep(100);
        }
        JournalSummary summary = new JournalSummary(KpiRules.DEFAULT, Duration.ofDays(7));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long call = 0;
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        long[] cpu = new long[2];
        long[] bytes = new long[2];
        int[] n = new int[2];
        for (int f = 0; f < flushes * 2 + 40; f++) {
            List<JournalEvent> flush = new ArrayList<>();
            for (int c = 0; c < calls; c++, call++) {
                String id = "1764900000." + call;
                String customer = "C" + (call * 7919 % 1_000_000);
                t = t.plusMillis(3);
                flush.add(JournalEvent.of(t, JournalEvent.Type.CALL_ENTERED, id, "customer-service", "start", null, null, null, null, null, "bench"));
                for (String node : List.of("check-hours", "identify-caller", "greeting", "menu")) {
                    flush.add(JournalEvent.of(t, JournalEvent.Type.CALL_NODE, id, "customer-service", node, null, null, null, null, null, "bench"));
                }
                flush.add(JournalEvent.of(t, JournalEvent.Type.CALL_IDENTIFIED, id, "customer-service", "identify-caller", null, null, null, "IDENTIFIED", null, "bench"));
                flush.add(new JournalEvent(java.util.UUID.randomUUID().toString(), t.plusMillis(2), JournalEvent.Type.CALL_ENDED, id, "customer-service",
                        "menu", null, null, 2000L, "caller_hangup", null, "bench", customer));
            }
            int mode = f % 2; // 0: one transaction of all; 1: split + the rest
            long t0 = os.getProcessCpuTime();
            long b0 = threads.getThreadAllocatedBytes(me);
            if (mode == 0) {
                write(db, summary, flush);
            } else {
                write(db, summary, flush.subList(0, split));
                write(db, summary, flush.subList(split, flush.size()));
            }
            long dt = os.getProcessCpuTime() - t0;
            long db0 = threads.getThreadAllocatedBytes(me) - b0;
            if (f >= 40) {
                cpu[mode] += dt;
                bytes[mode] += db0;
                n[mode]++;
            }
        }
        System.out.printf("%d events in one transaction: %.2f ms CPU, %.0f KB allocated by the writing thread (%d times)%n",
                calls * 7, cpu[0] / 1e6 / n[0], bytes[0] / 1e3 / n[0], n[0]);
        System.out.printf("%d events in two, %d + %d: %.2f ms CPU, %.0f KB allocated (%d times)%n", calls * 7, split,
                calls * 7 - split, cpu[1] / 1e6 / n[1], bytes[1] / 1e3 / n[1], n[1]);
        db.close();
    }

    static void write(Database db, JournalSummary summary, List<JournalEvent> batch) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            summary.write(c, batch);
            c.commit();
        }
    }
}
