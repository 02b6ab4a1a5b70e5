package dev.ivr.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.config.DatabaseConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal summary's writer looks up a customer's neighbouring ended calls (first-contact resolution) once per
 * identified call. On the embedded H2 database that lookup must come from the customer's own index entries: with
 * only {@code (customer_id, occurred_at)} H2 walked {@code journal_events_by_type_time}, every CALL_ENDED event of the
 * journal, per call (issue 16, call set-up). V151 adds {@code (customer_id, event_type, occurred_at)}.
 */
class CustomerCallsPlanTest {
    /** The three parts of JournalSummary's customer window, as it sends them. */
    private static final String COLS = "select seq, event_id, occurred_at, event_type, call_id, queue, agent_id,"
            + " duration_ms, detail, customer_id from journal_events where customer_id = ? and event_type = 'CALL_ENDED'";
    private static final String WINDOW = "select * from ((" + COLS + " and occurred_at < ?"
            + " order by occurred_at desc, seq desc fetch first 1 rows only) union all (" + COLS
            + " and occurred_at >= ? and occurred_at <= ?) union all (" + COLS + " and occurred_at > ?"
            + " order by occurred_at, seq fetch first 1 rows only)) w order by occurred_at, seq";

    @TempDir
    Path tmp;

    @Test
    void aCustomersEndedCallsAreFoundByTheirOwnIndexNotByWalkingEveryEndedCall() throws Exception {
        try (Database db = Database.open(new DatabaseConfig("", "sa", "", 2, 1, Duration.ofMillis(500)), tmp);
             Connection c = db.dataSource().getConnection()) {
            Instant t0 = Instant.parse("2026-12-01T08:00:00Z");
            try (PreparedStatement ps = c.prepareStatement("insert into journal_events (event_id, occurred_at, event_day,"
                    + " event_type, call_id, customer_id) values (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 3000; i++) {
                    Instant at = t0.plusSeconds(i);
                    for (String type : new String[]{"CALL_ENTERED", "CALL_NODE", "CALL_ENDED"}) {
                        ps.setString(1, "e" + i + type);
                        ps.setTimestamp(2, Timestamp.from(at));
                        ps.setObject(3, java.time.LocalDate.of(2026, 12, 1));
                        ps.setString(4, type);
                        ps.setString(5, "call" + i);
                        ps.setString(6, "C" + (i % 1000));
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.execute("analyze");
            }
            String plan;
            try (PreparedStatement ps = c.prepareStatement("explain " + WINDOW)) {
                bind(ps, t0.plusSeconds(1500));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    plan = rs.getString(1);
                }
            }
            assertThat(plan).contains("journal_events_by_customer_type").doesNotContain("journal_events_by_type_time");

            // and it finds the same calls: customer C7's ended calls at 7, 1007, 2007 s; the window around 1007 s
            try (PreparedStatement ps = c.prepareStatement(WINDOW)) {
                bind(ps, t0.plusSeconds(1007));
                ps.setString(1, "C7");
                ps.setString(3, "C7");
                ps.setString(6, "C7");
                try (ResultSet rs = ps.executeQuery()) {
                    StringBuilder calls = new StringBuilder();
                    while (rs.next()) {
                        calls.append(rs.getString("call_id")).append(' ');
                    }
                    assertThat(calls.toString().trim()).isEqualTo("call7 call1007 call2007");
                }
            }
        }
    }

    private static void bind(PreparedStatement ps, Instant at) throws Exception {
        Timestamp t = Timestamp.from(at);
        ps.setString(1, "C42");
        ps.setTimestamp(2, t);
        ps.setString(3, "C42");
        ps.setTimestamp(4, t);
        ps.setTimestamp(5, t);
        ps.setString(6, "C42");
        ps.setTimestamp(7, t);
    }
}
