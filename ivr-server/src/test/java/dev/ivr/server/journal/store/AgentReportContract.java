package dev.ivr.server.journal.store;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.kpi.ScriptedCampaigns;
import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.server.journal.report.Reports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent report and the campaign report summed by the database ({@link AgentReport}, {@link CampaignReport}):
 * agents worked out by hand around interval edges (a talk over two quarter-hour edges, a state over the hour's edge,
 * a call answered in one hour and ended in the next, a wrap-up still open at the period's end, a state that began
 * before the period, microsecond times whose rounding differs when a state is cut at a quarter edge), and the same
 * tables as the rows read into memory on those and on generated days, for every interval and two time zones.
 */
abstract class AgentReportContract {
    @TempDir
    Path tmp;
    private Database db;
    private AgentReport report;

    /** A JDBC URL of an empty database ("" for the default H2 file database in the directory), and its user. */
    protected abstract String[] database(Path dir);

    private String[] where;

    @BeforeEach
    void open() {
        where = database(tmp);
        open(where);
    }

    private void open(String[] d) {
        db = Database.open(new DatabaseConfig(d[0], d[1], "", 4, 1, Duration.ofSeconds(5)), tmp);
        assertThat(db.awaitReady(Duration.ofSeconds(60))).as(db.health().detail()).isTrue();
        report = new AgentReport(db.dataSource(), db.dialect(), new Reports(new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5),
                Map.of()), Duration.ofDays(7)));
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
        JournalSummary summary = new JournalSummary(db.dialect(), KpiRules.DEFAULT, Duration.ofDays(7));
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < events.size(); i += batch) {
                summary.write(c, events.subList(i, Math.min(events.size(), i + batch)));
                c.commit();
            }
        }
    }

    /** The agent summary's rows as text, "quarter|agent|sums...", in key order: the quarters', then the hours'. */
    private List<String> agentRows() throws Exception {
        List<String> out = agentRows(AgentSummary.TABLE);
        out.add("hours:");
        out.addAll(agentRows(AgentSummary.HOURS));
        return out;
    }

    private List<String> agentRows(String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select * from " + table + " order by quarter, agent_id")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                boolean counted = false;
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                    counted |= i > 2 && !"0".equals(rs.getString(i));
                }
                if (counted) {
                    out.add(b.toString());
                }
            }
        }
        return out;
    }

    private List<String> rebuiltAgentRows() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            AgentSummary.rebuild(c);
            c.commit();
        }
        return agentRows();
    }

    private static Instant at(String time) {
        return Instant.parse("2026-03-02T" + time + "Z");
    }

    private static JournalEvent agent(String time, Type type, String agent, String state, String reason, String call) {
        return JournalEvent.of(at(time), type, call, null, null, null, agent, null, state, reason, "test");
    }

    private static JournalEvent call(String time, Type type, String call, String agent, String detail) {
        return JournalEvent.of(at(time), type, call, null, null, "sales", agent, null, detail, null, "test");
    }

    private static JournalEvent hold(String time, Type type, String call, String agent, Long ms, String reason) {
        return JournalEvent.of(at(time), type, call, null, null, "sales", agent, ms, null, reason, "test");
    }

    /** Three agents worked out by hand (the expectations in the tests). */
    static List<JournalEvent> agents() {
        List<JournalEvent> l = new ArrayList<>();
        // a1: signed in before the period; a talk from 09:14:10 to 09:31 over two quarter edges; READY from
        // 09:32:30.000300 to 09:50:00.050400 (1,050,050.1 ms: 1,050,050 in one piece, 749,999 + 300,050 cut at 09:45);
        // NOT_READY over 10:00; signed out 10:10
        l.add(agent("08:50:00", Type.AGENT_SIGNED_IN, "a1", "NOT_READY", "login", null));
        l.add(agent("09:14:00", Type.AGENT_STATE, "a1", "RESERVED", null, "c1"));
        l.add(agent("09:14:10", Type.AGENT_STATE, "a1", "ON_CALL", null, "c1"));
        l.add(agent("09:31:00", Type.AGENT_WRAP_UP, "a1", "WRAP_UP", null, "c1"));
        l.add(agent("09:32:30.000300", Type.AGENT_STATE, "a1", "READY", null, null));
        l.add(agent("09:50:00.050400", Type.AGENT_STATE, "a1", "NOT_READY", "lunch", null));
        l.add(agent("10:10:00", Type.AGENT_SIGNED_OUT, "a1", "LOGGED_OUT", null, null));
        // a2: a call answered at 09:59:30 and ended at 10:03 (handled in the hour it ended in, with its whole talk),
        // a ring-no-answer before it and the caller's survey after it
        l.add(agent("09:55:00", Type.AGENT_SIGNED_IN, "a2", "NOT_READY", "login", null));
        l.add(agent("09:58:00", Type.AGENT_STATE, "a2", "READY", null, null));
        l.add(call("09:58:30", Type.CALL_RING_NO_ANSWER, "c3", "a2", null));
        l.add(agent("09:59:00", Type.AGENT_STATE, "a2", "RESERVED", null, "c2"));
        l.add(agent("09:59:30", Type.AGENT_STATE, "a2", "ON_CALL", null, "c2"));
        l.add(agent("10:03:00", Type.AGENT_WRAP_UP, "a2", "WRAP_UP", null, "c2"));
        l.add(agent("10:04:00", Type.AGENT_STATE, "a2", "READY", null, null));
        l.add(call("10:05:00", Type.CALL_SURVEYED, "c2", "a2", "5"));
        // a3: a wrap-up from 09:50 that is still open when the period ends (it counts up to the end)
        l.add(agent("09:20:00", Type.AGENT_SIGNED_IN, "a3", "NOT_READY", "login", null));
        l.add(agent("09:40:00", Type.AGENT_STATE, "a3", "ON_CALL", null, "c4"));
        l.add(agent("09:50:00", Type.AGENT_WRAP_UP, "a3", "WRAP_UP", null, "c4"));
        // holds (after the others: the tests pick events by index), inside the talks: a1 holds c1 for 150 s over the
        // 09:30 edge (counted in the quarter it ended in); a2 holds c2 from 10:01 until its talk ends (120 s)
        l.add(hold("09:28:00", Type.CALL_HOLD, "c1", "a1", null, null));
        l.add(hold("09:30:30", Type.CALL_UNHOLD, "c1", "a1", 150_000L, null));
        l.add(hold("10:01:00", Type.CALL_HOLD, "c2", "a2", null, null));
        l.add(hold("10:03:00", Type.CALL_UNHOLD, "c2", "a2", 120_000L, "call-ended"));
        return l;
    }

    private ReportTable same(Instant from, Instant to, String interval, ZoneId zone, String agent) throws Exception {
        Intervals intervals = Intervals.parse(interval, zone);
        ReportTable sql = report.summed(from, to, intervals, agent);
        assertThat(sql.csv()).as(from + " " + to + " " + interval + " " + zone + " " + agent)
                .isEqualTo(report.inMemory(from, to, intervals, agent).csv())
                .isEqualTo(report.summed(from, to, intervals, agent, false, false, false).csv()); // quarter rows only
        return sql;
    }

    @Test
    void theHandWorkedAgentsPerHour() throws Exception {
        insert(agents());
        ZoneId utc = ZoneId.of("UTC");
        assertThat(same(at("09:00:00"), at("11:00:00"), "60m", utc, null).csv()).isEqualTo(HAND_WORKED_PER_HOUR);
    }

    /**
     * The same agents with their events written out of order (an event after a later one of the same agent: a talk's
     * end, a wrap-up's end, a sign-in before states already written), some twice: the same report and the same summary
     * rows as the back-fill sums.
     */
    @Test
    void theHandWorkedAgentsWrittenLateAndTwice() throws Exception {
        List<JournalEvent> all = agents();
        List<JournalEvent> late = List.of(all.get(0), all.get(3), all.get(4), all.get(11), all.get(14));
        List<JournalEvent> first = new ArrayList<>(all);
        first.removeAll(late);
        insert(first, 3);
        insert(late.reversed(), 1);
        insert(all.subList(2, 9), 4); // redelivered: written once, counted once
        insert(all.subList(all.size() - 4, all.size()).reversed(), 2); // the holds too
        ZoneId utc = ZoneId.of("UTC");
        assertThat(same(at("09:00:00"), at("11:00:00"), "60m", utc, null).csv()).isEqualTo(HAND_WORKED_PER_HOUR);
        List<String> kept = agentRows();
        assertThat(kept).isNotEmpty().isEqualTo(rebuiltAgentRows());
    }

    /** Generated days written in any order, some twice: the writer's rows are the back-fill's, the report the same. */
    @Test
    void theSummaryKeptInAnyOrderIsTheBackFill() throws Exception {
        Instant day = Instant.parse("2026-03-01T00:00:00Z");
        List<JournalEvent> events = JournalGenerator.list(5, day, 2, 3_000);
        List<JournalEvent> shuffled = new ArrayList<>(events);
        java.util.Collections.shuffle(shuffled, new java.util.Random(9));
        int n = shuffled.size();
        insert(shuffled.subList(0, n / 2), 89);
        insert(shuffled.subList(n / 4, n / 2), 500);
        insert(shuffled.subList(n / 2, n), 41);
        List<String> kept = agentRows();
        assertThat(kept).hasSizeGreaterThan(100).isEqualTo(rebuiltAgentRows());
        for (String interval : List.of("15m", "60m", "day")) {
            same(day, day.plus(Duration.ofDays(2)), interval, ZoneId.of("UTC"), null);
            same(day.plus(Duration.ofHours(13)), day.plus(Duration.ofHours(40)), interval, ZoneId.of("UTC"), null);
        }
        // months of unequal length: the rows read per quarter hour rather than summed per interval by the database
        same(Instant.parse("2025-12-31T00:00:00Z"), day.plus(Duration.ofDays(2)), "month", ZoneId.of("UTC"), null);
        same(Instant.parse("2025-12-31T00:00:00Z"), day.plus(Duration.ofDays(2)), "month", ZoneId.of("UTC"), "agent-3");
    }

    /** The migration's back-fill (V156, Java, found by Flyway) over a journal already written: the writer's rows. */
    @Test
    void theMigrationBackFillsTheJournalAlreadyThere() throws Exception {
        insert(agents());
        List<String> kept = agentRows();
        try (Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("delete from " + AgentSummary.TABLE);
            st.executeUpdate("delete from " + AgentSummary.HOURS);
            // V156 and every migration after it are applied again (Flyway refuses to apply one below the newest
            // applied); those after it must therefore be re-runnable (V158 sets H2's sequence cache, V159 and V160
            // say "if not exists", V161 empties and refills the flow summary, V162 says "if not exists" and sets the
            // campaign attempts' talk again, V163 says "if not exists", V164 too and V165 empties and refills the
            // funnel summary, V166 says "if not exists", V167 empties and refills the agent summary's hours, V168 says
            // "if exists" and V169 sets H2's sequence cache: they are)
            st.executeUpdate("delete from flyway_schema_history where installed_rank >= (select installed_rank"
                    + " from flyway_schema_history where version = '156')");
        }
        db.close();
        open(where); // the same database: Flyway applies V156 (and V158) again
        assertThat(agentRows()).hasSizeGreaterThan(10).isEqualTo(kept);
        assertThat(agentRows(AgentSummary.HOURS)).hasSizeGreaterThan(5);
        // V167 (and those after it, again: Flyway refuses one below the newest applied) on the journal of a server
        // before wave 14: quarters, no hours
        try (Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("delete from " + AgentSummary.HOURS);
            st.executeUpdate("delete from flyway_schema_history where installed_rank >= (select installed_rank"
                    + " from flyway_schema_history where version = '167')");
        }
        db.close();
        open(where);
        assertThat(agentRows()).isEqualTo(kept);
    }

    /** The rows the report reads: whole hours from the hour rows when no interval edge falls inside an hour. */
    @Test
    void theReportReadsHourRowsWhereTheyTileThePeriod() {
        Instant day = Instant.parse("2026-03-01T00:00:00Z");
        long q = day.getEpochSecond() / 900;
        assertThat(ranges(day.plusSeconds(900), day.plus(Duration.ofDays(30)).minusSeconds(1800), "day"))
                .containsExactly(new AgentReport.Range(AgentSummary.TABLE, q + 1, q + 4),
                        new AgentReport.Range(AgentSummary.HOURS, q + 4, q + 30 * 96 - 4),
                        new AgentReport.Range(AgentSummary.TABLE, q + 30 * 96 - 4, q + 30 * 96 - 2));
        assertThat(ranges(day, day.plus(Duration.ofDays(1)), "60m"))
                .containsExactly(new AgentReport.Range(AgentSummary.HOURS, q, q + 96));
        assertThat(ranges(day.plusSeconds(900), day.plusSeconds(3 * 3600 + 900), "all"))
                .containsExactly(new AgentReport.Range(AgentSummary.TABLE, q + 1, q + 4),
                        new AgentReport.Range(AgentSummary.HOURS, q + 4, q + 12),
                        new AgentReport.Range(AgentSummary.TABLE, q + 12, q + 13));
        // hours on the clock's hours: the period's first and last intervals shorter
        assertThat(ranges(day.plusSeconds(900), day.plusSeconds(3 * 3600 + 900), "60m"))
                .containsExactly(new AgentReport.Range(AgentSummary.TABLE, q + 1, q + 4),
                        new AgentReport.Range(AgentSummary.HOURS, q + 4, q + 12),
                        new AgentReport.Range(AgentSummary.TABLE, q + 12, q + 13));
        // an interval edge inside an hour (30 minutes), or no whole hour: quarter rows
        assertThat(ranges(day, day.plus(Duration.ofDays(1)), "30m"))
                .containsExactly(new AgentReport.Range(AgentSummary.TABLE, q, q + 96));
        assertThat(ranges(day.plusSeconds(900), day.plusSeconds(3600 + 900), "all"))
                .containsExactly(new AgentReport.Range(AgentSummary.TABLE, q + 1, q + 5));
    }

    private static List<AgentReport.Range> ranges(Instant from, Instant to, String interval) {
        java.util.NavigableMap<Instant, Instant> ends = QueueReport.intervalEnds(from, to, Intervals.parse(interval,
                ZoneId.of("UTC")));
        long first = from.getEpochSecond() / 900;
        long last = to.getEpochSecond() / 900;
        return AgentReport.ranges(ends, first, last, AgentReport.step(ends, first, last), true);
    }

    /** An agent whose state began more than the report's horizon before the period: the report does not see it. */
    @Test
    void aStateBegunBeforeTheHorizon() throws Exception {
        insert(List.of(agent("00:00:00", Type.AGENT_SIGNED_IN, "a9", "READY", null, null),
                agent("00:05:00", Type.AGENT_STATE, "a9", "ON_CALL", null, "c9"),
                agent("13:00:00", Type.AGENT_WRAP_UP, "a9", "WRAP_UP", null, "c9"),
                agent("13:01:00", Type.AGENT_STATE, "a9", "READY", null, null),
                agent("00:10:00", Type.AGENT_SIGNED_IN, "a8", "NOT_READY", null, null),
                agent("15:00:00", Type.AGENT_STATE, "a8", "READY", null, null)));
        ZoneId utc = ZoneId.of("UTC");
        for (String interval : List.of("15m", "60m", "all")) {
            same(at("12:45:00"), at("14:00:00"), interval, utc, null);
            same(at("12:00:00"), at("16:00:00"), interval, utc, null);
            same(at("12:15:00"), at("13:00:00"), interval, utc, null);
        }
        assertThat(same(at("12:45:00"), at("14:00:00"), "all", utc, "a9").maps()).singleElement()
                .satisfies(m -> assertThat(m.get("handled").toString()).isEqualTo("0"));
    }

    /** Events more than a day from the period's edges (AgentReport.EDGE_WINDOW): the edges are read without bound. */
    @Test
    void edgeEventsMoreThanADayAway() throws Exception {
        Instant day = Instant.parse("2026-03-04T00:00:00Z");
        insert(List.of(JournalEvent.of(day.minus(Duration.ofDays(3)), Type.AGENT_SIGNED_IN, null, null, null, null, "a6",
                        null, "READY", null, "test"),
                JournalEvent.of(day.plusSeconds(10 * 3600), Type.AGENT_STATE, null, null, null, null, "a6", null,
                        "NOT_READY", "lunch", "test"),
                JournalEvent.of(day.plusSeconds(11 * 3600), Type.AGENT_STATE, "c6", null, null, null, "a6", null,
                        "ON_CALL", null, "test"),
                JournalEvent.of(day.plusSeconds(11 * 3600 + 300), Type.AGENT_WRAP_UP, "c6", null, null, null, "a6", null,
                        "WRAP_UP", null, "test"),
                JournalEvent.of(day.plus(Duration.ofDays(3)), Type.AGENT_STATE, null, null, null, null, "a6", null,
                        "READY", null, "test")));
        ZoneId utc = ZoneId.of("UTC");
        for (String interval : List.of("15m", "60m", "all")) {
            same(day.plusSeconds(9 * 3600), day.plusSeconds(12 * 3600), interval, utc, null);
            same(day.plusSeconds(10 * 3600 + 1800), day.plusSeconds(11 * 3600 + 900), interval, utc, null);
            same(day.plusSeconds(12 * 3600), day.plusSeconds(13 * 3600), interval, utc, null);
        }
        same(day.minus(Duration.ofDays(1)), day.plus(Duration.ofDays(1)), "day", utc, null);
        assertThat(same(day.plusSeconds(9 * 3600), day.plusSeconds(12 * 3600), "all", utc, "a6").maps()).singleElement()
                .satisfies(m -> assertThat(m.get("handled").toString()).isEqualTo("1"));
    }

    private static final String HAND_WORKED_PER_HOUR = """
                interval_start,interval_end,agent,handled,ring_no_answer,talk_s,wrap_up_s,aht_s,ready_s,not_ready_s,\
                on_call_s,signed_in_s,occupancy_pct,utilization_pct,surveys,csat_pct,hold_s
                2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,a1,1,0,1010.0,90.0,1100.0,1050.1,1439.9,1010.0,3600.0,51.4,30.8,0,,150.0
                2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,a2,0,1,0.0,0.0,,60.0,180.0,30.0,300.0,50.0,20.0,0,,0.0
                2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,a3,1,0,600.0,4200.0,4800.0,0.0,1200.0,600.0,2400.0,100.0,50.0,0,,0.0
                2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,a1,0,0,0.0,0.0,,0.0,600.0,0.0,600.0,,0.0,0,,0.0
                2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,a2,1,0,210.0,60.0,270.0,3360.0,0.0,180.0,3600.0,6.7,6.7,1,100.0,120.0
                2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,a3,0,0,0.0,0.0,,0.0,0.0,0.0,3600.0,100.0,100.0,0,,0.0
                """.replace("\n", "\r\n");

    @Test
    void theHandWorkedAgentsPerQuarterHourAndInPeriodsCutInsideQuarters() throws Exception {
        insert(agents());
        ZoneId utc = ZoneId.of("UTC");
        // a1's READY cut at 09:45: 749,999 ms (749,999.7 rounded down) and 300,050 (300,050.4)
        ReportTable quarters = same(at("09:00:00"), at("10:00:00"), "15m", utc, "a1");
        assertThat(quarters.maps()).extracting(m -> m.get("ready_s").toString()).containsExactly("0.0", "0.0", "750.0", "300.1");
        assertThat(quarters.maps()).extracting(m -> m.get("on_call_s").toString()).containsExactly("50.0", "900.0", "60.0", "0.0");
        assertThat(quarters.maps()).extracting(m -> m.get("handled").toString()).containsExactly("0", "0", "1", "0");
        for (String interval : List.of("15m", "30m", "60m", "day", "all")) {
            same(at("09:00:00"), at("11:00:00"), interval, utc, null);
            same(at("09:07:00"), at("09:52:00.5"), interval, utc, null);
            same(at("09:14:05"), at("09:59:45"), interval, utc, "a2");
            same(at("09:32:30.000300"), at("09:50:00.050400"), interval, utc, null);
        }
        // the wrap-up open at 10:00 counts to 10:00 in a period that ends then
        assertThat(same(at("09:00:00"), at("10:00:00"), "all", utc, "a3").maps()).singleElement()
                .satisfies(m -> assertThat(m.get("wrap_up_s").toString()).isEqualTo("600.0"));
        assertThat(same(at("09:00:00"), at("10:00:00"), "60m", utc, "nobody").rows()).isEmpty();
    }

    @Test
    void theEdgesFoundFromTheHourRowsAreEachAgentsOwn() throws Exception {
        Instant first = Instant.parse("2026-03-01T00:00:00Z");
        insert(JournalGenerator.list(5, first, 3, 8_000));
        try (Connection c = db.dataSource().getConnection()) {
            List<String> agents = new ArrayList<>();
            try (var ps = c.prepareStatement("select agent_id from journal_agents order by agent_id");
                 var rs = ps.executeQuery()) {
                while (rs.next()) {
                    agents.add(rs.getString(1));
                }
            }
            assertThat(agents).isNotEmpty();
            Instant day = first.plus(Duration.ofDays(1));
            List<Instant[]> periods = List.of(new Instant[] {day, day.plus(Duration.ofDays(1))},
                    new Instant[] {first.plusSeconds(20 * 3600), day.plus(Duration.ofDays(1))},
                    new Instant[] {day.plusSeconds(3 * 3600 + 2_700), day.plusSeconds(5 * 3600 + 900)},
                    new Instant[] {day.plusSeconds(12 * 3600), day.plusSeconds(12 * 3600 + 900)});
            for (Instant[] p : periods) {
                Map<String, List<List<JournalSummary.Stored>>> hinted = AgentReport.aroundHinted(c, agents, p[0], p[1]);
                // the hour rows answer agents, and what they answer is what each agent's own query reads
                assertThat(hinted).as("%s - %s", p[0], p[1]).isNotEmpty();
                for (Map.Entry<String, List<List<JournalSummary.Stored>>> e : hinted.entrySet()) {
                    assertThat(e.getValue()).as("%s at %s - %s", e.getKey(), p[0], p[1])
                            .isEqualTo(AgentReport.around(c, e.getKey(), p[0], p[1]));
                }
            }
        }
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
        same(first.plusSeconds(3_700), to.minusSeconds(1_234), "60m", ZoneId.of("UTC"), null);
        // periods from and to quarter hours inside hours: the whole hours from the hour rows, the quarters at the edges
        for (String interval : List.of("60m", "day", "all", "30m")) {
            same(first.plusSeconds(900), to.minusSeconds(2_700), interval, ZoneId.of("UTC"), null);
            same(first.plusSeconds(3 * 3600 + 2_700), first.plusSeconds(5 * 3600 + 900), interval, ZoneId.of("UTC"), null);
            same(first.plusSeconds(3 * 3600 + 2_700), first.plusSeconds(4 * 3600 + 900), interval, ZoneId.of("UTC"), "agent-1");
        }
        // a zone whose offset is not whole quarter hours (Liberia's old time, -0:44:30) is read from the events
        assertThat(same(first, to, "60m", ZoneId.of("-00:44:30"), null).rows()).isNotEmpty();
    }

    /**
     * Months, and days and weeks over a change of offset (intervals of unequal lengths): from the hour rows where every
     * interval edge falls on an hour, else (a half-hour zone) from the quarter rows; the same as the events read into
     * memory and as the quarter rows alone. Generated days from January 31 to April 2, 2026 (four months' intervals,
     * February shorter than March; Berlin's clocks go forward on March 29, St John's on March 8).
     */
    @Test
    void monthsAndOffsetChangesSumTheSameFromTheHourRows() throws Exception {
        Instant first = Instant.parse("2026-01-31T00:00:00Z");
        insert(JournalGenerator.list(5, first, 61, 12_000));
        Instant to = first.plus(Duration.ofDays(61));
        for (ZoneId zone : List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Berlin"), ZoneId.of("Asia/Kolkata"),
                ZoneId.of("America/St_Johns"))) {
            for (String interval : List.of("month", "week", "day")) {
                assertThat(same(first, to, interval, zone, null).rows()).as(zone + " " + interval).isNotEmpty();
            }
        }
        // a period from and to quarter hours inside hours: the whole hours from the hour rows, the quarters at the edges
        same(first.plusSeconds(900), to.minusSeconds(2_700), "month", ZoneId.of("UTC"), null);
        same(first.plusSeconds(3 * 3600 + 2_700), to.minusSeconds(900), "month", ZoneId.of("Europe/Berlin"), "agent-1");
    }

    /** The rows a month's report reads: the hour rows where every month edge falls on an hour, else the quarters'. */
    @Test
    void monthsReadHourRowsWhereTheirEdgesFallOnHours() {
        Instant from = Instant.parse("2026-01-15T00:15:00Z");
        Instant to = Instant.parse("2026-04-15T00:00:00Z");
        long q = from.getEpochSecond() / 900;
        long last = to.getEpochSecond() / 900;
        assertThat(unevenRanges(from, to, "month", ZoneId.of("UTC")))
                .containsExactly(new AgentReport.Range(AgentSummary.TABLE, q, q + 3),
                        new AgentReport.Range(AgentSummary.HOURS, q + 3, last));
        assertThat(unevenRanges(from, to, "month", ZoneId.of("Europe/Berlin")))
                .containsExactly(new AgentReport.Range(AgentSummary.TABLE, q, q + 3),
                        new AgentReport.Range(AgentSummary.HOURS, q + 3, last));
        // months start at 18:30 UTC in Kolkata (+05:30): an edge inside an hour, so every quarter's row
        assertThat(unevenRanges(from, to, "month", ZoneId.of("Asia/Kolkata")))
                .containsExactly(new AgentReport.Range(AgentSummary.TABLE, q, last));
        // days over Berlin's change of offset (no fixed step): hours
        Instant d = Instant.parse("2026-03-27T23:00:00Z");
        long dq = d.getEpochSecond() / 900;
        assertThat(unevenRanges(d, d.plus(Duration.ofDays(3)), "day", ZoneId.of("Europe/Berlin")))
                .containsExactly(new AgentReport.Range(AgentSummary.HOURS, dq, dq + 3 * 96));
    }

    private static List<AgentReport.Range> unevenRanges(Instant from, Instant to, String interval, ZoneId zone) {
        java.util.NavigableMap<Instant, Instant> ends = QueueReport.intervalEnds(from, to, Intervals.parse(interval, zone));
        long first = from.getEpochSecond() / 900;
        long last = to.getEpochSecond() / 900;
        assertThat(AgentReport.step(ends, first, last)).as("intervals of unequal lengths").isNull();
        return AgentReport.unevenRanges(ends, first, last, true);
    }

    @Test
    void campaignReportSumsTheSameAsInMemory() throws Exception {
        // the scripted campaigns (worked out by hand in CampaignCalculatorTest) and a simulated day's attempts
        ScriptedCampaigns.write(db.dataSource());
        insert(ScriptedCampaigns.agentEvents());
        Instant midnight = Instant.parse("2026-03-03T00:00:00Z");
        SimulatedDay day = new SimulatedDay(11, midnight, midnight.plus(Duration.ofDays(1)));
        day.writeCampaigns(db.dataSource()); // dialled before the agents talk on their calls
        insert(day.events());
        List<String> kept = attemptTalks();
        assertThat(kept).anyMatch(r -> !r.startsWith("0|"));
        CampaignReport campaigns = new CampaignReport(db.dataSource(), Clock.fixed(Instant.parse("2026-03-10T00:00:00Z"),
                ZoneOffset.UTC));
        List<Instant[]> periods = List.of(new Instant[] {ScriptedCampaigns.FROM, ScriptedCampaigns.TO},
                new Instant[] {midnight, midnight.plus(Duration.ofDays(1))},
                new Instant[] {midnight.plusSeconds(8 * 3600 + 7), midnight.plusSeconds(13 * 3600)},
                new Instant[] {ScriptedCampaigns.FROM, midnight.plus(Duration.ofDays(1))});
        int rows = 0;
        for (Instant[] p : periods) {
            for (ZoneId zone : List.of(ZoneId.of("UTC"), ZoneId.of("America/St_Johns"), ZoneId.of("-00:44:30"))) {
                for (String interval : List.of("15m", "60m", "day", "all")) {
                    Intervals iv = Intervals.parse(interval, zone);
                    for (String campaign : java.util.Arrays.asList(null, "renewal")) {
                        ReportTable sql = campaigns.table(p[0], p[1], iv, campaign);
                        assertThat(sql.csv()).as(p[0] + " " + p[1] + " " + interval + " " + zone + " " + campaign)
                                .isEqualTo(campaigns.inMemory(p[0], p[1], iv, campaign).csv());
                        rows += sql.rows().size();
                    }
                }
            }
        }
        assertThat(rows).isGreaterThan(100);
        // a period that ends before the talk of its attempts ended: the horizon reads it (the clock is later)
        assertThat(campaigns.totals(ScriptedCampaigns.FROM, ScriptedCampaigns.TO, null).agentHandled())
                .isEqualTo(3);
        // the migration's back-fill (V162) from the events gives the rows the writer kept
        assertThat(rebuiltAttemptTalks()).isEqualTo(kept);
    }

    /** The attempts' talk columns as text, "talks|talk_ms|hold_ms|wrap_up_ms|open_wraps|open_wrap_ms|handled_by|call". */
    private List<String> attemptTalks() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("select talks, talk_ms, hold_ms, wrap_up_ms, open_wraps, open_wrap_ms,"
                     + " handled_by, call_id from campaign_attempts order by campaign, customer_id, attempt_no")) {
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 8; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    private List<String> rebuiltAttemptTalks() throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            CampaignTalk.rebuild(c);
            c.commit();
        }
        return attemptTalks();
    }

    @Test
    void campaignAttemptKeepsItsCallsTalkAsTheCallEndsAndTheWrapUpAfterIt() throws Exception {
        try (Connection c = db.dataSource().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("insert into campaign_attempts (campaign, customer_id, attempt_no, phone, started_at, ended_at,"
                    + " result, call_id) values ('renewal', 'k1', 1, '+3612300001', timestamp with time zone"
                    + " '2026-03-02 09:59:30+00', timestamp with time zone '2026-03-02 10:00:00+00', 'answered', 'c-k1')");
        }
        CampaignReport report = new CampaignReport(db.dataSource(), Clock.fixed(at("10:05:00"), ZoneOffset.UTC));
        Instant from = at("09:45:00");
        Instant to = at("10:00:00");
        insert(List.of(agent("09:58:00", Type.AGENT_STATE, "ka", "READY", null, null),
                agent("10:00:00", Type.AGENT_STATE, "ka", "ON_CALL", null, "c-k1")));
        assertThat(attemptTalks()).containsExactly("0|0|0|0|0|0|null|c-k1"); // talking: nothing ended yet
        assertThat(report.totals(from, to, "renewal").agentHandled()).isZero();
        JournalEvent unhold = hold("10:02:00", Type.CALL_UNHOLD, "c-k1", "ka", 20_000L, null);
        JournalEvent wrapUp = agent("10:04:00", Type.AGENT_WRAP_UP, "ka", "WRAP_UP", null, "c-k1");
        insert(List.of(hold("10:01:40", Type.CALL_HOLD, "c-k1", "ka", null, null), unhold, wrapUp));
        // the call ended: 4 minutes of talk (20 s of it on hold), the wrap-up open since 10:04
        assertThat(attemptTalks()).containsExactly("1|240000|20000|0|1|" + at("10:04:00").toEpochMilli() + "|ka|c-k1");
        assertThat(report.totals(from, to, "renewal")).satisfies(k -> {
            assertThat(k.agentHandled()).isEqualTo(1);
            assertThat(k.talkMs()).isEqualTo(240_000);
            assertThat(k.wrapUpMs()).isEqualTo(60_000); // open: up to the report's now, 10:05
        });
        // the wrap-up ends after the call, and a redelivered event adds nothing
        insert(List.of(agent("10:06:30", Type.AGENT_STATE, "ka", "READY", null, null), unhold, wrapUp));
        assertThat(attemptTalks()).containsExactly("1|240000|20000|150000|0|0|ka|c-k1");
        CampaignReport later = new CampaignReport(db.dataSource(), Clock.fixed(at("12:00:00"), ZoneOffset.UTC));
        assertThat(later.totals(from, to, "renewal").wrapUpMs()).isEqualTo(150_000);
        // an event of the agent that arrives late, inside the wrap-up, ends it there
        insert(List.of(agent("10:05:00", Type.AGENT_STATE, "ka", "NOT_READY", "break", null)));
        assertThat(attemptTalks()).containsExactly("1|240000|20000|60000|0|0|ka|c-k1");
        // the call transferred to a second agent: both talks, the second agent's the last
        insert(List.of(agent("10:10:00", Type.AGENT_STATE, "kb", "ON_CALL", null, "c-k1"),
                agent("10:11:00", Type.AGENT_STATE, "kb", "READY", null, null)));
        assertThat(attemptTalks()).containsExactly("2|300000|20000|60000|0|0|kb|c-k1");
        assertThat(later.totals(from, to, "renewal").agentHandled()).isEqualTo(1);
        assertThat(later.table(from, to, Intervals.parse("15m", ZoneId.of("UTC")), "renewal").csv())
                .isEqualTo(later.inMemory(from, to, Intervals.parse("15m", ZoneId.of("UTC")), "renewal").csv());
        assertThat(rebuiltAttemptTalks()).containsExactly("2|300000|20000|60000|0|0|kb|c-k1");
    }

    @Test
    void campaignTalksLongerThanTheNextEventsWindowAcrossIntervalsAndTransferred() throws Exception {
        Instant noon = Instant.parse("2026-03-04T12:00:00Z");
        try (Connection c = db.dataSource().getConnection();
             java.sql.PreparedStatement a = c.prepareStatement("insert into campaign_attempts (campaign, customer_id,"
                     + " attempt_no, phone, started_at, ended_at, result, call_id) values ('edge', ?, 1, ?, ?, ?, 'answered', ?)")) {
            String[][] attempts = {{"x1", "12:04", "c-long"}, {"x2", "12:09", "c-tie"}, {"x3", "12:19", "c-wrap-open"},
                {"x4", "12:14", "c-long-wrap"}, {"x5", "12:29", "c-xfer"}, {"x6", "12:44", "c-open"}, {"x7", "12:50", null}};
            int n = 0;
            for (String[] x : attempts) {
                Instant at = Instant.parse("2026-03-04T" + x[1] + ":00Z");
                a.setString(1, x[0]);
                a.setString(2, "+3612300" + n++);
                a.setObject(3, at.atOffset(ZoneOffset.UTC));
                a.setObject(4, at.plusSeconds(60).atOffset(ZoneOffset.UTC));
                a.setString(5, x[2]);
                a.addBatch();
            }
            a.executeBatch();
        }
        List<JournalEvent> events = new ArrayList<>();
        // 45 min of talk and 45 of wrap-up: the next events lie beyond the window read with the ON_CALL
        agent(events, "12:05:00", Type.AGENT_STATE, "la", "ON_CALL", "c-long");
        agent(events, "12:50:00", Type.AGENT_WRAP_UP, "la", "WRAP_UP", "c-long");
        agent(events, "13:35:00", Type.AGENT_STATE, "la", "READY", null);
        // the wrap-up in the same instant as the ON_CALL (after it in the table)
        agent(events, "12:10:00", Type.AGENT_STATE, "lb", "ON_CALL", "c-tie");
        agent(events, "12:10:00", Type.AGENT_WRAP_UP, "lb", "WRAP_UP", "c-tie");
        agent(events, "12:11:00", Type.AGENT_STATE, "lb", "READY", null);
        // a wrap-up still open: counted up to the horizon
        agent(events, "12:20:00", Type.AGENT_STATE, "lc", "ON_CALL", "c-wrap-open");
        agent(events, "12:25:00", Type.AGENT_WRAP_UP, "lc", "WRAP_UP", "c-wrap-open");
        // the wrap-up in the window, its end beyond it
        agent(events, "12:15:00", Type.AGENT_STATE, "lg", "ON_CALL", "c-long-wrap");
        agent(events, "12:20:00", Type.AGENT_WRAP_UP, "lg", "WRAP_UP", "c-long-wrap");
        agent(events, "12:55:00", Type.AGENT_STATE, "lg", "READY", null);
        // a call transferred from one agent to another: both talks
        agent(events, "12:30:00", Type.AGENT_STATE, "le", "ON_CALL", "c-xfer");
        agent(events, "12:35:00", Type.AGENT_STATE, "le", "READY", null);
        agent(events, "12:35:00", Type.AGENT_STATE, "lf", "ON_CALL", "c-xfer");
        agent(events, "12:40:00", Type.AGENT_WRAP_UP, "lf", "WRAP_UP", "c-xfer");
        agent(events, "12:41:00", Type.AGENT_STATE, "lf", "READY", null);
        // a talk with no end yet
        agent(events, "12:45:00", Type.AGENT_STATE, "ld", "ON_CALL", "c-open");
        insert(events);
        CampaignReport later = new CampaignReport(db.dataSource(), Clock.fixed(Instant.parse("2026-03-10T00:00:00Z"),
                ZoneOffset.UTC));
        CampaignReport atOne = new CampaignReport(db.dataSource(), Clock.fixed(noon.plusSeconds(3600), ZoneOffset.UTC));
        for (CampaignReport campaigns : List.of(later)) {
            for (Instant[] p : List.of(new Instant[] {noon, noon.plusSeconds(3600)},
                    new Instant[] {noon, noon.plusSeconds(1800)}, new Instant[] {noon.plusSeconds(900), noon.plusSeconds(3600)})) {
                for (String interval : List.of("15m", "60m", "all")) {
                    Intervals iv = Intervals.parse(interval, ZoneId.of("UTC"));
                    assertThat(campaigns.table(p[0], p[1], iv, "edge").csv()).as(p[0] + " " + p[1] + " " + interval)
                            .isEqualTo(campaigns.inMemory(p[0], p[1], iv, "edge").csv());
                }
            }
        }
        var k = later.totals(noon, noon.plusSeconds(3600), "edge");
        assertThat(k.agentHandled()).isEqualTo(5);
        assertThat(k.talkMs()).isEqualTo(2_700_000 + 0 + 300_000 + 300_000 + 600_000);
        // the open wrap-up counts to 13:00 + 12 h
        assertThat(k.wrapUpMs()).isEqualTo(2_700_000 + 60_000 + 45_300_000 + 2_100_000 + 60_000);
        // with the clock at 13:00 the open wrap-up counts to 13:00; the ended ones count whole (the attempts' rows keep
        // what the journal has: c-long's wrap-up ended at 13:35, which the events read up to 13:00 do not see)
        var one = atOne.totals(noon, noon.plusSeconds(3600), "edge");
        assertThat(one.agentHandled()).isEqualTo(5);
        assertThat(one.wrapUpMs()).isEqualTo(2_700_000 + 60_000 + 2_100_000 + 2_100_000 + 60_000);
        assertThat(atOne.inMemory(noon, noon.plusSeconds(3600), Intervals.parse("all", ZoneId.of("UTC")), "edge").csv())
                .as("the reference cuts c-long's wrap-up at 13:00").isNotEqualTo(atOne.table(noon, noon.plusSeconds(3600),
                        Intervals.parse("all", ZoneId.of("UTC")), "edge").csv());
        List<String> kept = attemptTalks();
        assertThat(kept).hasSize(7);
        assertThat(rebuiltAttemptTalks()).isEqualTo(kept);
    }

    private static void agent(List<JournalEvent> out, String at, Type type, String agent, String state, String call) {
        out.add(JournalEvent.of(Instant.parse("2026-03-04T" + at + "Z"), type, call, null, null, null, agent, null, state,
                null, "test"));
    }
}
