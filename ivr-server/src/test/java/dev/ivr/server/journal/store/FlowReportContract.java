package dev.ivr.server.journal.store;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.db.Dialect;
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
        report = new FlowReport(db.dataSource(), db.dialect(), new Reports(new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5),
                Map.of()), Duration.ofDays(7)));
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** The events as the server writes them: through the journal writer, which keeps the summaries, in batches. */
    private void insert(List<JournalEvent> events) throws Exception {
        write(events, 3);
    }

    private void write(List<JournalEvent> events, int batch) throws Exception {
        JournalSummary writer = new JournalSummary(db.dialect(), KpiRules.DEFAULT, Duration.ofDays(7));
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < events.size(); i += batch) {
                writer.write(c, events.subList(i, Math.min(events.size(), i + batch)));
                c.commit();
            }
        }
    }

    /** The events without the writer (as the benchmark loads them), then the flow summary rebuilt from them. */
    private void load(List<JournalEvent> events) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(JdbcJournal.INSERT)) {
            for (JournalEvent e : events) {
                JdbcJournal.bind(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
            FlowSummary.rebuild(c);
            FunnelSummary.rebuild(c);
        }
    }

    private Map<FlowSummary.Key, List<Long>> summaryRows() throws Exception {
        Map<FlowSummary.Key, List<Long>> out = new java.util.TreeMap<>();
        try (Connection c = db.dataSource().getConnection()) {
            FlowSummary.rows(c).forEach((k, v) -> out.put(k, List.of(v[0], v[1])));
        }
        return out;
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

    private Map<FunnelSummary.Key, List<Long>> funnelRows() throws Exception {
        Map<FunnelSummary.Key, List<Long>> out = new java.util.TreeMap<>();
        try (Connection c = db.dataSource().getConnection()) {
            FunnelSummary.rows(c).forEach((k, v) -> out.put(k, java.util.Arrays.stream(v).boxed().toList()));
        }
        return out;
    }

    /**
     * The funnel summed by the database from the events, and (a period on quarter hours) from the funnel summary: the
     * same table as from the events read into memory (the reference), and what the API serves.
     */
    private ReportTable sameFunnel(Instant from, Instant to, String flow) throws Exception {
        ReportTable reference = report.funnelInMemory(from, to, flow);
        String what = "funnel " + from + " " + to + " " + flow;
        assertThat(report.funnelSummed(from, to, flow).csv()).as(what).isEqualTo(reference.csv());
        if (QueueReport.onQuarter(from) && QueueReport.onQuarter(to)) {
            assertThat(report.funnelFromSummary(from, to, flow).csv()).as(what + " (summary)").isEqualTo(reference.csv());
        }
        assertThat(report.funnel(from, to, flow).csv()).as(what + " (served)").isEqualTo(reference.csv());
        return reference;
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

    /**
     * The scripted calls above and three more, written by the journal writer in batches of two (one batch replayed):
     * its summary rows are those the back-fill makes from the events, and every period of whole quarter hours between
     * 08:30 and 10:30 reads from them the same table as the events read into memory. i spans four quarter hours, is
     * resumed on another server and has no flow event in 09:15-09:30 (a period from 09:15 counts it at 09:35); j
     * entered billing at 08:40 and has no flow event until its end at 09:40; k ends a millisecond before 10:00.
     */
    @Test
    void theSummaryEqualsTheEventsOnAScriptedDay() throws Exception {
        List<JournalEvent> day = new ArrayList<>(calls());
        day.add(ev("09:05:00", Type.CALL_ENTERED, "i", "main", null, null));
        day.add(ev("09:10:00", Type.CALL_NODE, "i", "main", "menu", null));
        day.add(ev("09:35:00", Type.CALL_ENTERED, "i", "main", null, "resumed"));
        day.add(ev("09:36:00", Type.CALL_NODE, "i", "main", "menu", null));
        day.add(ev("09:50:00", Type.CALL_ENDED, "i", "main", "end", "SELF_SERVED"));
        day.add(ev("08:40:00", Type.CALL_ENTERED, "j", "billing", null, null));
        day.add(ev("09:40:00", Type.CALL_ENDED, "j", "billing", "end", "SELF_SERVED"));
        day.add(ev("09:44:00", Type.CALL_ENTERED, "k", "sales", null, null));
        day.add(ev("09:59:59.999", Type.CALL_ENDED, "k", "sales", "end", "SELF_SERVED"));
        // l: hangs up in the IVR at its second node (the funnel's hang-ups)
        day.add(ev("10:20:00", Type.CALL_ENTERED, "l", "main", null, null));
        day.add(ev("10:20:05", Type.CALL_NODE, "l", "main", "menu", null));
        day.add(ev("10:21:00", Type.CALL_NODE, "l", "main", "pin", null));
        day.add(ev("10:22:00", Type.CALL_ENDED, "l", "main", "pin", "ABANDONED_IN_IVR"));
        day.sort(java.util.Comparator.comparing(JournalEvent::at));
        write(day, 2);
        write(day.subList(4, 8), 4); // a replayed batch adds nothing
        Map<FlowSummary.Key, List<Long>> written = summaryRows();
        assertThat(written).isNotEmpty();
        try (Connection c = db.dataSource().getConnection()) {
            FlowSummary.rebuild(c);
        }
        assertThat(summaryRows()).isEqualTo(written);
        ZoneId utc = ZoneId.of("UTC");
        int periods = 0;
        for (Instant from = at("08:30:00"); from.isBefore(at("10:30:00")); from = from.plusSeconds(900)) {
            for (Instant to = from.plusSeconds(900); !to.isAfter(at("10:30:00")); to = to.plusSeconds(900)) {
                for (String interval : List.of("15m", "60m", "all")) {
                    same(from, to, interval, utc, null);
                    periods++;
                }
                same(from, to, "15m", utc, "main");
                sameFunnel(from, to, null);
            }
        }
        assertThat(periods).isEqualTo(3 * 36);
        // main entered by a, b, c, e, f, h, i, l; the menu reached by a, b, e, i (twice: once) and l; l hung up at pin
        assertThat(sameFunnel(at("08:30:00"), at("10:30:00"), "main").csv()).isEqualTo("""
                flow,node,reached,hung_up,reached_pct
                main,menu,5,0,62.5
                main,pin,1,1,12.5
                """.replace("\n", "\r\n"));
        // a period from 09:15: i counts at 09:30 (its resumption) for main, j at 09:30 (its end) for billing, which
        // nobody entered then (no billing row there), k at 09:30 for sales, its end a millisecond before the period's
        assertThat(same(at("09:15:00"), at("10:00:00"), "15m", utc, null).csv()).isEqualTo("""
                interval_start,interval_end,flow,entered,self_served,containment_pct
                2026-03-02T09:15:00Z,2026-03-02T09:30:00Z,billing,1,1,100.0
                2026-03-02T09:15:00Z,2026-03-02T09:30:00Z,main,1,1,100.0
                2026-03-02T09:30:00Z,2026-03-02T09:45:00Z,main,1,1,100.0
                2026-03-02T09:30:00Z,2026-03-02T09:45:00Z,sales,1,1,100.0
                2026-03-02T09:45:00Z,2026-03-02T10:00:00Z,main,1,1,100.0
                """.replace("\n", "\r\n"));
    }

    private static JournalEvent ev(String time, Type type, String call, String flow, String node, String detail,
                                   String server) {
        return JournalEvent.of(at(time), type, call, flow, node, null, null, null, detail, null, server);
    }

    /**
     * The funnel summary (V164) on a scripted day, written by the journal writer in batches of three, one batch
     * replayed and one call's events arriving late (another server's outbox after an outage): its rows are those the
     * back-fill makes, and every period of whole quarter hours from 08:45 to 10:30 reads from them the same funnel as
     * the events read into memory. m loops in its flow (menu, pin, menu, pin, hang-up at pin); n crosses the 09:15 edge
     * between two nodes; o is resumed on another server at another node (not entered twice) and hangs up there; p
     * entered main and goes on in the billing flow (its nodes count for main while its entry is in the period, for
     * billing after); q entered before the period's first quarter; r's node events reach the writer before its entry.
     */
    @Test
    void theFunnelSummaryEqualsTheEventsOnAScriptedDay() throws Exception {
        List<JournalEvent> day = new ArrayList<>();
        day.add(ev("09:01:00", Type.CALL_ENTERED, "m", "main", null, null));
        day.add(ev("09:01:01", Type.CALL_NODE, "m", "main", "menu", null));
        day.add(ev("09:01:30", Type.CALL_NODE, "m", "main", "pin", null));
        day.add(ev("09:02:00", Type.CALL_NODE, "m", "main", "menu", null));
        day.add(ev("09:16:00", Type.CALL_NODE, "m", "main", "pin", null));
        day.add(ev("09:17:00", Type.CALL_ENDED, "m", "main", "pin", "ABANDONED_IN_IVR"));
        day.add(ev("09:14:00", Type.CALL_ENTERED, "n", "main", null, null));
        day.add(ev("09:14:59.999", Type.CALL_NODE, "n", "main", "menu", null));
        day.add(ev("09:15:00", Type.CALL_NODE, "n", "main", "pin", null));
        day.add(ev("09:15:30", Type.CALL_ENDED, "n", "main", "end", "SELF_SERVED"));
        day.add(ev("09:20:00", Type.CALL_ENTERED, "o", "main", null, null, "a"));
        day.add(ev("09:20:01", Type.CALL_NODE, "o", "main", "menu", null, "a"));
        day.add(ev("09:40:00", Type.CALL_ENTERED, "o", "main", null, "resumed", "b"));
        day.add(ev("09:40:01", Type.CALL_NODE, "o", "main", "pin", null, "b"));
        day.add(ev("09:41:00", Type.CALL_ENDED, "o", "main", "pin", "ABANDONED_IN_IVR", "b"));
        day.add(ev("09:25:00", Type.CALL_ENTERED, "p", "main", null, null));
        day.add(ev("09:25:01", Type.CALL_NODE, "p", "main", "menu", null));
        day.add(ev("09:31:00", Type.CALL_NODE, "p", "billing", "balance", null));
        day.add(ev("09:32:00", Type.CALL_ENDED, "p", "billing", "balance", "ABANDONED_IN_IVR"));
        day.add(ev("09:33:00", Type.CALL_ENTERED, "s", "billing", null, null));
        day.add(ev("09:33:01", Type.CALL_NODE, "s", "billing", "balance", null));
        day.add(ev("08:40:00", Type.CALL_ENTERED, "q", "main", null, null));
        day.add(ev("08:59:00", Type.CALL_NODE, "q", "main", "menu", null));
        day.add(ev("09:05:00", Type.CALL_NODE, "q", "main", "pin", null));
        day.add(ev("09:06:00", Type.CALL_ENDED, "q", "main", "end", "SELF_SERVED"));
        day.add(ev("10:10:00", Type.CALL_ENTERED, "r", "main", null, null));
        day.add(ev("10:10:01", Type.CALL_NODE, "r", "main", "menu", null));
        day.add(ev("10:16:00", Type.CALL_NODE, "r", "main", "pin", null));
        day.add(ev("10:16:30", Type.CALL_ENDED, "r", "main", "pin", "ABANDONED_IN_IVR"));
        day.sort(java.util.Comparator.comparing(JournalEvent::at));
        List<JournalEvent> late = day.stream().filter(e -> e.callId().equals("r") && e.type() != Type.CALL_ENTERED).toList();
        List<JournalEvent> first = new ArrayList<>(day);
        first.removeAll(late);
        write(first.subList(0, 20), 3);
        write(first.subList(5, 11), 3); // replayed batches add nothing
        write(late, 3); // r's nodes and hang-up before its entry
        write(first.subList(20, first.size()), 3);
        Map<FunnelSummary.Key, List<Long>> written = funnelRows();
        assertThat(written).isNotEmpty();
        try (Connection c = db.dataSource().getConnection()) {
            FunnelSummary.rebuild(c);
        }
        assertThat(funnelRows()).isEqualTo(written);
        int periods = 0;
        for (Instant from = at("08:45:00"); from.isBefore(at("10:30:00")); from = from.plusSeconds(900)) {
            for (Instant to = from.plusSeconds(900); !to.isAfter(at("10:30:00")); to = to.plusSeconds(900)) {
                sameFunnel(from, to, null);
                sameFunnel(from, to, "billing");
                periods++;
            }
        }
        assertThat(periods).isEqualTo(28);
        // main entered by m, n, o, p, r (q before 09:00); menu reached by m (twice: once), n, o, p, r (q's before
        // 09:00); pin by m (twice: once), q, n, o, r; m hung up at pin, o at pin after its resumption, r at pin; p's
        // billing node and hang-up count for main, the flow it entered; s entered billing and reached its node
        assertThat(sameFunnel(at("09:00:00"), at("10:30:00"), null).csv()).isEqualTo("""
                flow,node,reached,hung_up,reached_pct
                billing,balance,1,0,100.0
                main,menu,5,0,100.0
                main,pin,5,3,100.0
                main,balance,1,1,20.0
                """.replace("\n", "\r\n"));
        // from 09:30: p's entry is before the period, its billing node counts for billing (with s, who entered it);
        // o's resumption is no entry: its pin counts for main (nobody entered main then but r)
        assertThat(sameFunnel(at("09:30:00"), at("10:30:00"), null).csv()).isEqualTo("""
                flow,node,reached,hung_up,reached_pct
                billing,balance,2,1,200.0
                main,pin,2,2,200.0
                main,menu,1,0,100.0
                """.replace("\n", "\r\n"));
    }

    /**
     * Two servers writing events of one call at once (a resumed call and the old server's outbox), on PostgreSQL: the
     * second writer waits for the first's transaction (FunnelSummary.lockCalls) and then counts the call with the
     * first's events, so the funnel rows are the rebuild's. Without the lock the second counts its node event as the
     * call's first (after_quarter -1) and the rows differ. H2 is written by one server process.
     */
    @Test
    void twoWritersOfOneCallSeeEachOthersFunnelEvents() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(db.dialect() == Dialect.POSTGRESQL, "H2 is written by one server process");
        JournalSummary writer = new JournalSummary(db.dialect(), KpiRules.DEFAULT, Duration.ofDays(7));
        try (Connection a = db.dataSource().getConnection(); Connection b = db.dataSource().getConnection();
             Connection watch = db.dataSource().getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            writer.write(a, List.of(ev("09:10:00", Type.CALL_ENTERED, "t", "main", null, null)));
            long pid;
            try (java.sql.Statement st = b.createStatement(); java.sql.ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
                rs.next();
                pid = rs.getLong(1);
            }
            java.util.concurrent.CompletableFuture<Void> second = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    writer.write(b, List.of(ev("09:20:00", Type.CALL_NODE, "t", "main", "menu", null)));
                    b.commit();
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> second.isDone()
                    || waitsForALock(watch, pid));
            a.commit();
            second.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        Map<FunnelSummary.Key, List<Long>> written = funnelRows();
        assertThat(written).hasSizeGreaterThan(1);
        try (Connection c = db.dataSource().getConnection()) {
            FunnelSummary.rebuild(c);
        }
        assertThat(funnelRows()).isEqualTo(written);
    }

    private static boolean waitsForALock(Connection watch, long pid) throws java.sql.SQLException {
        try (PreparedStatement ps = watch.prepareStatement("select count(*) from pg_locks where pid = ? and not granted")) {
            ps.setLong(1, pid);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    @Test
    void generatedDaysSumTheSameAsInMemory() throws Exception {
        Instant first = Instant.parse("2026-03-01T00:00:00Z");
        load(JournalGenerator.list(3, first, 2, 8_000));
        Instant to = first.plus(Duration.ofDays(2));
        for (ZoneId zone : List.of(ZoneId.of("UTC"), ZoneId.of("America/St_Johns"))) {
            for (String interval : List.of("15m", "30m", "60m", "day", "week", "all")) {
                same(first, to, interval, zone, null);
            }
        }
        same(first.plusSeconds(3_700), to.minusSeconds(1_234), "60m", ZoneId.of("UTC"), "customer-service");
        // the funnel summed by the database: the same table as from the events read into memory
        assertThat(sameFunnel(first, to, null).rows()).hasSizeGreaterThan(3);
        sameFunnel(first.plusSeconds(3_700), to.minusSeconds(1_234), "customer-service");
        sameFunnel(first.plusSeconds(9 * 3600), first.plusSeconds(9 * 3600 + 900), null);
        // a zone whose offset is not whole quarter hours (Liberia's old time, -0:44:30) is read from the events
        assertThat(same(first, to, "60m", ZoneId.of("-00:44:30"), null).rows()).isNotEmpty();
    }
}
