package dev.ivr.server.journal.store;

import dev.ivr.server.db.Dialect;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.FirstContact;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.kpi.KpiCalculator;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.kpi.QueueKpis;
import dev.ivr.server.journal.kpi.QueueSums;
import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.server.journal.report.Reports;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The queue report from the figures summed ahead of time ({@link JournalSummary}, per quarter hour (UTC) and queue)
 * for the whole quarter hours of the period, and summed by the database from the events at its edges (a period that
 * starts or ends inside a quarter hour) or when the summary was counted with other rules: the call figures (offered,
 * answered, in time, abandoned and short abandons, transfers, callbacks, waits, post-call surveys), the handle times
 * (from the agents' ON_CALL and WRAP_UP, with window functions) and first-contact resolution, put together per
 * interval here. Only a few thousand rows leave the database whatever the number of events. The same figures as
 * {@link KpiCalculator} over the events ({@link #inMemory}, the reference the tests compare with); a report whose
 * intervals do not fall on quarter hours (a time zone with an odd offset) is computed that way.
 */
public final class QueueReport {
    private static final long BUCKET_S = 900;
    private static final String BUCKET = "floor(extract(epoch from %s) / " + BUCKET_S + ")";
    private static final String CALL_QUEUE = "(select q2.queue from journal_events q2 where q2.call_id = %s"
            + " and q2.queue is not null and q2.occurred_at >= ? and q2.occurred_at < ?"
            + " order by q2.occurred_at, q2.seq fetch first 1 rows only)";
    /*
     * One agent's events, through the agent index on both databases. Written as JournalSummary.AGENT_ONLY
     * ("event_type in (...)"), H2 2.3 read them through the type-and-time index instead: every agent's events before
     * the period's end, once per agent (EXPLAIN ANALYZE: 130,156 rows scanned per agent at 150,000 events, 2.6 s
     * each; the 30-day queue report took 17 s to minutes on H2). The type test inside a CASE is no index condition,
     * so both take (agent_id, occurred_at): 4,047 rows, 29 ms.
     */
    private static final String AGENT_LINE = "agent_id = ? and (case when event_type like 'AGENT%' then 1 else 0 end) = 1";
    private static final String MS_BETWEEN = "floor((extract(epoch from %2$s) - extract(epoch from %1$s)) * 1000)";

    private final DataSource dataSource;
    private final Dialect dialect;
    private final JournalReader reader;
    private final KpiRules rules;
    private final Reports reports;
    private final JournalSummary summary;

    /** @param dialect the database's ({@link dev.ivr.server.db.Database#dialect}) */
    public QueueReport(DataSource dataSource, Dialect dialect, KpiRules rules, Duration fcrWindow) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.summary = new JournalSummary(dialect, rules, fcrWindow);
        this.reader = new JournalReader(dataSource);
        this.rules = rules;
        this.reports = new Reports(rules, fcrWindow);
    }

    /** The report per interval and queue (and the center); {@code queue} null for every queue. */
    public ReportTable table(Instant from, Instant to, Intervals intervals, String queue) throws SQLException {
        return table(from, to, intervals, queue, false);
    }

    /** {@link #table}; with {@code perAgent} the open wrap-ups read by one query per agent on H2 too (before wave 14b). */
    ReportTable table(Instant from, Instant to, Intervals intervals, String queue, boolean perAgent) throws SQLException {
        if (!quarterHours(from, to, intervals)) {
            return inMemory(from, to, intervals, queue);
        }
        return reports.queues(figures(from, to, intervals, perAgent), firstContact(from, to, intervals), queue);
    }

    /** The whole period's figures for the center. */
    public QueueKpis totals(Instant from, Instant to) throws SQLException {
        return figures(from, to, all(), false).get(0).center();
    }

    /** The same report from the events read into memory and {@link KpiCalculator}: the reference. */
    public ReportTable inMemory(Instant from, Instant to, Intervals intervals, String queue) throws SQLException {
        List<JournalEvent> events = new ArrayList<>(reader.events(from, to));
        events.addAll(reader.endedWithCustomer(to, to.plus(reports.fcrWindow())));
        return reports.queues(events, from, to, intervals, queue);
    }

    private static Intervals all() {
        return new Intervals("all", 0, ZoneOffset.UTC);
    }

    /** Whether every interval edge inside the period falls on a quarter hour (then quarter-hour sums add up to it). */
    static boolean quarterHours(Instant from, Instant to, Intervals intervals) {
        for (Instant s = intervals.next(intervals.start(from, from), to); s.isBefore(to); s = intervals.next(s, to)) {
            if (!onQuarter(s)) {
                return false;
            }
        }
        return true;
    }

    /** Whether an instant falls exactly on a quarter hour (UTC). */
    static boolean onQuarter(Instant at) {
        return at.getNano() == 0 && at.getEpochSecond() % BUCKET_S == 0;
    }

    /** The report's intervals, each start (the period's start for the first) to its end (clipped to the period's end). */
    static java.util.NavigableMap<Instant, Instant> intervalEnds(Instant from, Instant to, Intervals intervals) {
        TreeMap<Instant, Instant> ends = new TreeMap<>();
        for (Instant s = intervals.start(from, from); s.isBefore(to); s = intervals.next(s, to)) {
            Instant e = intervals.next(s, to);
            ends.put(s.isBefore(from) ? from : s, e.isAfter(to) ? to : e);
        }
        return ends;
    }

    /** The call figures and handle times per interval (agents left out: the agent report reads the events). */
    List<KpiCalculator.Result> figures(Instant from, Instant to, Intervals intervals, boolean perAgent) throws SQLException {
        java.util.NavigableMap<Instant, Instant> ends = intervalEnds(from, to, intervals);
        Map<Instant, Map<String, QueueSums>> sums = new HashMap<>();
        Sink sink = (at, queue, s) -> add(sums, ends, at, queue, s);
        try (Connection c = dataSource.getConnection()) {
            Summed summed = summed(c, from, to);
            if (summed.usable(JournalSummary.Row::callsMatch)) {
                for (JournalSummary.Row r : summed.rows()) {
                    long[] v = r.sums();
                    sink.add(Instant.ofEpochSecond(r.key().quarter() * BUCKET_S), r.key().queue().isEmpty() ? null : r.key().queue(),
                            new QueueSums(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                                    v[13], v[14], v[15]));
                }
                Instant sa = summed.from();
                Instant sb = summed.to();
                if (from.isBefore(sa)) {
                    calls(c, from, sa, from, to, sink);
                    handled(c, from, sa, from, to, sink);
                }
                if (sb.isBefore(to)) {
                    calls(c, sb, to, from, to, sink);
                    handled(c, sb, to, from, to, sink);
                }
                openWrapUps(c, sa, sb, to, sink, dialect == Dialect.H2 && !perAgent);
            } else {
                calls(c, from, to, from, to, sink);
                handled(c, from, to, from, to, sink);
            }
        }
        List<KpiCalculator.Result> out = new ArrayList<>();
        ends.forEach((s, e) -> {
            Map<String, QueueSums> q = sums.getOrDefault(s, Map.of());
            Map<String, QueueKpis> queues = new TreeMap<>();
            q.forEach((name, v) -> {
                if (!name.equals(QueueKpis.ALL)) {
                    queues.put(name, v.kpis(name));
                }
            });
            out.add(new KpiCalculator.Result(s, e, queues, q.getOrDefault(QueueKpis.ALL, QueueSums.ZERO).kpis(QueueKpis.ALL),
                    Map.of()));
        });
        return out;
    }

    /** The whole quarter hours of a period, {@code [from, to)}, and their summary rows. */
    private record Summed(Instant from, Instant to, List<JournalSummary.Row> rows) {
        /** Whether there are whole quarter hours and every row was counted with the report's rules. */
        boolean usable(java.util.function.Predicate<JournalSummary.Row> match) {
            return from.isBefore(to) && rows.stream().allMatch(match);
        }
    }

    private Summed summed(Connection c, Instant from, Instant to) throws SQLException {
        long a = Math.floorDiv(from.getEpochSecond() + BUCKET_S - 1 + (from.getNano() > 0 ? 1 : 0), BUCKET_S);
        long b = Math.floorDiv(to.getEpochSecond(), BUCKET_S);
        return new Summed(Instant.ofEpochSecond(a * BUCKET_S), Instant.ofEpochSecond(b * BUCKET_S),
                a < b ? summary.rows(c, a, b) : List.of());
    }

    /**
     * The summary counts a wrap-up when the agent's next event is written; the report counts one still running at its
     * end up to the end. For each agent whose last event before {@code to} is a WRAP_UP right after ON_CALL, with the
     * talk ended in the summed quarters {@code [a, b)}: the difference. With {@code oneQuery} (H2) the agents' last
     * events read near {@code to} by one query ({@link AgentReport#near}): on H2 one query per agent read every event
     * of the agent before {@code to} (H2 neither stops early in the index nor sorts incrementally for "order by
     * occurred_at desc, seq desc"). Without it one query per agent (PostgreSQL; H2 as before wave 14b).
     */
    private static void openWrapUps(Connection c, Instant a, Instant b, Instant to, Sink sink, boolean oneQuery)
            throws SQLException {
        List<String> agents = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select agent_id from journal_agents");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                agents.add(rs.getString(1));
            }
        }
        Timestamp end = Timestamp.from(to);
        // every agent's events near the end by one query (AgentReport.near); an agent's own query only when they do
        // not tell
        Map<String, List<JournalSummary.Stored>> near = oneQuery ? AgentReport.near(c, to, to) : Map.of();
        for (String agent : agents) {
            List<JournalSummary.Stored> mine = near.getOrDefault(agent, List.of());
            List<List<JournalSummary.Stored>> around = null;
            List<JournalSummary.Stored> last;
            if (oneQuery) {
                // ascending; else within a day of the end first (AgentReport.around), not every event before it
                List<JournalSummary.Stored> asc = AgentReport.nearPart(mine, 0, to, to);
                if (asc == null) {
                    around = AgentReport.around(c, agent, to, to);
                    asc = around.get(0);
                }
                last = asc.size() < 2 ? asc : List.of(asc.get(1), asc.get(0));
            } else {
                last = JournalSummary.select(c, AGENT_LINE
                        + " and occurred_at < ? order by occurred_at desc, seq desc fetch first 2 rows only", agent, end);
            }
            if (last.size() < 2) {
                continue;
            }
            JournalSummary.Stored wrap = last.get(0);
            JournalSummary.Stored call = last.get(1);
            if (!"WRAP_UP".equals(wrap.detail()) || !"ON_CALL".equals(call.detail())
                    || "AGENT_SIGNED_OUT".equals(call.type()) || wrap.at().isBefore(a) || !wrap.at().isBefore(b)) {
                continue;
            }
            List<JournalSummary.Stored> next = oneQuery ? AgentReport.nearPart(mine, 1, to, to) : null;
            if (oneQuery && next == null) {
                next = (around != null ? around : AgentReport.around(c, agent, to, to)).get(1);
            } else if (next == null) {
                next = JournalSummary.select(c, AGENT_LINE
                        + " and occurred_at >= ? order by occurred_at, seq fetch first 1 rows only", agent, end);
            }
            long counted = next.isEmpty() ? 0 : Math.max(0, Duration.between(wrap.at(), next.get(0).at()).toMillis());
            long open = Math.max(0, Duration.between(wrap.at(), to).toMillis());
            String queue = null;
            if (call.callId() != null) {
                List<JournalSummary.Stored> q = JournalSummary.select(c, "call_id = ? and queue is not null"
                        + " order by occurred_at, seq fetch first 1 rows only", call.callId());
                queue = q.isEmpty() ? null : q.get(0).queue();
            }
            sink.add(Instant.ofEpochSecond(JournalSummary.quarter(wrap.at()) * BUCKET_S), queue,
                    new QueueSums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, open - counted, 0, 0));
        }
    }

    /** First-contact resolution per interval and queue: from the summary, and the events at the period's edges. */
    Map<Instant, Map<String, FirstContact>> firstContact(Instant from, Instant to, Intervals intervals)
            throws SQLException {
        TreeMap<Instant, Map<String, FirstContact>> out = new TreeMap<>();
        for (Instant s = intervals.start(from, from); s.isBefore(to); s = intervals.next(s, to)) {
            out.put(s.isBefore(from) ? from : s, new TreeMap<>());
        }
        try (Connection c = dataSource.getConnection()) {
            Summed summed = summed(c, from, to);
            if (summed.usable(JournalSummary.Row::fcrMatch)) {
                for (JournalSummary.Row r : summed.rows()) {
                    long[] v = r.sums();
                    if (v[16] != 0) {
                        merge(out, Instant.ofEpochSecond(r.key().quarter() * BUCKET_S),
                                r.key().queue().isEmpty() ? null : r.key().queue(), new FirstContact(v[16], v[16] - v[17]));
                    }
                }
                Instant sa = summed.from();
                Instant sb = summed.to();
                if (from.isBefore(sa)) {
                    firstContact(c, from, sa, out);
                }
                if (sb.isBefore(to)) {
                    firstContact(c, sb, to, out);
                }
            } else {
                firstContact(c, from, to, out);
            }
        }
        return out;
    }

    private static void merge(NavigableMap<Instant, Map<String, FirstContact>> out, Instant at, String queue, FirstContact f) {
        Map<String, FirstContact> m = out.floorEntry(at).getValue();
        m.merge(QueueKpis.ALL, f, FirstContact::plus);
        if (queue != null) {
            m.merge(queue, f, FirstContact::plus);
        }
    }

    /** First-contact resolution of the calls that ended in {@code [from, to)}, summed by the database. */
    private void firstContact(Connection c, Instant from, Instant to, NavigableMap<Instant, Map<String, FirstContact>> out)
            throws SQLException {
        Instant until = to.plus(reports.fcrWindow());
        String sql = "select b, queue, count(*), sum(resolved) from (select " + BUCKET.formatted("occurred_at") + " as b,"
                + " queue, case when next_at is null or extract(epoch from next_at) - extract(epoch from occurred_at) > ?"
                + " then 1 else 0 end as resolved from (select occurred_at, queue, lead(occurred_at)"
                + " over (partition by customer_id order by occurred_at, seq) as next_at from journal_events"
                + " where event_type = 'CALL_ENDED' and customer_id is not null and event_day >= ? and event_day <= ?"
                + " and occurred_at >= ? and occurred_at < ?) y where occurred_at >= ? and occurred_at < ?) x group by b, queue";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBigDecimal(1, BigDecimal.valueOf(reports.fcrWindow().toNanos()).movePointLeft(9));
            ps.setDate(2, day(from));
            ps.setDate(3, day(until));
            ps.setTimestamp(4, Timestamp.from(from));
            ps.setTimestamp(5, Timestamp.from(until));
            ps.setTimestamp(6, Timestamp.from(from));
            ps.setTimestamp(7, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    merge(out, bucket(rs.getLong(1), from), rs.getString(2), new FirstContact(rs.getLong(3), rs.getLong(4)));
                }
            }
        }
    }

    @FunctionalInterface
    private interface Sink {
        void add(Instant bucket, String queue, QueueSums sums);
    }

    private static void add(Map<Instant, Map<String, QueueSums>> sums, NavigableMap<Instant, Instant> ends,
                            Instant at, String queue, QueueSums s) {
        Map<String, QueueSums> m = sums.computeIfAbsent(ends.floorKey(at), k -> new HashMap<>());
        m.merge(QueueKpis.ALL, s, QueueSums::plus);
        if (queue != null) {
            m.merge(queue, s, QueueSums::plus);
        }
    }

    /** A quarter hour's start, or {@code from} when the quarter began before it. */
    private static Instant bucket(long quarter, Instant from) {
        Instant at = Instant.ofEpochSecond(quarter * BUCKET_S);
        return at.isBefore(from) ? from : at;
    }

    private static Date day(Instant at) {
        return Date.valueOf(at.atZone(ZoneOffset.UTC).toLocalDate());
    }

    /** Offered, answered, abandoned, transfers, callbacks and waits, per quarter hour and queue. */
    private void calls(Connection c, Instant x, Instant y, Instant from, Instant to, Sink sink) throws SQLException {
        StringBuilder threshold = new StringBuilder("case");
        List<Map.Entry<String, Duration>> queues = new ArrayList<>(rules.queueThresholds().entrySet());
        queues.forEach(q -> threshold.append(" when own = ? then ?"));
        threshold.append(" else ? end");
        String answered = "t = 'CALL_ANSWERED'";
        String waited = "t in ('CALL_ANSWERED', 'CALL_ABANDONED')";
        String sql = "select b, q, sum(case when t = 'CALL_QUEUED' then 1 else 0 end),"
                + " sum(case when " + answered + " then 1 else 0 end),"
                + " sum(case when " + answered + " and d <= (" + threshold + ") then 1 else 0 end),"
                + " sum(case when t = 'CALL_ABANDONED' then 1 else 0 end),"
                + " sum(case when t = 'CALL_ABANDONED' and d < ? then 1 else 0 end),"
                + " sum(case when t = 'CALL_TRANSFERRED' then 1 else 0 end),"
                + " sum(case when t = 'CALLBACK_REQUESTED' then 1 else 0 end),"
                + " sum(case when " + answered + " then d else 0 end),"
                + " sum(case when " + waited + " then d else 0 end),"
                + " sum(case when " + waited + " then 1 else 0 end),"
                + " max(case when " + waited + " then d else 0 end),"
                + " sum(case when t = 'CALL_SURVEYED' then 1 else 0 end),"
                + " sum(case when t = 'CALL_SURVEYED' and det in ('4', '5') then 1 else 0 end)"
                + " from (select " + BUCKET.formatted("e.occurred_at") + " as b,"
                + " coalesce(e.queue, " + CALL_QUEUE.formatted("e.call_id") + ") as q,"
                + " e.event_type as t, e.queue as own, e.detail as det, coalesce(e.duration_ms, 0) as d from journal_events e"
                + " where e.event_type in ('CALL_QUEUED', 'CALL_ANSWERED', 'CALL_ABANDONED', 'CALL_TRANSFERRED',"
                + " 'CALLBACK_REQUESTED', 'CALL_SURVEYED') and e.event_day >= ? and e.event_day <= ?"
                + " and e.occurred_at >= ? and e.occurred_at < ?) x group by b, q";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Map.Entry<String, Duration> q : queues) {
                ps.setString(i++, q.getKey());
                ps.setLong(i++, q.getValue().toMillis());
            }
            ps.setLong(i++, rules.serviceLevelThreshold().toMillis());
            ps.setLong(i++, rules.shortAbandon().toMillis());
            ps.setTimestamp(i++, Timestamp.from(from));
            ps.setTimestamp(i++, Timestamp.from(to));
            ps.setDate(i++, day(x));
            ps.setDate(i++, day(y));
            ps.setTimestamp(i++, Timestamp.from(x));
            ps.setTimestamp(i, Timestamp.from(y));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.add(bucket(rs.getLong(1), x), rs.getString(2), new QueueSums(rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                            .plus(new QueueSums(0, 0, 0, 0, 0, rs.getLong(8), rs.getLong(9), rs.getLong(10),
                                    rs.getLong(11), rs.getLong(12), rs.getLong(13), 0, 0, 0, rs.getLong(14), rs.getLong(15))));
                }
            }
        }
    }

    /**
     * Handled calls, talk and wrap-up per quarter hour (the one the talk ended in) and queue: each agent's ON_CALL
     * lasts until the agent's next event; a WRAP_UP right after it lasts until the one after (or the period's end).
     */
    private static void handled(Connection c, Instant x, Instant y, Instant from, Instant to, Sink sink)
            throws SQLException {
        Instant context = x.minus(JournalReader.AGENT_CONTEXT);
        String order = " over (partition by agent_id order by occurred_at, seq)";
        String sql = "select b, q, count(*), sum(talk), sum(wrap) from (select " + BUCKET.formatted("o.next_at") + " as b,"
                + " " + CALL_QUEUE.formatted("o.call_id") + " as q,"
                + " " + MS_BETWEEN.formatted("o.occurred_at", "o.next_at") + " as talk,"
                + " case when o.next_detail = 'WRAP_UP' then " + MS_BETWEEN.formatted("o.next_at", "coalesce(o.next2_at, ?)")
                + " else 0 end as wrap"
                + " from (select call_id, detail, event_type, occurred_at, lead(occurred_at, 1)" + order + " as next_at,"
                + " lead(detail, 1)" + order + " as next_detail, lead(occurred_at, 2)" + order + " as next2_at"
                + " from journal_events where event_type in ('AGENT_SIGNED_IN', 'AGENT_SIGNED_OUT', 'AGENT_STATE',"
                + " 'AGENT_WRAP_UP') and agent_id is not null and event_day >= ? and event_day <= ?"
                + " and occurred_at >= ? and occurred_at < ?) o"
                + " where o.detail = 'ON_CALL' and o.event_type <> 'AGENT_SIGNED_OUT' and o.next_at >= ? and o.next_at < ?) x"
                + " group by b, q";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            ps.setTimestamp(3, Timestamp.from(to));
            ps.setDate(4, day(context));
            ps.setDate(5, day(to));
            ps.setTimestamp(6, Timestamp.from(context));
            ps.setTimestamp(7, Timestamp.from(to));
            ps.setTimestamp(8, Timestamp.from(x));
            ps.setTimestamp(9, Timestamp.from(y));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.add(bucket(rs.getLong(1), x), rs.getString(2),
                            new QueueSums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, rs.getLong(3), rs.getLong(4), rs.getLong(5), 0, 0));
                }
            }
        }
    }
}
