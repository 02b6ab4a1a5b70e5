import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * jr20: JournalRowProbe (r14s-probes) with other index layouts of journal_events instead of one index dropped at a
 * time (the layouts are made from the schema before V170: run it with a jar built before it, e.g. main's at 722782c;
 * with this branch's jar and a second argument "" it measures V170's layout as migrated). The rest as there:
 * what one journal row costs H2 (bytes allocated by the writing thread, process CPU) and how much of it each index of
 * journal_events is: flushes of 525 opening events (75 calls of 7) inserted as the journal writer inserts them (one
 * prepared batch, "on conflict do nothing", commit), on the server's default H2 file database (fresh, migrated), with
 * every index, and then with each index dropped in turn (recreated after). No summaries: the rows alone.
 * Run: java -cp "ivr-server/target/ivr-server.jar:ivr-server/target/lib/*" docs/benchmarks/r20-jr20/JournalIndexProbe.java [flushes (60)]
 *   [settings added to the H2 URL, e.g. ";PAGE_SIZE=1024": then the first layout only, with them]
 */
public class JournalIndexProbe {
    static final String INSERT = "insert into journal_events (event_id, occurred_at, event_day, event_type, call_id,"
            + " flow, flow_node, queue, agent_id, duration_ms, detail, reason, server, customer_id) values"
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    static long call;
    static Instant t = Instant.parse("2026-12-05T10:00:00Z");

    /** Each configuration: a name and the statements that turn the migrated schema into it. */
    static final String[][] CONFIGS = {
            {"the schema as migrated (before V170: row map, event_id unique, by_time, by_call, by_type_time, by_agent, by_customer_type)"},
            {"by_call and the event_id constraint as one unique (call_id, event_id)",
                    "alter table journal_events drop constraint journal_events_event_id", "drop index journal_events_by_call",
                    "create unique index journal_events_by_call on journal_events (call_id, event_id)"},
            {"by_type_time and the event_id constraint as one unique (event_type, occurred_at, event_id)",
                    "alter table journal_events drop constraint journal_events_event_id", "drop index journal_events_by_type_time",
                    "create unique index journal_events_by_type_time on journal_events (event_type, occurred_at, event_id)"},
            {"without by_customer_type (what a side table of the customers' ended calls could save, less its own row)",
                    "drop index journal_events_by_customer_type"},
            {"without by_time", "drop index journal_events_by_time"},
            {"the schema as migrated, again"},
    };

    public static void main(String[] args) throws Exception {
        int flushes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        // a second argument: settings added to the server's H2 URL (";PAGE_SIZE=1024"), the first layout only
        String settings = args.length > 1 ? args[1] : null;
        for (String[] cfg : settings == null ? CONFIGS : new String[][]{{"today, with " + settings}}) {
            Path dir = Files.createTempDirectory("journal-index-probe");
            String url = settings == null ? "" : Database.effectiveUrl(new DatabaseConfig("", "sa", "", 3, 2,
                    Duration.ofMillis(500)), dir) + settings;
            Database fresh = Database.open(new DatabaseConfig(url, "sa", "", 3, 2, Duration.ofMillis(500)), dir);
            while (!fresh.isReady()) {
                Thread.sleep(100);
            }
            try (Connection c = fresh.dataSource().getConnection(); Statement s = c.createStatement()) {
                for (int i = 1; i < cfg.length; i++) {
                    s.execute(cfg[i]);
                }
            }
            call = 0;
            t = Instant.parse("2026-12-05T10:00:00Z");
            run(fresh, 20, null); // warm-up
            double[] r = run(fresh, flushes, null);
            System.out.printf("%s: %.2f KB allocated, %.1f µs process CPU, %.1f µs the writing thread's CPU per row%n",
                    cfg[0], r[0], r[1], r[2]);
            fresh.close();
        }
    }

    static double[] run(Database db, int flushes, Object unused) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        long cpu = 0, bytes = 0, rows = 0, mine = 0;
        for (int f = 0; f < flushes; f++) {
            List<Object[]> flush = new ArrayList<>();
            for (int k = 0; k < 75; k++, call++) {
                String id = "1764900000." + call;
                t = t.plusMillis(3);
                flush.add(row(id, "CALL_ENTERED", "start", null, null));
                for (String node : List.of("check-hours", "identify-caller", "greeting", "menu")) {
                    flush.add(row(id, "CALL_NODE", node, null, null));
                }
                flush.add(row(id, "CALL_IDENTIFIED", "identify-caller", "IDENTIFIED", null));
                flush.add(row(id, "CALL_ENDED", "menu", null, "C" + (call * 7919 % 1_000_000)));
            }
            long t0 = os.getProcessCpuTime();
            long m0 = threads.getCurrentThreadCpuTime();
            long b0 = threads.getThreadAllocatedBytes(me);
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    for (Object[] r : flush) {
                        ps.setString(1, (String) r[0]);
                        ps.setTimestamp(2, Timestamp.from(t));
                        ps.setDate(3, java.sql.Date.valueOf(java.time.LocalDate.of(2026, 12, 5)));
                        ps.setString(4, (String) r[1]);
                        ps.setString(5, (String) r[2]);
                        ps.setString(6, "customer-service");
                        ps.setString(7, (String) r[3]);
                        ps.setString(8, null);
                        ps.setString(9, null);
                        ps.setNull(10, Types.BIGINT);
                        ps.setString(11, (String) r[4]);
                        ps.setString(12, null);
                        ps.setString(13, "bench");
                        ps.setString(14, (String) r[5]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            }
            cpu += os.getProcessCpuTime() - t0;
            mine += threads.getCurrentThreadCpuTime() - m0;
            bytes += threads.getThreadAllocatedBytes(me) - b0;
            rows += flush.size();
        }
        return new double[]{bytes / 1024.0 / rows, cpu / 1000.0 / rows, mine / 1000.0 / rows};
    }

    static Object[] row(String call, String type, String node, String detail, String customer) {
        return new Object[]{dev.ivr.server.journal.JournalEvent.of(t, dev.ivr.server.journal.JournalEvent.Type.CALL_NODE, call, null, null, null, null, null, null, null, null).id(), type, call, node, detail, customer};
    }
}
