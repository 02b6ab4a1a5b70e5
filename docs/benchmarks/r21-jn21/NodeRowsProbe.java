import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.store.JournalSummary;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * jn21 (issue 16, seventeenth round): what the journal writer's transaction costs per call of the simple flow, as the
 * server writes it: 8 events a call (entered, six node events, ended), flushes of 100 calls (800 events, one
 * transaction: JournalSummary.write, then commit), on the server's default H2 file database (fresh, migrated). The
 * writing thread's bytes and CPU per call (the probe's own event objects included, the same in both jars), and the
 * rows each table has at the end. With jn21's jar the writer's steady state (write(c, batch, false): no look-up of node
 * events in journal_events, which the writer does only until the outbox found at start is written). Run it with main's jar and with the branch's:
 * java -cp "ivr-server/target/ivr-server.jar:ivr-server/target/lib/*" docs/benchmarks/r21-jn21/NodeRowsProbe.java [flushes (300)] [calls per flush (100)] [flushes of warm-up (60)]
 */
public class NodeRowsProbe {
    public static void main(String[] args) throws Exception {
        int flushes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        Path dir = Files.createTempDirectory("node-rows-probe");
        Database db = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), dir);
        while (!db.isReady()) {
            Thread.sleep(100);
        }
        JournalSummary summary = new JournalSummary(KpiRules.DEFAULT, Duration.ofDays(7));
        // jn21's jar: the writer's steady state (the outbox found at start written: no look-up in journal_events)
        java.lang.reflect.Method steady = null;
        try {
            steady = JournalSummary.class.getMethod("write", Connection.class, List.class, boolean.class);
        } catch (NoSuchMethodException main) {
            // main's jar: write(Connection, List)
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        long call = 0;
        Instant t = Instant.parse("2026-12-05T10:00:00Z");
        long cpu = 0, mine = 0, bytes = 0, n = 0;
        java.util.Map<String, Long> javaThreads = new java.util.TreeMap<>(); // CPU ns by thread name, measured part
        for (int f = 0; f < flushes + warm; f++) {
            List<JournalEvent> flush = new ArrayList<>();
            for (int c = 0; c < calls; c++, call++) {
                String id = "1764900000." + call;
                t = t.plusMillis(3);
                flush.add(JournalEvent.of(t, JournalEvent.Type.CALL_ENTERED, id, "simple", "welcome", null, null, null, null, null, "bench"));
                for (String node : List.of("welcome", "menu", "collect", "say", "set", "hang-up")) {
                    flush.add(JournalEvent.of(t, JournalEvent.Type.CALL_NODE, id, "simple", node, null, null, null, null, null, "bench"));
                }
                flush.add(JournalEvent.of(t.plusMillis(2), JournalEvent.Type.CALL_ENDED, id, "simple", "hang-up", null, null,
                        2000L, "SELF_SERVED", null, "bench"));
            }
            if (f == warm) {
                threadCpu(threads, javaThreads, -1);
                gc0 = gcMillis();
                jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            }
            long t0 = os.getProcessCpuTime();
            long m0 = threads.getCurrentThreadCpuTime();
            long b0 = threads.getThreadAllocatedBytes(me);
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                if (steady != null) {
                    steady.invoke(summary, c, flush, false);
                } else {
                    summary.write(c, flush);
                }
                c.commit();
            }
            if (f >= warm) {
                cpu += os.getProcessCpuTime() - t0;
                mine += threads.getCurrentThreadCpuTime() - m0;
                bytes += threads.getThreadAllocatedBytes(me) - b0;
                n += calls;
            }
        }
        threadCpu(threads, javaThreads, 1);
        System.out.printf("GC (collectors' time) %.1f µs, JIT (compilation time) %.1f µs per call%n",
                (gcMillis() - gc0) * 1e3 / n, (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0) * 1e3 / n);
        long javaNs = javaThreads.values().stream().mapToLong(Long::longValue).sum();
        long measured = n;
        System.out.printf("Java threads' CPU µs per call: %s; all Java threads %.1f%n", javaThreads.entrySet().stream()
                .filter(e -> e.getValue() > measured * 1000L).map(e -> e.getKey() + " " + String.format("%.1f", e.getValue() / 1e3 / measured))
                .toList(), javaNs / 1e3 / n);
        System.out.printf("per call of 8 events: %.1f KB allocated by the writing thread, %.1f µs its CPU, %.1f µs the"
                + " process's CPU (%d calls measured after %d of warm-up)%n", bytes / 1024.0 / n, mine / 1e3 / n, cpu / 1e3 / n,
                n, (long) warm * calls);
        // the readers of node events over what was written (the same rows with either jar): their results (a hash of
        // each table, to compare between the jars) and the time each took, the second of two runs
        Instant from = Instant.parse("2026-12-05T10:00:07Z");
        Instant to = t.minusSeconds(7);
        var reports = new dev.ivr.server.journal.report.Reports(KpiRules.DEFAULT);
        var flowReport = new dev.ivr.server.journal.store.FlowReport(db.dataSource(), reports);
        var intervals = dev.ivr.server.journal.kpi.Intervals.parse("15m", java.time.ZoneOffset.UTC);
        var reader = new dev.ivr.server.journal.store.JournalReader(db.dataSource());
        for (int run = 0; run < 2; run++) {
            long r0 = System.nanoTime();
            var funnel = flowReport.funnel(from, to, null);
            long r1 = System.nanoTime();
            var table = flowReport.table(from, to, intervals, null);
            long r2 = System.nanoTime();
            var inMemory = flowReport.funnelInMemory(from, to, null);
            long r3 = System.nanoTime();
            int tail = reader.after(0, Instant.EPOCH).size();
            long r4 = System.nanoTime();
            if (run == 1) {
                System.out.printf("funnel %d rows hash %08x %.0f ms; flow table (from events) %d rows hash %08x %.0f ms;"
                        + " funnel in memory %d rows hash %08x %.0f ms; every row after 0: %d rows %.0f ms%n",
                        funnel.rows().size(), funnel.rows().hashCode(), (r1 - r0) / 1e6, table.rows().size(),
                        table.rows().hashCode(), (r2 - r1) / 1e6, inMemory.rows().size(), inMemory.rows().hashCode(),
                        (r3 - r2) / 1e6, tail, (r4 - r3) / 1e6);
            }
        }
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("journal_events", "journal_nodes")) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    System.out.printf("%s: %d rows%n", table, rs.getLong(1));
                } catch (java.sql.SQLException e) {
                    System.out.printf("%s: no such table%n", table);
                }
            }
        }
        db.close();
    }

    static long gc0, jit0;

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
    }

    /** Adds each live Java thread's CPU time (by name) times {@code sign} to {@code into}. */
    static void threadCpu(java.lang.management.ThreadMXBean threads, java.util.Map<String, Long> into, int sign) {
        for (long id : threads.getAllThreadIds()) {
            java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
            long ns = threads.getThreadCpuTime(id);
            if (info != null && ns >= 0) {
                into.merge(info.getThreadName(), sign * ns, Long::sum);
            }
        }
    }
}
