import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * jr20 (V170): on the migrated schema of H2 (the server's default file database) or a throwaway PostgreSQL
 * (test-support's PostgresServer), a journal of --calls calls of 8 events (entered, 5 nodes, queued, ended) and one
 * agent event without a call per call, written with the journal writer's insert; then (1) the same events again
 * (a replay: nothing may be added, also for the events without a call id) and (2) EXPLAIN of the statements that find
 * rows by call id: the readers' shapes (JournalSummary, QueueReport, FunnelSummary, FlowSummary, CampaignTalk's join)
 * and the writer's look-ups by call id and event id. Prints the plans.
 * Run: java -cp "ivr-server/target/ivr-server.jar:ivr-server/target/lib/*:test-support/target/test-support-0.1.0-SNAPSHOT.jar"
 *   docs/benchmarks/r20-jr20/CallEventPlanProbe.java [h2|postgres] [calls (20000)]
 */
public class CallEventPlanProbe {
    static final String INSERT = "insert into journal_events (event_id, occurred_at, event_day, event_type, call_id,"
            + " flow, flow_node, queue, agent_id, duration_ms, detail, reason, server, customer_id) values"
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    static final String COLS = "seq, event_id, occurred_at, event_type, call_id, queue, agent_id, duration_ms, detail, customer_id";

    public static void main(String[] a) throws Exception {
        boolean pg = a.length > 0 && a[0].equals("postgres");
        int calls = a.length > 1 ? Integer.parseInt(a[1]) : 20_000;
        var dir = Files.createTempDirectory("call-event-plan");
        DatabaseConfig cfg = pg
                ? new DatabaseConfig(dev.ivr.testsupport.PostgresServer.get().newDatabase(), dev.ivr.testsupport.PostgresServer.USER, "", 4, 1, Duration.ofSeconds(10))
                : new DatabaseConfig("", "sa", "", 4, 1, Duration.ofSeconds(10));
        try (Database db = Database.open(cfg, dir)) {
            if (!db.awaitReady(Duration.ofSeconds(120))) {
                throw new IllegalStateException("not ready");
            }
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                int[] first = write(c, calls);
                int[] again = write(c, calls);
                System.out.printf("written: %d rows; the same events again: %d rows added%n", sum(first), sum(again));
                try (ResultSet rs = s.executeQuery("select count(*), count(distinct event_id), count(call_id) from journal_events")) {
                    rs.next();
                    System.out.printf("table: %d rows, %d distinct event ids, %d with a call id%n", rs.getLong(1), rs.getLong(2), rs.getLong(3));
                }
                if (pg) {
                    s.execute("analyze journal_events");
                }
                c.commit();
                String call = "1764900000." + (calls / 2);
                String id = eventId(calls / 2, 7);
                String agentId = eventId(calls / 2, 8);
                for (String q : List.of(
                        "select " + COLS + " from journal_events where call_id = '" + call + "' and event_id = '" + id + "'",
                        "select event_id from journal_events where call_id = '" + call + "' and event_id = '" + id + "'",
                        "select " + COLS + " from journal_events where call_id is null and event_id = '" + agentId + "'",
                        "select " + COLS + " from journal_events where call_id = '" + call + "' and queue is not null order by occurred_at, seq",
                        "select " + COLS + " from journal_events where call_id in ('" + call + "', '1764900000.7') and queue is not null order by occurred_at, seq",
                        "select call_id, seq, event_id, occurred_at, event_type, flow, flow_node, detail from journal_events where call_id in ('" + call
                                + "', '1764900000.7') and (case when event_type in ('CALL_ENTERED', 'CALL_NODE', 'CALL_ENDED') then 1 else 0 end) = 1 order by call_id, occurred_at, seq",
                        "select e.event_type, (select q2.queue from journal_events q2 where q2.call_id = e.call_id and q2.queue is not null"
                                + " order by q2.occurred_at, q2.seq fetch first 1 rows only) from journal_events e where e.event_type = 'CALL_ENDED'"
                                + " and e.occurred_at >= timestamp with time zone '2026-12-05 10:00:00+00' and e.occurred_at < timestamp with time zone '2026-12-05 10:00:05+00'",
                        "select count(*) from (select distinct call_id from journal_events where event_type = 'CALL_QUEUED'"
                                + " and occurred_at < timestamp with time zone '2026-12-05 10:00:02+00') x join journal_events e on e.call_id = x.call_id")) {
                    System.out.println("\n-- " + q);
                    try (ResultSet rs = s.executeQuery((pg ? "explain " : "explain ") + q)) {
                        while (rs.next()) {
                            System.out.println(rs.getString(1));
                        }
                    }
                }
            }
        }
    }

    static int sum(int[] n) {
        int s = 0;
        for (int x : n) {
            s += Math.max(0, x);
        }
        return s;
    }

    /** A fixed id per call and event (a replay has the same). */
    static String eventId(int call, int k) {
        return new java.util.UUID(0x0190000000007000L | ((long) call << 16), 0x8000000000000000L | k).toString();
    }

    static int[] write(Connection c, int calls) throws Exception {
        Instant t0 = Instant.parse("2026-12-05T10:00:00Z");
        int[] n = new int[0];
        int total = 0;
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int call = 0; call < calls; call++) {
                Instant t = t0.plusMillis(call * 3L);
                String id = "1764900000." + call;
                String[] types = {"CALL_ENTERED", "CALL_NODE", "CALL_NODE", "CALL_NODE", "CALL_NODE", "CALL_NODE", "CALL_QUEUED", "CALL_ENDED", "AGENT_STATE"};
                for (int k = 0; k < types.length; k++) {
                    boolean agent = k == 8;
                    ps.setString(1, eventId(call, k));
                    ps.setTimestamp(2, Timestamp.from(t.plusMillis(k)));
                    ps.setDate(3, java.sql.Date.valueOf("2026-12-05"));
                    ps.setString(4, types[k]);
                    ps.setString(5, agent ? null : id);
                    ps.setString(6, agent ? null : "customer-service");
                    ps.setString(7, k >= 1 && k <= 5 ? "node" + k : null);
                    ps.setString(8, k >= 6 && !agent ? "billing" : null);
                    ps.setString(9, agent ? "a" + (call % 50) : null);
                    ps.setNull(10, Types.BIGINT);
                    ps.setString(11, agent ? "READY" : null);
                    ps.setString(12, null);
                    ps.setString(13, "probe");
                    ps.setString(14, k == 7 ? "C" + call : null);
                    ps.addBatch();
                }
                if (call % 500 == 499 || call == calls - 1) {
                    int[] r = ps.executeBatch();
                    for (int x : r) {
                        total += Math.max(0, x);
                    }
                }
            }
        }
        c.commit();
        return new int[]{total};
    }
}
