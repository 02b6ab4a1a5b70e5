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
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue 16, eleventh round: the journal writer's keys. r11-probes/BatchStoreProbe with two more arguments, to measure
 * each cut of the round on the same batches: the identity cache of journal_events.seq to set before the run (0 = as
 * the migrations leave it) and a comma-separated list of journal_events indexes to drop before the run ("-" = none).
 * Modes as BatchStoreProbe: "in-order", "at-end" (ids made at each event's own instant: the server before the
 * eleventh round), "at-end-ids-at-write" (the same instants, ids made by JournalEvent.of when the batch is built, in
 * its order: the server since the eleventh round, JournalObserver minting a held node event's id when it keeps it).
 * Prints per batch (second half): this thread's CPU in the statements and the commit, H2's chunks stored, bytes
 * written (load-independent) and pages read from the file; and the sequence's cache.
 * Run: java -cp "OUT:JAR:LIB/*" KeysProbe 400 21 0 at-end 0 -
 */
public class KeysProbe {
    public static void main(String[] a) throws Exception {
        int batches = Integer.parseInt(a[0]), calls = Integer.parseInt(a[1]), cacheKb = Integer.parseInt(a[2]);
        boolean atEnd = a[3].startsWith("at-end");
        boolean idsAtWrite = a[3].equals("at-end-ids-at-write");
        int seqCache = Integer.parseInt(a[4]);
        String drop = a.length > 5 ? a[5] : "-";
        Path dir = Files.createTempDirectory("keysprobe");
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        JournalSummary summary = new JournalSummary(KpiRules.DEFAULT, Duration.ofDays(7));
        String[] nodes = {"welcome", "main-menu", "enter-code", "confirm", "remember", "goodbye"};
        try (Database db = Database.open(new DatabaseConfig("", "sa", "", 4, 1, Duration.ofMillis(500)), dir)) {
            db.awaitReady(Duration.ofSeconds(60));
            long call = 0, cpuStatements = 0, cpuCommit = 0;
            Map<String, Long> s0 = null;
            Instant at = Instant.parse("2026-12-04T22:00:00Z");
            try (Connection c = db.dataSource().getConnection()) {
                if (cacheKb > 0) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SET CACHE_SIZE " + cacheKb);
                    }
                }
                try (Statement st = c.createStatement()) {
                    if (seqCache > 0) {
                        st.execute("alter table journal_events alter column seq set cache " + seqCache);
                    }
                    if (!drop.equals("-")) {
                        for (String ix : drop.split(",")) {
                            st.execute("drop index " + ix);
                        }
                    }
                }
                long identityCache;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select identity_cache from"
                        + " information_schema.columns where lower(table_name) = 'journal_events' and lower(column_name) = 'seq'")) {
                    rs.next();
                    identityCache = rs.getLong(1);
                }
                c.setAutoCommit(false);
                for (int b = 0; b < batches; b++) {
                    if (b == batches / 2) {
                        s0 = info(c);
                        cpuStatements = 0;
                        cpuCommit = 0;
                    }
                    List<JournalEvent> batch = new ArrayList<>();
                    for (int i = 0; i < calls; i++, call++) {
                        String id = "1796420843." + call;
                        at = at.plusMillis(12);
                        Instant start = atEnd ? at.minusSeconds(14) : at;
                        batch.add(event(atEnd && !idsAtWrite, start, JournalEvent.Type.CALL_ENTERED, id, null, null, null));
                        for (int k = 0; k < nodes.length; k++) {
                            batch.add(event(atEnd && !idsAtWrite, atEnd ? start.plusSeconds(2L * (k + 1)) : at, JournalEvent.Type.CALL_NODE,
                                    id, nodes[k], null, null));
                        }
                        batch.add(event(atEnd && !idsAtWrite, atEnd ? at : at.plusSeconds(14), JournalEvent.Type.CALL_ENDED, id, "goodbye",
                                14_000L, "SELF_SERVED"));
                    }
                    long t0 = mx.getCurrentThreadCpuTime();
                    summary.write(c, batch);
                    long t1 = mx.getCurrentThreadCpuTime();
                    c.commit();
                    long t2 = mx.getCurrentThreadCpuTime();
                    cpuStatements += t1 - t0;
                    cpuCommit += t2 - t1;
                }
                int n = batches - batches / 2;
                Map<String, Long> s1 = info(c);
                System.out.printf("%d batches of %d calls (%s, cache %s KB), per batch: CPU statements %.2f ms, commit %.2f ms;"
                                + " chunks stored %.2f, bytes written %.0f KB, pages read from file %.1f; cache %d KB used of %d;"
                        + " seq cache %d, dropped %s%n",
                        n, calls, a[3], s1.get("info.CACHE_MAX_SIZE") * 1024, cpuStatements / 1e6 / n, cpuCommit / 1e6 / n,
                        (s1.get("info.FILE_WRITE") - s0.get("info.FILE_WRITE")) / (double) n,
                        (s1.get("info.FILE_WRITE_BYTES") - s0.get("info.FILE_WRITE_BYTES")) / 1024.0 / n,
                        (s1.get("info.FILE_READ") - s0.get("info.FILE_READ")) / (double) n,
                        s1.get("info.CACHE_SIZE") * 1024, s1.get("info.CACHE_MAX_SIZE") * 1024, identityCache, drop);
            }
        }
    }

    /** An event at {@code at}; in the at-end mode with a version-7 id made at that instant, as the server's are. */
    static JournalEvent event(boolean atEnd, Instant at, JournalEvent.Type type, String call, String node, Long ms, String detail) {
        JournalEvent e = JournalEvent.of(at, type, call, "simple", node, null, null, ms, detail, null, "bench");
        if (!atEnd) {
            return e;
        }
        long high = (at.toEpochMilli() << 16) | 0x7000L | (RANDOM.nextInt() & 0x0fffL);
        long low = 0x8000_0000_0000_0000L | (RANDOM.nextLong() & 0x3fff_ffff_ffff_ffffL);
        return new JournalEvent(new java.util.UUID(high, low).toString(), e.at(), e.type(), e.callId(), e.flow(), e.node(),
                e.queue(), e.agent(), e.durationMs(), e.detail(), e.reason(), e.server(), e.customer());
    }

    private static final java.util.Random RANDOM = new java.util.Random(16);

    static Map<String, Long> info(Connection c) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select setting_name, setting_value from information_schema.settings"
                     + " where setting_name like 'info.%'")) {
            while (rs.next()) {
                try {
                    m.put(rs.getString(1), Long.parseLong(rs.getString(2)));
                } catch (NumberFormatException e) {
                    // ratios are not counters
                }
            }
        }
        return m;
    }
}
