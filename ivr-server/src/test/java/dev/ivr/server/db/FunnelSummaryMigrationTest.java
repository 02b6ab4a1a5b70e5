package dev.ivr.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.config.DatabaseConfig;
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
 * V164 and V165 on a journal the last release wrote (migrated up to V162: events, no funnel summary): the migration
 * back-fills the funnel summary from the events already there, and the funnel read from it is the one the events
 * give.
 */
class FunnelSummaryMigrationTest {
    @TempDir
    Path tmp;

    @Test
    void theMigrationBackFillsTheFunnelSummaryFromTheEventsAlreadyThere() throws Exception {
        DatabaseConfig config = new DatabaseConfig("", "sa", "", 4, 1, Duration.ofMillis(500));
        String url = Database.effectiveUrl(config, tmp);
        Files.createDirectories(tmp.resolve("db"));
        DurableFilePath.register();
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target("162").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            // a: entered main, menu, pin, hung up at pin; b: entered main, menu twice, then routed
            insert(c, "a1", "09:05:00", "CALL_ENTERED", "a", null, null);
            insert(c, "a2", "09:06:00", "CALL_NODE", "a", "menu", null);
            insert(c, "a3", "09:07:00", "CALL_NODE", "a", "pin", null);
            insert(c, "a4", "09:08:00", "CALL_ENDED", "a", "pin", "ABANDONED_IN_IVR");
            insert(c, "b1", "09:10:00", "CALL_ENTERED", "b", null, null);
            insert(c, "b2", "09:11:00", "CALL_NODE", "b", "menu", null);
            insert(c, "b3", "09:16:00", "CALL_NODE", "b", "menu", null);
            insert(c, "b4", "09:17:00", "CALL_ENDED", "b", "queue", "ROUTED");
            try (Statement s = c.createStatement()) {
                s.execute("shutdown");
            }
        }
        try (Database db = Database.open(config, tmp)) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).as(db.health().detail()).isTrue();
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select sum(entered), sum(hung_up) from journal_funnel_quarters")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2); // a and b entered
                assertThat(rs.getLong(2)).isEqualTo(1); // a hung up at pin (a's events lie in one quarter hour)
            }
            FlowReport report = new FlowReport(db.dataSource(), db.dialect(), new Reports(KpiRules.DEFAULT, Duration.ofDays(7)));
            Instant from = Instant.parse("2026-03-02T09:00:00Z");
            Instant to = Instant.parse("2026-03-02T10:00:00Z");
            assertThat(report.funnel(from, to, null).csv())
                    .isEqualTo(report.funnelInMemory(from, to, null).csv())
                    .isEqualTo("""
                            flow,node,reached,hung_up,reached_pct
                            main,menu,2,0,100.0
                            main,pin,1,1,50.0
                            """.replace("\n", "\r\n"));
        }
    }

    private static void insert(Connection c, String id, String time, String type, String call, String node,
                               String detail) throws Exception {
        Instant at = Instant.parse("2026-03-02T" + time + "Z");
        try (PreparedStatement ps = c.prepareStatement("insert into journal_events (event_id, occurred_at, event_day,"
                + " event_type, call_id, flow, flow_node, detail) values (?, ?, ?, ?, ?, 'main', ?, ?)")) {
            ps.setString(1, id);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setObject(3, at.atZone(ZoneOffset.UTC).toLocalDate());
            ps.setString(4, type);
            ps.setString(5, call);
            ps.setString(6, node);
            ps.setString(7, detail);
            ps.executeUpdate();
        }
    }
}
