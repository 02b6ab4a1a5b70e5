package dev.ivr.server.journal.store;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.server.journal.report.Reports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flow report summed by the database ({@link FlowReport}): calls worked out by hand around quarter-hour edges
 * (a call that starts just before an edge and ends after it, one at the edge, one that entered before the period,
 * a resumption, one that ends after the period, a period cut inside quarter hours), and the same table as the events
 * read into memory ({@link Reports#flows}) on those calls and on two generated days, for every interval and two
 * time zones.
 */
abstract class FlowReportContract {
    private static final Instant NINE = Instant.parse("2026-03-02T09:00:00Z");
    private static final Instant TEN = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path tmp;
    private Database db;
    private FlowReport report;

    /** A JDBC URL of an empty database ("" for the default H2 file database in the directory), and its user. */
    protected abstract String[] database(Path dir);

    @BeforeEach
    void open() {
        String[] d = database(tmp);
        db = Database.open(new DatabaseConfig(d[0], d[1], "", 4, 1, Duration.ofSeconds(5)), tmp);
        assertThat(db.awaitReady(Duration.ofSeconds(60))).as(db.health().detail()).isTrue();
        report = new FlowReport(db.dataSource(), new Reports(new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5),
                Map.of()), Duration.ofDays(7)));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private void insert(List<JournalEvent> events) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(JdbcJournal.INSERT)) {
            for (JournalEvent e : events) {
                JdbcJournal.bind(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Instant at(String hhmmss) {
        return Instant.parse("2026-03-02T" + hhmmss + "Z");
    }

    private static JournalEvent ev(String time, Type type, String call, String flow, String node, String detail) {
        return JournalEvent.of(at(time), type, call, flow, node, null, null, null, detail, null, "test");
    }

    /** The calls worked out by hand (the test's expectations say what each counts for). */
    static List<JournalEvent> calls() {
        List<JournalEvent> l = new ArrayList<>();
        // a: entered main 09:00, served by the flow: main 09:00-09:15 entered 1, self-served 1
        l.add(ev("09:00:00", Type.CALL_ENTERED, "a", "main", null, null));
        l.add(ev("09:00:05", Type.CALL_NODE, "a", "main", "menu", null));
        l.add(ev("09:02:00", Type.CALL_ENDED, "a", "main", "end", "SELF_SERVED"));
        // b: entered a millisecond before the quarter's edge, ended after it, routed: counts in 09:00-09:15
        l.add(ev("09:14:59.999", Type.CALL_ENTERED, "b", "main", null, null));
        l.add(ev("09:15:10", Type.CALL_NODE, "b", "main", "menu", null));
        l.add(ev("09:20:00", Type.CALL_ENDED, "b", "main", "queue", "ROUTED"));
        // c: entered exactly at the edge: 09:15-09:30
        l.add(ev("09:15:00", Type.CALL_ENTERED, "c", "main", null, null));
        l.add(ev("09:16:00", Type.CALL_ENDED, "c", "main", "end", "SELF_SERVED"));
        // d: entered billing, resumed on another server (not entered twice), served: billing 09:15-09:30 1/1
        l.add(ev("09:20:00", Type.CALL_ENTERED, "d", "billing", null, null));
        l.add(ev("09:21:00", Type.CALL_ENTERED, "d", "billing", null, "resumed"));
        l.add(ev("09:25:00", Type.CALL_ENDED, "d", "billing", "end", "SELF_SERVED"));
        // e: entered before 09:00; its first event in a period from 09:00 is the node at 09:01: self-served counts
        // there for the flow its end names, entered does not
        l.add(ev("08:58:00", Type.CALL_ENTERED, "e", "main", null, null));
        l.add(ev("09:01:00", Type.CALL_NODE, "e", "main", "menu", null));
        l.add(ev("09:03:00", Type.CALL_ENDED, "e", "main", "end", "SELF_SERVED"));
        // f: entered main 09:40, served after 10:00: entered only, in a period that ends at 10:00
        l.add(ev("09:40:00", Type.CALL_ENTERED, "f", "main", null, null));
        l.add(ev("10:05:00", Type.CALL_ENDED, "f", "main", "end", "SELF_SERVED"));
        // g: only a resumption of sales in the period: nobody entered sales, no sales row
        l.add(ev("09:50:00", Type.CALL_ENTERED, "g", "sales", null, "resumed"));
        l.add(ev("09:52:00", Type.CALL_ENDED, "g", "sales", "end", "SELF_SERVED"));
        // h: entered main, its end names another flow: the self-served counts for main, the flow it entered
        l.add(ev("09:46:00", Type.CALL_ENTERED, "h", "main", null, null));
        l.add(ev("09:47:00", Type.CALL_ENDED, "h", "survey", "end", "SELF_SERVED"));
        return l;
    }

    private ReportTable same(Instant from, Instant to, String interval, ZoneId zone, String flow) throws Exception {
        Intervals intervals = Intervals.parse(interval, zone);
        ReportTable sql = report.table(from, to, intervals, flow);
        assertThat(sql.csv()).as(from + " " + to + " " + interval + " " + zone + " " + flow)
                .isEqualTo(report.inMemory(from, to, intervals, flow).csv());
        return sql;
    }

    @Test
    void theHandWorkedCallsPerQuarterHourAndHour() throws Exception {
        insert(calls());
        ZoneId utc = ZoneId.of("UTC");
        assertThat(same(NINE, TEN, "15m", utc, null).csv()).isEqualTo("""
                interval_start,interval_end,flow,entered,self_served,containment_pct
                2026-03-02T09:00:00Z,2026-03-02T09:15:00Z,main,2,2,100.0
                2026-03-02T09:15:00Z,2026-03-02T09:30:00Z,billing,1,1,100.0
                2026-03-02T09:15:00Z,2026-03-02T09:30:00Z,main,1,1,100.0
                2026-03-02T09:30:00Z,2026-03-02T09:45:00Z,main,1,0,0.0
                2026-03-02T09:45:00Z,2026-03-02T10:00:00Z,main,1,1,100.0
                """.replace("\n", "\r\n"));
        assertThat(same(NINE, TEN, "60m", utc, null).csv()).isEqualTo("""
                interval_start,interval_end,flow,entered,self_served,containment_pct
                2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,billing,1,1,100.0
                2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,main,5,4,80.0
                """.replace("\n", "\r\n"));
        assertThat(same(NINE, TEN, "all", utc, "billing").maps()).singleElement()
                .satisfies(m -> assertThat(m.get("entered")).isEqualTo(1L));
        assertThat(same(NINE, TEN, "60m", utc, "sales").rows()).isEmpty();
        // a period cut inside quarter hours: b at 09:14:59.999 counts in 09:14-09:15, e is out, f ends after it
        assertThat(same(at("09:14:00"), at("09:41:00"), "15m", utc, null).csv()).isEqualTo("""
                interval_start,interval_end,flow,entered,self_served,containment_pct
                2026-03-02T09:14:00Z,2026-03-02T09:15:00Z,main,1,0,0.0
                2026-03-02T09:15:00Z,2026-03-02T09:30:00Z,billing,1,1,100.0
                2026-03-02T09:15:00Z,2026-03-02T09:30:00Z,main,1,1,100.0
                2026-03-02T09:30:00Z,2026-03-02T09:41:00Z,main,1,0,0.0
                """.replace("\n", "\r\n"));
        // a period that ends a millisecond after b entered: b alone
        assertThat(same(at("09:14:59.999"), at("09:15:00"), "15m", utc, null).rows()).hasSize(1);
    }

    @Test
    void generatedDaysSumTheSameAsInMemory() throws Exception {
        Instant first = Instant.parse("2026-03-01T00:00:00Z");
        insert(JournalGenerator.list(3, first, 2, 8_000));
        Instant to = first.plus(Duration.ofDays(2));
        for (ZoneId zone : List.of(ZoneId.of("UTC"), ZoneId.of("America/St_Johns"))) {
            for (String interval : List.of("15m", "30m", "60m", "day", "week", "all")) {
                same(first, to, interval, zone, null);
            }
        }
        same(first.plusSeconds(3_700), to.minusSeconds(1_234), "60m", ZoneId.of("UTC"), "customer-service");
        // a zone whose offset is not whole quarter hours (Liberia's old time, -0:44:30) is read from the events
        assertThat(same(first, to, "60m", ZoneId.of("-00:44:30"), null).rows()).isNotEmpty();
    }
}
