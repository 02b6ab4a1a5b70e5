package dev.ivr.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.report.Reports;
import dev.ivr.server.journal.store.FlowReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V160 and V161 on a journal the last release wrote (migrated up to V159: events, no flow summary): the migration
 * back-fills the flow summary from the events already there, and the flow report read from it is the one the events
 * give.
 */
class FlowSummaryMigrationTest {
    @TempDir
    Path tmp;

    @Test
    void theMigrationBackFillsTheFlowSummaryFromTheEventsAlreadyThere() throws Exception {
        DatabaseConfig config = new DatabaseConfig("", "sa", "", 4, 1, Duration.ofMillis(500));
        String url = Database.effectiveUrl(config, tmp);
        Files.createDirectories(tmp.resolve("db"));
        DurableFilePath.register();
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target("159").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            // a: entered main at 09:05, self-served at 09:20; b: entered main at 09:10, routed; c: entered at 08:50,
            // self-served at 09:35 (in a period from 09:00 it counts at its node, 09:31, for main)
            insert(c, "a1", "09:05:00", "CALL_ENTERED", "a", null);
            insert(c, "a2", "09:20:00", "CALL_ENDED", "a", "SELF_SERVED");
            insert(c, "b1", "09:10:00", "CALL_ENTERED", "b", null);
            insert(c, "b2", "09:12:00", "CALL_ENDED", "b", "ROUTED");
            insert(c, "c1", "08:50:00", "CALL_ENTERED", "c", null);
            insert(c, "c2", "09:31:00", "CALL_NODE", "c", null);
            insert(c, "c3", "09:35:00", "CALL_ENDED", "c", "SELF_SERVED");
            try (Statement s = c.createStatement()) {
                s.execute("shutdown");
            }
        }
        try (Database db = Database.open(config, tmp)) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).as(db.health().detail()).isTrue();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select sum(entered), sum(served) from journal_flow_quarters")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(3); // a, b, c entered
                // a self-served end has a row per quarter hour in which its call has a flow event: a and c two each
                assertThat(rs.getLong(2)).isEqualTo(4);
            }
            FlowReport report = new FlowReport(db.dataSource(), db.dialect(), new Reports(KpiRules.DEFAULT, Duration.ofDays(7)));
            Instant from = Instant.parse("2026-03-02T09:00:00Z");
            Instant to = Instant.parse("2026-03-02T10:00:00Z");
            Intervals quarters = Intervals.parse("15m", ZoneOffset.UTC);
            assertThat(report.table(from, to, quarters, null).csv())
                    .isEqualTo(report.inMemory(from, to, quarters, null).csv())
                    .isEqualTo("""
                            interval_start,interval_end,flow,entered,self_served,containment_pct
                            2026-03-02T09:00:00Z,2026-03-02T09:15:00Z,main,2,1,50.0
                            """.replace("\n", "\r\n"));
        }
    }

    private static void insert(Connection c, String id, String time, String type, String call, String detail)
            throws Exception {
        Instant at = Instant.parse("2026-03-02T" + time + "Z");
        try (PreparedStatement ps = c.prepareStatement("insert into journal_events (event_id, occurred_at, event_day,"
                + " event_type, call_id, flow, detail) values (?, ?, ?, ?, ?, 'main', ?)")) {
            ps.setString(1, id);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setObject(3, at.atZone(ZoneOffset.UTC).toLocalDate());
            ps.setString(4, type);
            ps.setString(5, call);
            ps.setString(6, detail);
            ps.executeUpdate();
        }
    }
}
