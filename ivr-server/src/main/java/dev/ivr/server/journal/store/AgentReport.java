package dev.ivr.server.journal.store;

import dev.ivr.server.journal.kpi.AgentKpis;
import dev.ivr.server.journal.kpi.Intervals;
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
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent report summed by the database: per agent and quarter hour (UTC), the time in each state, calls handled
 * with their talk and wrap-up, ring-no-answers and surveys; the quarter hours are put together into the report's
 * intervals here. Only those sums (and, per agent, one row for each state that runs over a quarter-hour edge) leave
 * the database. The same figures as {@link Reports#agents} over the events ({@link #inMemory}, the reference the
 * tests compare with), to the millisecond:
 * <ul>
 *   <li>each agent's timeline (its events from {@link JournalReader#AGENT_CONTEXT} before the period, in time and
 *       table order) is read once with window functions: a state lasts from its event to the agent's next event (or
 *       the period's end), clipped to the period;</li>
 *   <li>a state that stays inside one quarter hour counts there (its length rounded down to the millisecond); one that
 *       runs over a quarter-hour edge counts its first part in its first quarter, its last part in the quarter of the
 *       next event (on that event's row), and the whole quarters between are added here; the in-memory calculation
 *       rounds each piece cut at an interval edge, so a state that crosses quarter edges but no interval edge gets the
 *       millisecond the rounding may differ by back (the database says how much);</li>
 *   <li>a call is handled in the quarter its talk (ON_CALL to the agent's next event) ended in, with the wrap-up
 *       right after it (to the event after, or the period's end).</li>
 * </ul>
 * A report whose intervals do not fall on quarter hours (a time zone with an odd offset) is computed from the events.
 */
public final class AgentReport {
    private static final long BUCKET_S = 900;
    private static final long BUCKET_MS = BUCKET_S * 1000;
    /** The states with a column of their own; any other state counts as OTHER (signed-in time only). */
    private static final List<String> STATES = List.of("READY", "NOT_READY", "ON_CALL", "RESERVED", "WRAP_UP");
    private static final String OTHER = "OTHER";
    private static final String AGENT_TYPES = "'AGENT_SIGNED_IN', 'AGENT_SIGNED_OUT', 'AGENT_STATE', 'AGENT_WRAP_UP'";

    private final DataSource dataSource;
    private final JournalReader reader;
    private final Reports reports;
    private volatile Boolean postgres;

    public AgentReport(DataSource dataSource, Reports reports) {
        this.dataSource = dataSource;
        this.reader = new JournalReader(dataSource);
        this.reports = reports;
    }

    /** The same report from the period's events read into memory ({@link Reports#agents}): the reference. */
    public ReportTable inMemory(Instant from, Instant to, Intervals intervals, String agent) throws SQLException {
        return reports.agents(reader.events(from, to), from, to, intervals, agent);
    }

    /** One agent's sums in one interval. */
    private static final class Acc {
        boolean present;
        long handled;
        long ringNoAnswer;
        long talk;
        long wrap;
        final long[] states = new long[STATES.size() + 1];
        long surveys;
        long satisfied;

        AgentKpis kpis(String agent) {
            Map<String, Long> stateMs = new HashMap<>();
            for (int i = 0; i < states.length; i++) {
                if (states[i] != 0) {
                    stateMs.put(i < STATES.size() ? STATES.get(i) : OTHER, states[i]);
                }
            }
            return AgentKpis.of(agent, handled, ringNoAnswer, talk, wrap, stateMs, Map.of(), surveys, satisfied);
        }
    }

    /**
     * Per interval and agent; {@code agent} null for every agent. Summed by the database on PostgreSQL
     * ({@link #summed}); on H2, whose window functions took five times as long as reading the events over a month
     * (docs/benchmarks.md, "Reports over the journal"), from the events read into memory ({@link #inMemory}).
     */
    public ReportTable table(Instant from, Instant to, Intervals intervals, String agent) throws SQLException {
        return postgres() ? summed(from, to, intervals, agent) : inMemory(from, to, intervals, agent);
    }

    private boolean postgres() throws SQLException {
        Boolean known = postgres;
        if (known == null) {
            try (Connection c = dataSource.getConnection()) {
                known = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            }
            postgres = known;
        }
        return known;
    }

    /** The report summed by the database on either database (what {@link #table} does on PostgreSQL). */
    public ReportTable summed(Instant from, Instant to, Intervals intervals, String agent) throws SQLException {
        if (!QueueReport.quarterHours(from, to, intervals)) {
            return inMemory(from, to, intervals, agent);
        }
        java.util.NavigableMap<Instant, Instant> ends = QueueReport.intervalEnds(from, to, intervals);
        TreeMap<Instant, Map<String, Acc>> sums = new TreeMap<>();
        ends.keySet().forEach(s -> sums.put(s, new TreeMap<>()));
        try (Connection c = dataSource.getConnection()) {
            states(c, from, to, agent, ends, sums);
            calls(c, from, to, agent, ends, sums);
        }
        List<List<Object>> rows = new ArrayList<>();
        sums.forEach((start, agents) -> agents.forEach((name, a) -> {
            if (a.present) {
                rows.add(Reports.agentRow(start, ends.get(start), a.kpis(name)));
            }
        }));
        return new ReportTable(Reports.AGENT_COLUMNS, rows);
    }

    private static BigDecimal epoch(Instant at) {
        return BigDecimal.valueOf(at.getEpochSecond()).add(BigDecimal.valueOf(at.getNano(), 9));
    }

    private static Date day(Instant at) {
        return Date.valueOf(at.atZone(ZoneOffset.UTC).toLocalDate());
    }

    private static Acc acc(java.util.NavigableMap<Instant, Instant> ends,
            Map<Instant, Map<String, Acc>> sums, Instant from,
                           long quarter, String agent) {
        Instant at = Instant.ofEpochSecond(quarter * BUCKET_S);
        return sums.get(ends.floorKey(at.isBefore(from) ? from : at)).computeIfAbsent(agent, a -> new Acc());
    }

    private static int state(String s) {
        int i = s == null ? -1 : STATES.indexOf(s);
        return i < 0 ? STATES.size() : i;
    }

    /**
     * The states, handled calls, talk and wrap-up. Per agent event (x: its time, px/nx: the agent's event before and
     * after), s..e is its state clipped to the period, q the quarter s falls in; the row is grouped by agent and q.
     */
    private static void states(Connection c, Instant from, Instant to, String agent, java.util.NavigableMap<Instant, Instant> ends,
                               Map<Instant, Map<String, Acc>> sums) throws SQLException {
        String f = "cast(? as decimal(24, 9))";
        String order = " over (partition by agent_id order by occurred_at, seq)";
        // own state counted: not a sign-out, a state given; prev likewise for the state before this event
        String counted = "(t <> 'AGENT_SIGNED_OUT' and st is not null)";
        String prevCounted = "(pt is not null and pt <> 'AGENT_SIGNED_OUT' and pst is not null)";
        String crossing = "(" + counted + " and s < e and e > (q + 1) * " + BUCKET_S + ")";
        // the state before this event ran over a quarter edge and ends here, inside the period
        String prevCrossing = "(" + prevCounted + " and x >= " + "fp and x > (floor(greatest(px, fp) / " + BUCKET_S
                + ") + 1) * " + BUCKET_S + ")";
        String own = "case when " + counted + " and s < e then case when e > (q + 1) * " + BUCKET_S
                + " then (q + 1) * " + BUCKET_MS + " - ceil(s * 1000) else floor((e - s) * 1000) end else 0 end";
        String prevPiece = "case when " + prevCrossing + " then floor(x * 1000) - floor(x / " + BUCKET_S + ") * "
                + BUCKET_MS + " else 0 end";
        StringBuilder cols = new StringBuilder();
        for (int i = 0; i <= STATES.size(); i++) {
            String is = i < STATES.size() ? " = '" + STATES.get(i) + "'"
                    : " not in ('" + String.join("', '", STATES) + "')";
            cols.append(", sum(case when st").append(is).append(" then own else 0 end)")
                    .append(" + sum(case when pst").append(is).append(" then prv else 0 end)");
        }
        String handled = "(x >= fp and pst = 'ON_CALL' and pt <> 'AGENT_SIGNED_OUT')";
        // each row's pieces and flags worked out once (numeric arithmetic), then summed per agent and quarter
        String pieces = "select ag, q, st, pst, " + own + " as own, " + prevPiece + " as prv,"
                + " case when (x >= fp and " + counted + ") or (" + counted + " and s < e)"
                + " or (" + prevCrossing + " and x > floor(x / " + BUCKET_S + ") * " + BUCKET_S + ") or " + handled
                + " then 1 else 0 end as pres,"
                + " case when " + handled + " then 1 else 0 end as hd,"
                + " case when " + handled + " then floor((x - px) * 1000) else 0 end as talk,"
                + " case when " + handled + " and st = 'WRAP_UP' then greatest(0, floor((coalesce(nx, tp) - x) * 1000))"
                + " else 0 end as wrap,"
                // the state of this quarter that runs over its end edge (at most one per agent and quarter)
                + " case when " + crossing + " then st end as cst,"
                + " case when " + crossing + " then floor(e / " + BUCKET_S + ") end as ceq,"
                + " case when " + crossing + " and e > floor(e / " + BUCKET_S + ") * " + BUCKET_S + " then 1 else 0 end as cin,"
                + " case when " + crossing + " then floor((e - s) * 1000) - floor(e * 1000) + ceil(s * 1000) end as ccor,"
                + " case when " + crossing + " and nx is null then 1 else 0 end as clast"
                + " from (select ag, t, st, pt, pst, x, px, nx, fp, tp, greatest(x, fp) as s, least(coalesce(nx, tp), tp) as e,"
                + " floor(greatest(x, fp) / " + BUCKET_S + ") as q from ("
                + "select agent_id as ag, event_type as t, detail as st, pt, pst, extract(epoch from occurred_at) as x,"
                + " extract(epoch from p_at) as px, extract(epoch from n_at) as nx, " + f + " as fp, " + f + " as tp from ("
                + "select agent_id, event_type, detail, occurred_at,"
                + " lag(occurred_at, 1)" + order + " as p_at, lag(detail, 1)" + order + " as pst,"
                + " lag(event_type, 1)" + order + " as pt, lead(occurred_at, 1)" + order + " as n_at"
                + " from journal_events where event_type in (" + AGENT_TYPES + ") and agent_id is not null"
                + (agent == null ? "" : " and agent_id = ?")
                + " and event_day >= ? and event_day <= ? and occurred_at >= ? and occurred_at < ?) w) y) z"
                + " where x >= fp or coalesce(nx, tp) > fp";
        String sql = "select ag, q" + cols + ", max(pres), sum(hd), sum(talk), sum(wrap), max(cst), max(ceq), max(cin),"
                + " max(ccor), max(clast) from (" + pieces + ") r group by ag, q";
        Instant context = from.minus(JournalReader.AGENT_CONTEXT);
        int n = STATES.size() + 1;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setBigDecimal(i++, epoch(from));
            ps.setBigDecimal(i++, epoch(to));
            if (agent != null) {
                ps.setString(i++, agent);
            }
            ps.setDate(i++, day(context));
            ps.setDate(i++, day(to));
            ps.setTimestamp(i++, Timestamp.from(context));
            ps.setTimestamp(i, Timestamp.from(to));
            ps.setFetchSize(5000);
            long toMs = to.toEpochMilli();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    long q = rs.getLong(2);
                    Acc a = acc(ends, sums, from, q, name);
                    for (int k = 0; k < n; k++) {
                        a.states[k] += rs.getLong(3 + k);
                    }
                    int col = 3 + n;
                    a.present |= rs.getInt(col++) == 1;
                    a.handled += rs.getLong(col++);
                    a.talk += rs.getLong(col++);
                    a.wrap += rs.getLong(col++);
                    String crossState = rs.getString(col++);
                    long endQuarter = rs.getLong(col++);
                    boolean endInside = rs.getInt(col++) == 1;
                    long correction = rs.getLong(col++);
                    boolean last = rs.getInt(col) == 1;
                    if (crossState == null) {
                        continue;
                    }
                    int st = state(crossState);
                    for (long k = q + 1; k < endQuarter; k++) { // the whole quarters between
                        Acc whole = acc(ends, sums, from, k, name);
                        whole.states[st] += BUCKET_MS;
                        whole.present = true;
                    }
                    long lastQuarter = endInside ? endQuarter : endQuarter - 1;
                    Acc first = acc(ends, sums, from, q, name);
                    if (first == acc(ends, sums, from, lastQuarter, name)) {
                        first.states[st] += correction; // one piece in memory: its length rounded once
                    }
                    if (last && endInside) { // the period's end cuts it: no next event carries its last part
                        Acc end = acc(ends, sums, from, endQuarter, name);
                        end.states[st] += toMs - endQuarter * BUCKET_MS;
                        end.present = true;
                    }
                }
            }
        }
    }

    /** Ring-no-answers and post-call surveys per agent and quarter. */
    private static void calls(Connection c, Instant from, Instant to, String agent, java.util.NavigableMap<Instant, Instant> ends,
                              Map<Instant, Map<String, Acc>> sums) throws SQLException {
        String b = "floor(extract(epoch from occurred_at) / " + BUCKET_S + ")";
        String sql = "select agent_id, " + b + ", sum(case when event_type = 'CALL_RING_NO_ANSWER' then 1 else 0 end),"
                + " sum(case when event_type = 'CALL_SURVEYED' then 1 else 0 end),"
                + " sum(case when event_type = 'CALL_SURVEYED' and detail in ('4', '5') then 1 else 0 end)"
                + " from journal_events where event_type in ('CALL_RING_NO_ANSWER', 'CALL_SURVEYED') and agent_id is not null"
                + (agent == null ? "" : " and agent_id = ?")
                + " and event_day >= ? and event_day <= ? and occurred_at >= ? and occurred_at < ? group by agent_id, " + b;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (agent != null) {
                ps.setString(i++, agent);
            }
            ps.setDate(i++, day(from));
            ps.setDate(i++, day(to));
            ps.setTimestamp(i++, Timestamp.from(from));
            ps.setTimestamp(i, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Acc a = acc(ends, sums, from, rs.getLong(2), rs.getString(1));
                    a.ringNoAnswer += rs.getLong(3);
                    a.surveys += rs.getLong(4);
                    a.satisfied += rs.getLong(5);
                    a.present = true;
                }
            }
        }
    }
}
