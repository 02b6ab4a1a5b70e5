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
 * What one journal row costs H2 (bytes allocated by the writing thread, process CPU) and how much of it each index of
 * journal_events is: flushes of 525 opening events (75 calls of 7) inserted as the journal writer inserts them (one
 * prepared batch, "on conflict do nothing", commit), on the server's default H2 file database (fresh, migrated), with
 * every index, and then with each index dropped in turn (recreated after). No summaries: the rows alone.
 * Run: java -cp "ivr-server/target/ivr-server.jar:ivr-server/target/lib/*" docs/benchmarks/r14s-probes/JournalRowProbe.java [flushes (60)] [each: also without each index in turn]
 * jr20 added: "layouts" instead of "each": other layouts of the indexes before V170 (with a jar built before it); a
 * second argument starting with ";": H2 settings added to the server's URL (";PAGE_SIZE=1024"), every index only.
 */
public class JournalRowProbe {
    static final String INSERT = "insert into journal_events (event_id, occurred_at, event_day, event_type, call_id,"
            + " flow, flow_node, queue, agent_id, duration_ms, detail, reason, server, customer_id) values"
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    static long call;
    static Instant t = Instant.parse("2026-12-05T10:00:00Z");

    public static void main(String[] args) throws Exception {
        int flushes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path dir = Files.createTempDirectory("journal-row-probe");
        Database db = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), dir);
        while (!db.isReady()) {
            Thread.sleep(100);
        }
        List<String[]> indexes = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select index_name, (select listagg(column_name, ', ') within group (order by ordinal_position)"
                     + " from information_schema.index_columns ic where ic.index_name = i.index_name and ic.table_name = i.table_name)"
                     + " from information_schema.indexes i where table_name = 'journal_events' and index_type_name = 'INDEX'")) {
            while (rs.next()) {
                indexes.add(new String[]{rs.getString(1), rs.getString(2)});
            }
        }
        db.close();
        // each configuration on its own fresh database, the same rows: the tree's depth and H2's cache alike. A
        // configuration: its name, settings added to the server's H2 URL (or null), the statements that make it
        List<String[]> configs = new ArrayList<>();
        configs.add(new String[]{"every index", null});
        String mode = args.length > 1 ? args[1] : "";
        if (mode.equals("each")) {
            for (String[] ix : indexes) {
                configs.add(new String[]{"without " + ix[0] + " (" + ix[1] + ")", null, "drop index " + ix[0]});
            }
        } else if (mode.equals("layouts")) { // jr20: other layouts of the schema before V170 (run it with a jar before it)
            configs.add(new String[]{"by_call and the event_id constraint as one unique (call_id, event_id)", null,
                    "alter table journal_events drop constraint journal_events_event_id", "drop index journal_events_by_call",
                    "create unique index journal_events_by_call on journal_events (call_id, event_id)"});
            configs.add(new String[]{"by_type_time and the event_id constraint as one unique (event_type, occurred_at, event_id)", null,
                    "alter table journal_events drop constraint journal_events_event_id", "drop index journal_events_by_type_time",
                    "create unique index journal_events_by_type_time on journal_events (event_type, occurred_at, event_id)"});
            configs.add(new String[]{"without by_customer_type", null, "drop index journal_events_by_customer_type"});
            configs.add(new String[]{"without by_time", null, "drop index journal_events_by_time"});
        } else if (mode.startsWith(";")) { // jr20: H2 settings on the URL
            configs.set(0, new String[]{"every index, with " + mode, mode});
        }
        if (!mode.startsWith(";")) {
            configs.add(new String[]{"every index", null});
        }
        for (String[] cfg : configs) {
            Path freshDir = Files.createTempDirectory("journal-row-probe");
            String url = cfg[1] == null ? "" : Database.effectiveUrl(new DatabaseConfig("", "sa", "", 3, 2,
                    Duration.ofMillis(500)), freshDir) + cfg[1];
            Database fresh = Database.open(new DatabaseConfig(url, "sa", "", 3, 2, Duration.ofMillis(500)), freshDir);
            while (!fresh.isReady()) {
                Thread.sleep(100);
            }
            try (Connection c = fresh.dataSource().getConnection(); Statement s = c.createStatement()) {
                for (int i = 2; i < cfg.length; i++) {
                    s.execute(cfg[i]);
                }
            }
            call = 0;
            t = Instant.parse("2026-12-05T10:00:00Z");
            run(fresh, 20, null); // warm-up
            double[] r = run(fresh, flushes, null);
            System.out.printf("%s: %.1f KB allocated, %.1f µs CPU (the writing thread's %.1f µs) per row%n", cfg[0], r[0], r[1], r[2]);
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
