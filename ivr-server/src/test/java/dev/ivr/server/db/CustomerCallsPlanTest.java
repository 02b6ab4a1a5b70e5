package dev.ivr.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.config.DatabaseConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal summary's writer looks up a customer's neighbouring ended calls (first-contact resolution) once per
 * identified call. On the embedded H2 database that lookup must come from the customer's own index entries: with
 * only {@code (customer_id, occurred_at)} H2 walked {@code journal_events_by_type_time}, every CALL_ENDED event of the
 * journal, per call, on the call-setup benchmark's database (issue 16). V151 adds {@code (customer_id, event_type,
 * occurred_at)}. On this small synthetic journal H2 also picks the older index without V151: the test guards the plan
 * (an index led by customer_id, never a walk of a type or time index) and the rows, it does not reproduce the bad plan.
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
            // as the journal is: seven events per call, the customer only on CALL_ENDED, most customers calling once
            String[] types = {"CALL_ENTERED", "CALL_NODE", "CALL_NODE", "CALL_IDENTIFIED", "CALL_NODE", "CALL_NODE", "CALL_ENDED"};
            try (PreparedStatement ps = c.prepareStatement("insert into journal_events (event_id, occurred_at, event_day,"
                    + " event_type, call_id, customer_id) values (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < 1000; i++) {
                    Instant at = t0.plusSeconds(i);
                    for (int k = 0; k < types.length; k++) {
                        ps.setString(1, "e" + i + "-" + k);
                        ps.setTimestamp(2, Timestamp.from(at));
                        ps.setObject(3, java.time.LocalDate.of(2026, 12, 1));
                        ps.setString(4, types[k]);
                        ps.setString(5, "call" + i);
                        ps.setString(6, types[k].equals("CALL_ENDED") ? "C" + (i < 30 ? i % 10 : i) : null);
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
            String plan;
            try (PreparedStatement ps = c.prepareStatement("explain " + WINDOW)) {
                bind(ps, t0.plusSeconds(500)); // C42: one ended call, at 42 s
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    plan = rs.getString(1);
                }
            }
            // each part reads the customer's own entries (an index led by customer_id), never every ended call
            assertThat(plan).contains("journal_events_by_customer").doesNotContain("journal_events_by_type_time")
                    .doesNotContain("journal_events_by_time").doesNotContain("journal_events_by_day");

            // and it finds the same calls: customer C7's ended calls at 7, 17, 27 s; the window around 17 s
            try (PreparedStatement ps = c.prepareStatement(WINDOW)) {
                bind(ps, t0.plusSeconds(17));
                ps.setString(1, "C7");
                ps.setString(3, "C7");
                ps.setString(6, "C7");
                try (ResultSet rs = ps.executeQuery()) {
                    StringBuilder calls = new StringBuilder();
                    while (rs.next()) {
                        calls.append(rs.getString("call_id")).append(' ');
                    }
                    assertThat(calls.toString().trim()).isEqualTo("call7 call17 call27");
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
