import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * jn21: what one node event's row costs H2 by the way it is written, on a fresh database migrated by the jar given
 * (V171's schema): flushes of 600 node rows (100 calls of 6) in one transaction, each way on its own fresh database.
 * Bytes the writing thread allocated and its CPU per row.
 * Run: java -cp "ivr-server/target/ivr-server.jar:ivr-server/target/lib/*" docs/benchmarks/r21-jn21/NodeInsertProbe.java [flushes (200)]
 */
public class NodeInsertProbe {
    static final String EVENTS = "insert into journal_events (event_id, occurred_at, event_day, event_type, call_id,"
            + " flow, flow_node, queue, agent_id, duration_ms, detail, reason, server, customer_id) values"
            + " (?, ?, ?, 'CALL_NODE', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    static final String VALUES = "insert into journal_nodes (event_id, occurred_at, event_day, call_id, flow, flow_node,"
            + " server, seq) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    static final String SELECT = "insert into journal_nodes (event_id, occurred_at, event_day, call_id, flow,"
            + " flow_node, server, seq) select cast(? as varchar(40)), cast(? as timestamp with time zone),"
            + " cast(? as date), cast(? as varchar(128)), cast(? as varchar(200)), cast(? as varchar(200)),"
            + " cast(? as varchar(100)), cast(? as bigint) on conflict do nothing";
    static final String GUARDED = SELECT.replace(" on conflict do nothing",
            " where not exists (select 1 from journal_events where call_id = ? and event_id = ?) on conflict do nothing");

    public static void main(String[] args) throws Exception {
        int flushes = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        for (String way : List.of("journal_events (main's row)", "journal_nodes, values", "journal_nodes, insert-select",
                "journal_nodes, insert-select guarded (V171's)", "journal_events (main's row)", "journal_nodes, values")) {
            Path dir = Files.createTempDirectory("node-insert-probe");
            Database db = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), dir);
            while (!db.isReady()) {
                Thread.sleep(100);
            }
            run(db, way, 40);
            double[] r = run(db, way, flushes);
            System.out.printf("%s: %.1f KB, %.1f µs the writing thread's CPU per row%n", way, r[0], r[1]);
            db.close();
        }
    }

    static long call, seq = 1_000_000;

    static double[] run(Database db, String way, int flushes) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        long bytes = 0, cpu = 0, rows = 0;
        Instant t = Instant.parse("2026-12-05T10:00:00Z").plusSeconds(call);
        String sql = way.startsWith("journal_events") ? EVENTS : way.endsWith("values") ? VALUES
                : way.contains("guarded") ? GUARDED : SELECT;
        for (int f = 0; f < flushes; f++) {
            long b0 = threads.getThreadAllocatedBytes(me);
            long c0 = threads.getCurrentThreadCpuTime();
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int k = 0; k < 100; k++, call++) {
                        String id = "1764900000." + call;
                        for (String node : List.of("welcome", "menu", "collect", "say", "set", "hang-up")) {
                            String eventId = java.util.UUID.randomUUID().toString();
                            ps.setString(1, eventId);
                            ps.setTimestamp(2, Timestamp.from(t));
                            ps.setObject(3, LocalDate.of(2026, 12, 5));
                            ps.setString(4, id);
                            ps.setString(5, "simple");
                            ps.setString(6, node);
                            if (sql == EVENTS) {
                                ps.setString(7, null);
                                ps.setString(8, null);
                                ps.setNull(9, Types.BIGINT);
                                ps.setString(10, null);
                                ps.setString(11, null);
                                ps.setString(12, "bench");
                                ps.setString(13, null);
                            } else {
                                ps.setString(7, "bench");
                                ps.setLong(8, seq++);
                                if (sql == GUARDED) {
                                    ps.setString(9, id);
                                    ps.setString(10, eventId);
                                }
                            }
                            ps.addBatch();
                            rows++;
                        }
                    }
                    ps.executeBatch();
                }
                c.commit();
            }
            bytes += threads.getThreadAllocatedBytes(me) - b0;
            cpu += threads.getCurrentThreadCpuTime() - c0;
        }
        return new double[]{bytes / 1024.0 / rows, cpu / 1e3 / rows};
    }
}
