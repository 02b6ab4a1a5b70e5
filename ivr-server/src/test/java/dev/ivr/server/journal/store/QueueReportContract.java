package dev.ivr.server.journal.store;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.FirstContactTest;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.kpi.ScriptedDay;
import dev.ivr.server.journal.report.ReportTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Random;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue report summed by the database gives the same table as the events read into memory and
 * {@link dev.ivr.server.journal.kpi.KpiCalculator} (itself checked by hand in KpiCalculatorTest): on the scripted
 * hour, on the first-contact scripted calls, and on two generated days, for every interval and two time zones.
 */
abstract class QueueReportContract {
    private static final KpiRules RULES = new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5),
            Map.of("sales", Duration.ofSeconds(30), "vip", Duration.ofSeconds(10)));
    private static final Duration FCR = Duration.ofDays(7);

    @TempDir
    Path tmp;
    private Database db;
    private QueueReport report;

    /** A JDBC URL of an empty database ("" for the default H2 file database in the directory), and its user. */
    protected abstract String[] database(Path dir);

    @BeforeEach
    void open() {
        String[] d = database(tmp);
        db = Database.open(new DatabaseConfig(d[0], d[1], "", 4, 1, Duration.ofSeconds(5)), tmp);
        assertThat(db.awaitReady(Duration.ofSeconds(60))).as(db.health().detail()).isTrue();
        report = new QueueReport(db.dataSource(), db.dialect(), RULES, FCR);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Writes the events as the journal writer does: in batches, each with its summary rows. */
    private void insert(List<JournalEvent> events) throws Exception {
        insert(events, JdbcJournal.BATCH);
    }

    private void insert(List<JournalEvent> events, int batch) throws Exception {
        JournalSummary summary = new JournalSummary(db.dialect(), RULES, FCR);
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < events.size(); i += batch) {
                summary.write(c, events.subList(i, Math.min(events.size(), i + batch)));
                c.commit();
            }
        }
    }

    private void assertSame(Instant from, Instant to, String interval, ZoneId zone, String queue) throws Exception {
        Intervals intervals = Intervals.parse(interval, zone);
        assertThat(QueueReport.quarterHours(from, to, intervals)).isTrue();
        ReportTable sql = report.table(from, to, intervals, queue);
        ReportTable memory = report.inMemory(from, to, intervals, queue);
        assertThat(sql.csv()).as(interval + " " + zone + " " + queue).isEqualTo(memory.csv());
    }

    @Test
    void theScriptedHourSumsTheSameInTheDatabase() throws Exception {
        insert(ScriptedDay.events());
        for (String interval : List.of("15m", "30m", "60m", "day", "all")) {
            assertSame(ScriptedDay.FROM, ScriptedDay.TO, interval, ZoneId.of("UTC"), null);
        }
        assertSame(ScriptedDay.FROM, ScriptedDay.TO, "15m", ZoneId.of("UTC"), "billing");
        assertSame(ScriptedDay.FROM, ScriptedDay.TO, "60m", ZoneId.of("UTC"), "nobody");
        // a period that starts and ends inside quarter hours, cutting calls and agents' talk
        assertSame(Instant.parse("2026-03-02T09:01:12Z"), Instant.parse("2026-03-02T09:44:10Z"), "15m", ZoneId.of("UTC"), null);
        ReportTable t = report.table(ScriptedDay.FROM, ScriptedDay.TO, Intervals.parse("all", ZoneId.of("UTC")), null);
        assertThat(t.maps()).filteredOn(m -> m.get("queue").equals("*")).singleElement().satisfies(m -> {
            assertThat(m.get("offered")).isEqualTo(7L);
            assertThat(m.get("answered")).isEqualTo(3L);
            assertThat(m.get("abandoned")).isEqualTo(2L);
            assertThat(m.get("short_abandoned")).isEqualTo(1L);
            assertThat(m.get("handled")).isEqualTo(3L);
        });
        assertThat(report.totals(ScriptedDay.FROM, ScriptedDay.TO).offered()).isEqualTo(7);
    }

    @Test
    void firstContactResolutionIsTheSameInTheDatabaseAndAsWorkedOutByHand() throws Exception {
        insert(FirstContactTest.calls());
        Intervals day = Intervals.parse("day", ZoneId.of("UTC"));
        ReportTable sql = report.table(FirstContactTest.FROM, FirstContactTest.TO, day, null);
        assertThat(sql.csv()).isEqualTo(report.inMemory(FirstContactTest.FROM, FirstContactTest.TO, day, null).csv());
        FirstContactTest.assertHandWorked(sql);
        assertSame(FirstContactTest.FROM, FirstContactTest.TO, "60m", ZoneId.of("UTC"), null);
    }

    /** The summary: another server's events arrive late and out of order, some twice (an outbox replayed). */
    @Test
    void theSummaryKeptInAnyOrderAndReplayedIsTheBackFillAndTheReportStaysTheSame() throws Exception {
        Instant first = Instant.parse("2026-03-01T00:00:00Z");
        List<JournalEvent> events = JournalGenerator.list(7, first, 2, 6_000);
        List<JournalEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, new Random(3));
        int n = shuffled.size();
        insert(shuffled.subList(0, n / 2), 97);
        insert(shuffled.subList(n / 4, n / 2), 500); // written again: the journal keeps them once, the summary too
        insert(shuffled.subList(n / 2, n), 53);
        insert(events.subList(0, n / 3), 500);
        List<String> kept = SummaryRows.of(db.dataSource());
        assertThat(kept).hasSizeGreaterThan(100);
        assertThat(SummaryRows.rebuilt(db.dataSource(), new JournalSummary(db.dialect(), RULES, FCR))).isEqualTo(kept);
        Instant from = first.plus(Duration.ofHours(6));
        Instant to = first.plus(Duration.ofDays(2));
        for (String interval : List.of("15m", "60m", "all")) {
            assertSame(from, to, interval, ZoneId.of("UTC"), null);
        }
        assertSame(from.plusSeconds(422), to.minusSeconds(3_333), "30m", ZoneId.of("UTC"), null);
    }

    /** A talk that spans a quarter hour counts in the quarter it ended in; a wrap-up open at the report's end up to it. */
    @Test
    void talkAcrossAQuarterHourAndAWrapUpOpenAtTheEnd() throws Exception {
        Instant t = Instant.parse("2026-03-02T09:00:00Z");
        List<JournalEvent> first = List.of(
                ev(t, JournalEvent.Type.AGENT_SIGNED_IN, null, null, "a1", null, "READY"),
                ev(t.plusSeconds(600), JournalEvent.Type.CALL_QUEUED, "c1", "billing", null, null, null),
                ev(t.plusSeconds(630), JournalEvent.Type.CALL_ANSWERED, "c1", "billing", "a1", 30_000L, null),
                ev(t.plusSeconds(630), JournalEvent.Type.AGENT_STATE, "c1", null, "a1", null, "ON_CALL"),
                ev(t.plusSeconds(970), JournalEvent.Type.AGENT_WRAP_UP, "c1", null, "a1", null, "WRAP_UP"),
                ev(t.plusSeconds(1020), JournalEvent.Type.AGENT_STATE, null, null, "a1", null, "READY"),
                ev(t.plusSeconds(1190), JournalEvent.Type.CALL_QUEUED, "c2", "sales", null, null, null),
                ev(t.plusSeconds(1200), JournalEvent.Type.CALL_ANSWERED, "c2", "sales", "a1", 10_000L, null),
                ev(t.plusSeconds(1200), JournalEvent.Type.AGENT_STATE, "c2", null, "a1", null, "ON_CALL"),
                ev(t.plusSeconds(1500), JournalEvent.Type.AGENT_WRAP_UP, "c2", null, "a1", null, "WRAP_UP"));
        insert(first);
        assertThat(SummaryRows.of(db.dataSource())).anySatisfy(r -> assertThat(r).startsWith(
                JournalSummary.quarter(t.plusSeconds(900)) + "|billing|0|0|0|0|0|0|0|0|0|0|0|1|340000|50000|"));
        // the second call's wrap-up is still open: the report counts it up to its end
        assertSame(t, t.plusSeconds(1800), "15m", ZoneId.of("UTC"), null);
        assertSame(t, t.plusSeconds(3600), "all", ZoneId.of("UTC"), null);
        insert(List.of(ev(t.plusSeconds(2400), JournalEvent.Type.AGENT_STATE, null, null, "a1", null, "READY")));
        // now closed after the report's end: still counted up to the end there, in full after
        assertSame(t, t.plusSeconds(1800), "15m", ZoneId.of("UTC"), null);
        assertSame(t, t.plusSeconds(3600), "15m", ZoneId.of("UTC"), null);
        assertThat(report.totals(t, t.plusSeconds(3600)).wrapUpMs()).isEqualTo(50_000 + 900_000);
        assertThat(report.totals(t, t.plusSeconds(1800)).wrapUpMs()).isEqualTo(50_000 + 300_000);
        assertThat(SummaryRows.rebuilt(db.dataSource(), new JournalSummary(db.dialect(), RULES, FCR))).isEqualTo(SummaryRows.of(db.dataSource()));
    }

    /** A report with other thresholds than the summary's recounts from the events; the writer's resum fixes the rows. */
    @Test
    void otherRulesRecountFromTheEventsUntilResummed() throws Exception {
        Instant first = Instant.parse("2026-03-01T00:00:00Z");
        insert(JournalGenerator.list(5, first, 1, 4_000));
        KpiRules strict = new KpiRules(Duration.ofSeconds(5), Duration.ofSeconds(2), Map.of("sales", Duration.ofSeconds(8)));
        QueueReport other = new QueueReport(db.dataSource(), db.dialect(), strict, Duration.ofDays(2));
        Instant to = first.plus(Duration.ofDays(1));
        Intervals hours = Intervals.parse("60m", ZoneId.of("UTC"));
        assertThat(other.table(first, to, hours, null).csv()).isEqualTo(other.inMemory(first, to, hours, null).csv());
        JournalSummary resummed = new JournalSummary(db.dialect(), strict, Duration.ofDays(2));
        try (Connection c = db.dataSource().getConnection()) {
            assertThat(resummed.resum(c)).isPositive();
            assertThat(resummed.resum(c)).isZero();
        }
        assertThat(other.table(first, to, hours, null).csv()).isEqualTo(other.inMemory(first, to, hours, null).csv());
        assertThat(SummaryRows.rebuilt(db.dataSource(), resummed)).isEqualTo(SummaryRows.of(db.dataSource()));
    }

    private static JournalEvent ev(Instant at, JournalEvent.Type type, String call, String queue, String agent, Long ms,
                                   String detail) {
        return JournalEvent.of(at, type, call, "main", null, queue, agent, ms, detail, null, "node-a");
    }

    @Test
    void generatedDaysSumTheSameInTheDatabase() throws Exception {
        Instant first = Instant.parse("2026-03-01T00:00:00Z");
        List<JournalEvent> events = new ArrayList<>(JournalGenerator.list(42, first, 3, 12_000));
        insert(events);
        Instant from = first.plus(Duration.ofDays(1));
        Instant to = first.plus(Duration.ofDays(2));
        var day = report.totals(from, to);
        assertThat(day.offered()).as("a busy day").isGreaterThan(150);
        assertThat(day.handled()).isGreaterThan(100);
        assertThat(day.shortAbandoned()).isPositive();
        assertThat(day.transferred()).isPositive();
        assertThat(day.callbacks()).isPositive();
        assertThat(report.table(from, to, Intervals.parse("all", ZoneId.of("UTC")), null).maps())
                .filteredOn(m -> m.get("queue").equals("*")).singleElement()
                .satisfies(m -> assertThat((Long) m.get("fcr_calls")).isGreaterThan((Long) m.get("fcr_resolved")));
        for (String interval : List.of("15m", "30m", "60m", "day", "all")) {
            assertSame(from, to, interval, ZoneId.of("UTC"), null);
        }
        assertSame(from.minus(Duration.ofHours(1)), to.minus(Duration.ofHours(1)), "60m", ZoneId.of("Europe/Budapest"), null);
        assertSame(from, to, "30m", ZoneId.of("Asia/Kolkata"), "sales");
        assertSame(first, first.plus(Duration.ofDays(3)), "week", ZoneId.of("Europe/Budapest"), null);
        assertThat(QueueReport.quarterHours(from, to, Intervals.parse("60m", ZoneId.of("+00:07")))).isFalse();
    }
}
