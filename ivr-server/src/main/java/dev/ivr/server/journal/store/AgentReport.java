package dev.ivr.server.journal.store;

import dev.ivr.server.db.Dialect;
import dev.ivr.server.journal.kpi.AgentKpis;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.server.journal.report.Reports;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent report from the agent summary ({@link AgentSummary}: per agent and quarter hour (UTC), the time in each
 * state, calls handled with their talk and wrap-up, ring-no-answers and surveys, kept by the journal writer), on H2 and
 * PostgreSQL: the quarter hours put together into the report's intervals here (whole hours from the per-hour rows
 * when no interval edge falls inside an hour: {@link #ranges}), and per agent the few events at the period's edges
 * read to count as the report does there. The same figures as {@link Reports#agents} over the events
 * ({@link #inMemory}, the reference the tests compare with), to the millisecond:
 * <ul>
 *   <li>each agent's timeline is its events from {@link JournalReader#AGENT_CONTEXT} before the period on, in time and
 *       table order: a state lasts from its event to the agent's next event (or the period's end), clipped to the
 *       period;</li>
 *   <li>a state cut at an interval edge counts each piece rounded down to the millisecond; the summary cuts at every
 *       quarter edge, so a state over quarter edges but inside one interval gets back what its pieces lost to
 *       rounding (the summary keeps it with the state's first quarter);</li>
 *   <li>a call is handled in the quarter its talk (ON_CALL to the agent's next event) ended in, with the wrap-up
 *       right after it (to the event after, or the period's end).</li>
 * </ul>
 * A period or intervals that do not fall on quarter hours (a time zone with an odd offset) are computed from the
 * events (docs/reporting.md, "How the agent report is computed").
 */
public final class AgentReport {
    private static final long BUCKET_S = 900;
    /** The states with a column of their own; any other state counts as OTHER (signed-in time only). */
    private static final List<String> STATES = List.of("READY", "NOT_READY", "ON_CALL", "RESERVED", "WRAP_UP");
    private static final String OTHER = "OTHER";

    private final DataSource dataSource;
    private final Dialect dialect;
    private final JournalReader reader;
    private final Reports reports;

    /** @param dialect the database's ({@link dev.ivr.server.db.Database#dialect}) */
    public AgentReport(DataSource dataSource, Dialect dialect, Reports reports) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.reader = new JournalReader(dataSource);
        this.reports = reports;
    }

    /** The same report from the period's events read into memory ({@link Reports#agents}): the reference. */
    public ReportTable inMemory(Instant from, Instant to, Intervals intervals, String agent) throws SQLException {
        return reports.agents(reader.events(from, to), from, to, intervals, agent);
    }

    /** One agent's sums in one interval. */
    private static final class Acc {
        long present;
        long handled;
        long ringNoAnswer;
        long talk;
        long wrap;
        long hold;
        final long[] states = new long[STATES.size() + 1];
        long surveys;
        long satisfied;

        /** Adds a summary row's sums (the rounding of states over quarter edges left out). */
        void add(long[] v) {
            present += v[AgentSummary.PRESENT];
            for (int k = 0; k < states.length; k++) {
                states[k] += v[AgentSummary.STATE + k];
            }
            handled += v[AgentSummary.HANDLED];
            talk += v[AgentSummary.TALK];
            wrap += v[AgentSummary.WRAP];
            ringNoAnswer += v[AgentSummary.RNA];
            surveys += v[AgentSummary.SURVEYS];
            satisfied += v[AgentSummary.SATISFIED];
            hold += v[AgentSummary.HOLD];
        }

        AgentKpis kpis(String agent) {
            Map<String, Long> stateMs = new HashMap<>();
            for (int i = 0; i < states.length; i++) {
                if (states[i] != 0) {
                    stateMs.put(i < STATES.size() ? STATES.get(i) : OTHER, states[i]);
                }
            }
            return AgentKpis.of(agent, handled, ringNoAnswer, talk, wrap, stateMs, Map.of(), surveys, satisfied, hold);
        }
    }

    /** Per interval and agent; {@code agent} null for every agent: from the agent summary ({@link #summed}). */
    public ReportTable table(Instant from, Instant to, Intervals intervals, String agent) throws SQLException {
        return summed(from, to, intervals, agent);
    }

    /**
     * The report from the agent summary ({@link AgentSummary}): its quarter-hour rows put together into the intervals,
     * and per agent the events at the period's edges (on PostgreSQL every agent's by one query, {@link #aroundAll};
     * on H2 every agent's near the edges by one or two queries, {@link #aroundNear}, and one query per agent only for
     * an agent without events near an edge). A period or intervals that do not fall on quarter hours are
     * computed from the events.
     */
    public ReportTable summed(Instant from, Instant to, Intervals intervals, String agent) throws SQLException {
        return summed(from, to, intervals, agent, false, false, true);
    }

    /**
     * {@link #summed}; with {@code perAgent} the edges read by one query per agent (on H2 as before wave 14b), with {@code jit} the
     * database's defaults for just-in-time compilation and work_mem (both as before wave 13: the benchmark's "before");
     * without {@code hours} every quarter's row read (as before wave 14: the tests' and the benchmark's reference).
     */
    ReportTable summed(Instant from, Instant to, Intervals intervals, String agent, boolean perAgent, boolean jit,
                       boolean hours) throws SQLException {
        if (!QueueReport.quarterHours(from, to, intervals) || !QueueReport.onQuarter(from) || !QueueReport.onQuarter(to)) {
            return inMemory(from, to, intervals, agent);
        }
        java.util.NavigableMap<Instant, Instant> ends = QueueReport.intervalEnds(from, to, intervals);
        long first = from.getEpochSecond() / BUCKET_S;
        long last = to.getEpochSecond() / BUCKET_S;
        TreeMap<Instant, Map<String, Acc>> sums = new TreeMap<>();
        ends.keySet().forEach(s -> sums.put(s, new TreeMap<>()));
        Map<AgentSummary.Key, long[]> edgeRows = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            boolean h2 = dialect == Dialect.H2;
            if (!h2 && !jit) {
                c.setAutoCommit(false);
                sessionSettings(c);
            }
            long[] step = step(ends, first, last);
            if (step != null) {
                for (Range r : ranges(ends, first, last, step, hours)) {
                    grouped(c, r, last, step[0], step[1], agent, ends, sums, from);
                }
            } else {
                for (Range range : unevenRanges(ends, first, last, hours)) {
                    for (Map.Entry<AgentSummary.Key, long[]> r : AgentSummary.rows(c, range.table(), range.lo(), range.hi(),
                            agent).entrySet()) {
                        long q = r.getKey().quarter();
                        long[] v = r.getValue();
                        Acc a = acc(ends, sums, from, q, r.getKey().agent());
                        a.add(v);
                        long endQuarter = v[AgentSummary.CROSS_QUARTER];
                        // a state over quarter (or hour) edges inside one interval: one piece in memory, rounded once
                        if (v[AgentSummary.CROSS_MS] != 0 && endQuarter < last
                                && ends.floorKey(Instant.ofEpochSecond(endQuarter * BUCKET_S)).equals(
                                        ends.floorKey(Instant.ofEpochSecond(q * BUCKET_S)))) {
                            a.states[(int) v[AgentSummary.CROSS_STATE] - AgentSummary.STATE] += v[AgentSummary.CROSS_MS];
                        }
                    }
                }
            }
            List<String> names = agent == null ? agents(c) : List.of(agent);
            if (perAgent) {
                for (String a : names) {
                    edges(a, around(c, a, from, to), from, to, edgeRows);
                }
            } else if (h2) {
                Map<String, List<List<JournalSummary.Stored>>> parts = aroundNear(c, names, from, to);
                for (String a : names) {
                    edges(a, parts.get(a), from, to, edgeRows);
                }
            } else {
                Map<String, List<List<JournalSummary.Stored>>> parts = aroundAll(c, agent, from, to);
                for (String a : names) {
                    edges(a, parts.getOrDefault(a, List.of(List.of(), List.of(), List.of(), List.of())), from, to,
                            edgeRows);
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
                c.setAutoCommit(true);
            }
        }
        for (Map.Entry<AgentSummary.Key, long[]> r : edgeRows.entrySet()) {
            acc(ends, sums, from, r.getKey().quarter(), r.getKey().agent()).add(r.getValue());
        }
        List<List<Object>> out = new ArrayList<>();
        sums.forEach((start, agents) -> agents.forEach((name, a) -> {
            if (a.present > 0) {
                out.add(Reports.agentRow(start, ends.get(start), a.kpis(name)));
            }
        }));
        return new ReportTable(Reports.AGENT_COLUMNS, out);
    }

    private static Acc acc(java.util.NavigableMap<Instant, Instant> ends, Map<Instant, Map<String, Acc>> sums,
                           Instant from, long quarter, String agent) {
        Instant at = Instant.ofEpochSecond(quarter * BUCKET_S);
        return sums.get(ends.floorKey(at.isBefore(from) ? from : at)).computeIfAbsent(agent, a -> new Acc());
    }

    /**
     * The intervals as quarter numbers {@code base + i * k} ({@code {base, k}}), when every interval but the first and
     * the last is k quarters long (minutes, hours, days in a zone without a change of offset in the period, weeks, the
     * whole period); null otherwise (months, a change of offset).
     */
    static long[] step(java.util.NavigableMap<Instant, Instant> ends, long first, long last) {
        List<Long> starts = ends.keySet().stream().map(s -> s.getEpochSecond() / BUCKET_S).toList();
        if (starts.size() == 1) {
            return new long[] {first, last - first};
        }
        long k = starts.size() > 2 ? starts.get(2) - starts.get(1) : Math.max(starts.get(1) - first, last - starts.get(1));
        for (int i = 2; i < starts.size(); i++) {
            if (starts.get(i) - starts.get(i - 1) != k) {
                return null;
            }
        }
        long base = starts.get(1) - k;
        return starts.get(1) - first <= k && last - starts.get(starts.size() - 1) <= k ? new long[] {base, k} : null;
    }

    /**
     * The report's session settings on PostgreSQL, in the caller's transaction ({@code set local}): the planner's cost
     * of a month of summary rows, or of a few hundred agents' index scans, is past jit_above_cost (compiling the plan
     * took longer than running it), so no just-in-time compilation; and a month's rows (450,000 quarter rows at 10 M
     * events) were sorted on disk in 4 MB of work_mem where a hash of the 9,000 (agent, day) groups fits in 32 MB
     * (docs/benchmarks.md, wave 13).
     */
    static void sessionSettings(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("set local jit = off");
            st.execute("set local work_mem = '32MB'");
        }
    }

    /** Summary rows {@code [lo, hi)} (quarter numbers) of one table. */
    record Range(String table, long lo, long hi) {
    }

    /**
     * The summary rows that tile the period's quarters {@code [first, last)}: with {@code hours}, when no interval edge
     * inside the period falls inside an hour, the whole hours from the per-hour summary and the quarters before the
     * first and after the last whole hour from the quarters'; else every quarter.
     */
    static List<Range> ranges(java.util.NavigableMap<Instant, Instant> ends, long first, long last, long[] step,
                              boolean hours) {
        boolean aligned = ends.size() == 1 || step[1] % AgentSummary.HOUR_Q == 0 && AgentSummary.hour(step[0]) == step[0];
        return hourRanges(first, last, hours && aligned);
    }

    /**
     * The summary rows that tile the period's quarters {@code [first, last)} for intervals of unequal lengths (months;
     * days or weeks over a change of offset: {@link #step} null), read into memory: with {@code hours}, when every
     * interval edge inside the period falls on an hour (UTC; a zone with a whole-hour offset), the whole hours from the
     * per-hour summary and the quarters before the first and after the last whole hour from the quarters'; else every
     * quarter (a zone with a half-hour offset).
     */
    static List<Range> unevenRanges(java.util.NavigableMap<Instant, Instant> ends, long first, long last, boolean hours) {
        boolean onHours = ends.keySet().stream().skip(1).allMatch(s -> {
            long q = s.getEpochSecond() / BUCKET_S;
            return AgentSummary.hour(q) == q;
        });
        return hourRanges(first, last, hours && onHours);
    }

    /**
     * {@code [first, last)} as quarter rows, or (with {@code hours}) as the whole hours' rows and the quarters' rows
     * before the first and after the last whole hour.
     */
    private static List<Range> hourRanges(long first, long last, boolean hours) {
        long h1 = AgentSummary.hour(first + AgentSummary.HOUR_Q - 1);
        long h2 = AgentSummary.hour(last);
        if (!hours || h1 >= h2) {
            return List.of(new Range(AgentSummary.TABLE, first, last));
        }
        List<Range> out = new ArrayList<>();
        if (first < h1) {
            out.add(new Range(AgentSummary.TABLE, first, h1));
        }
        out.add(new Range(AgentSummary.HOURS, h1, h2));
        if (h2 < last) {
            out.add(new Range(AgentSummary.TABLE, h2, last));
        }
        return out;
    }

    /**
     * A range's summary rows summed by the database per agent and interval ({@code (quarter - base) / k}), with the
     * rounding given back for a state over quarter edges inside one interval (and ending before {@code last}).
     */
    private static void grouped(Connection c, Range range, long last, long base, long k, String agent,
                                java.util.NavigableMap<Instant, Instant> ends, Map<Instant, Map<String, Acc>> sums,
                                Instant from) throws SQLException {
        long first = from.getEpochSecond() / BUCKET_S;
        try (PreparedStatement ps = c.prepareStatement(groupedSql(range.table(), agent))) {
            bindGrouped(ps, range, last, base, k, agent);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long start = Math.max(first, base + rs.getLong(2) * k);
                    Acc a = acc(ends, sums, from, start, rs.getString(1));
                    long[] v = AgentSummary.zero();
                    for (int col = 0; col < AgentSummary.CROSS_QUARTER; col++) {
                        v[col] = rs.getLong(3 + col);
                    }
                    a.add(v);
                    for (int st = 0; st <= STATES.size(); st++) {
                        a.states[st] += rs.getLong(3 + AgentSummary.CROSS_QUARTER + st);
                    }
                }
            }
        }
    }

    /**
     * The plan of the summary's query for a period and intervals (PostgreSQL: EXPLAIN ANALYZE, with the database's
     * defaults, or as the report runs it: jit off, 32 MB of work_mem): the benchmark's look at where the time goes.
     */
    String explainSummed(Instant from, Instant to, Intervals intervals, boolean jit, boolean hours) throws SQLException {
        java.util.NavigableMap<Instant, Instant> ends = QueueReport.intervalEnds(from, to, intervals);
        long first = from.getEpochSecond() / BUCKET_S;
        long last = to.getEpochSecond() / BUCKET_S;
        long[] step = step(ends, first, last);
        if (step == null) {
            return "(not grouped by the database)";
        }
        StringBuilder out = new StringBuilder();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (jit) {
                try (Statement st = c.createStatement()) {
                    st.execute("set local jit = on");
                }
            } else {
                sessionSettings(c); // as the report does
            }
            for (Range r : ranges(ends, first, last, step, hours)) {
                out.append(r).append(":\n");
                try (PreparedStatement ps = c.prepareStatement("explain (analyze, buffers) " + groupedSql(r.table(), null))) {
                    bindGrouped(ps, r, last, step[0], step[1], null);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.append(rs.getString(1)).append('\n');
                        }
                    }
                }
            }
            c.commit();
        }
        return out.toString();
    }

    private static String groupedSql(String table, String agent) {
        String b = "cast(? as bigint)";
        String interval = "floor((%1$s - " + b + ") / " + b + ")";
        String rows = "select agent_id, " + interval.formatted("quarter") + " as i, case when cross_ms <> 0 and cross_quarter < "
                + b + " and " + interval.formatted("cross_quarter") + " = " + interval.formatted("quarter")
                + " then cross_ms else 0 end as cm, cross_state, " + String.join(", ",
                        Arrays.copyOf(AgentSummary.SUMS, AgentSummary.CROSS_QUARTER)) + " from " + table
                + " where quarter >= ? and quarter < ?" + (agent == null ? "" : " and agent_id = ?");
        StringBuilder sql = new StringBuilder("select agent_id, i");
        for (int i = 0; i < AgentSummary.CROSS_QUARTER; i++) {
            sql.append(", sum(").append(AgentSummary.SUMS[i]).append(")");
        }
        for (int st = 0; st <= STATES.size(); st++) {
            sql.append(", sum(case when cross_state = ").append(AgentSummary.STATE + st).append(" then cm else 0 end)");
        }
        sql.append(" from (").append(rows).append(") x group by agent_id, i");
        return sql.toString();
    }

    private static void bindGrouped(PreparedStatement ps, Range range, long last, long base, long k, String agent)
            throws SQLException {
        int i = 1;
        ps.setLong(i++, base);
        ps.setLong(i++, k);
        ps.setLong(i++, last);
        ps.setLong(i++, base);
        ps.setLong(i++, k);
        ps.setLong(i++, base);
        ps.setLong(i++, k);
        ps.setLong(i++, range.lo());
        ps.setLong(i++, range.hi());
        if (agent != null) {
            ps.setString(i, agent);
        }
    }


    private static List<String> agents(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select agent_id from journal_agents order by agent_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * What the summary counts otherwise than the report at the period's edges, per agent, in the quarters' rows:
     * <ul>
     *   <li>the state the agent is in at the end with no next event yet (the summary counts it when the next event
     *       comes): counted from its event (or the period's start) to the end;</li>
     *   <li>a wrap-up running at the end, after a call whose talk ended in the period: counted to the end (the summary
     *       has it to the next event, or 0);</li>
     *   <li>the report sees an agent's events from {@link JournalReader#AGENT_CONTEXT} before the period on: a state
     *       begun earlier, and the call whose talk began earlier, are taken out again.</li>
     * </ul>
     */
    private static void edges(String agent, List<List<JournalSummary.Stored>> parts, Instant from, Instant to,
                              Map<AgentSummary.Key, long[]> rows) {
        Instant context = from.minus(JournalReader.AGENT_CONTEXT);
        List<JournalSummary.Stored> before = parts.get(0).reversed();
        if (before.isEmpty()) {
            return;
        }
        JournalSummary.Stored z = before.get(0);
        if (!z.at().isBefore(context)) { // an event the report sees
            List<JournalSummary.Stored> after = parts.get(1);
            String state = AgentSummary.state(z);
            if (after.isEmpty() && state != null) {
                AgentSummary.pieces(agent, state, z.at().isBefore(from) ? from : z.at(), to, rows, 1, false);
            }
            if (before.size() == 2 && "WRAP_UP".equals(z.detail()) && "ON_CALL".equals(AgentSummary.state(before.get(1)))
                    && !before.get(1).at().isBefore(context) && !z.at().isBefore(from)) {
                long counted = after.isEmpty() ? 0 : Math.max(0, Duration.between(z.at(), after.get(0).at()).toMillis());
                long open = Math.max(0, Duration.between(z.at(), to).toMillis());
                rows.computeIfAbsent(new AgentSummary.Key(JournalSummary.quarter(z.at()), agent), k -> AgentSummary.zero())
                        [AgentSummary.WRAP] += open - counted;
            }
        }
        // the agent's last event before the report's horizon, when its state lasts into the period
        List<JournalSummary.Stored> p = parts.get(2);
        if (p.isEmpty() || !p.get(0).at().isBefore(context)) {
            return;
        }
        List<JournalSummary.Stored> line = new ArrayList<>(p);
        line.addAll(parts.get(3));
        if (line.size() < 2) {
            return;
        }
        JournalSummary.Stored hidden = line.get(0);
        JournalSummary.Stored next = line.get(1);
        String hiddenState = AgentSummary.state(hidden);
        if (hiddenState != null) {
            AgentSummary.pieces(agent, hiddenState, from, next.at().isBefore(to) ? next.at() : to, rows, -1, false);
        }
        if ("ON_CALL".equals(hiddenState) && next.at().isBefore(to)) {
            long[] r = rows.computeIfAbsent(new AgentSummary.Key(JournalSummary.quarter(next.at()), agent),
                    k -> AgentSummary.zero());
            r[AgentSummary.HANDLED]--;
            r[AgentSummary.TALK] -= Duration.between(hidden.at(), next.at()).toMillis();
            r[AgentSummary.WRAP] -= AgentSummary.wrap(line, 0);
            r[AgentSummary.PRESENT]--;
        }
    }

    /** The parts of {@link #around}: before the end, from the end, before the start, from the start. */
    private static final String[] PARTS = {"occurred_at < ?%s order by occurred_at desc fetch first 2 rows with ties",
        "occurred_at >= ?%s order by occurred_at fetch first 1 rows with ties",
        "occurred_at < ?%s order by occurred_at desc fetch first 1 rows with ties",
        "occurred_at >= ?%s order by occurred_at fetch first 2 rows with ties"};
    private static final int[] COUNTS = {2, 1, 1, 2};

    /**
     * Every agent's events at the period's edges ({@code agent} null) or one agent's, as {@link #around}, by one query
     * on PostgreSQL: per agent of {@code journal_agents} (a lateral join) the four parts, each an index scan of the
     * agent's events from the edge that stops at the rows it needs (PostgreSQL stops early for "with ties", so no
     * bound). One round trip instead of one or two per agent: on a busy machine each round trip waits for the
     * database's process to be scheduled (303 agents took 2 s; docs/benchmarks.md, wave 13).
     */
    private static Map<String, List<List<JournalSummary.Stored>>> aroundAll(Connection c, String agent, Instant from,
                                                                            Instant to) throws SQLException {
        StringBuilder sql = new StringBuilder("select w.*, a.agent_id from journal_agents a cross join lateral (");
        Instant[] edge = {to, to, from, from};
        for (int i = 0; i < PARTS.length; i++) {
            sql.append(i == 0 ? "(" : " union all (").append("select ").append(JournalSummary.EVENT_COLUMNS)
                    .append(", ").append(i).append(" as part from journal_events where ")
                    .append("agent_id = a.agent_id and event_type like 'AGENT%'")
                    .append(" and ").append(PARTS[i].formatted("")).append(")");
        }
        sql.append(") w").append(agent == null ? "" : " where a.agent_id = ?").append(" order by a.agent_id, part,"
                + " occurred_at, seq");
        Map<String, List<List<JournalSummary.Stored>>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int k = 1;
            for (Instant e : edge) {
                ps.setTimestamp(k++, Timestamp.from(e));
            }
            if (agent != null) {
                ps.setString(k, agent);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(12), a -> new ArrayList<>(List.of(new ArrayList<>(),
                            new ArrayList<>(), new ArrayList<>(), new ArrayList<>()))).get(rs.getInt(11))
                            .add(JournalSummary.stored(rs));
                }
            }
        }
        out.values().forEach(AgentReport::cut);
        return out;
    }

    /** Before an edge: the last ones; from an edge on: the first ones (each part in time and table order). */
    private static void cut(List<List<JournalSummary.Stored>> out) {
        for (int i = 0; i < COUNTS.length; i++) {
            List<JournalSummary.Stored> part = out.get(i);
            int n = Math.min(COUNTS[i], part.size());
            out.set(i, i % 2 == 0 ? new ArrayList<>(part.subList(part.size() - n, part.size()))
                    : new ArrayList<>(part.subList(0, n)));
        }
    }

    /** How far from the period's edges H2 reads every agent's events at once ({@link #aroundNear}). */
    static final Duration NEAR_WINDOW = Duration.ofHours(1);

    /**
     * The agents' events at the period's edges, as {@link #around}, on H2 without one query per agent: every agent's
     * events within {@link #NEAR_WINDOW} of either edge by one query through the time index (H2 has no lateral join;
     * 303 queries through the agent index took 1.2-1.5 s at 10 M events whatever the period's length: docs/benchmarks.md,
     * wave 14), each part then taken in memory. A part that has its count within the window holds the same events as
     * unbounded (its ties lie within the window too; the events before the window are earlier than all in it): only
     * an agent with a part short of its count (no events near an edge) is read again by {@link #around}.
     */
    static Map<String, List<List<JournalSummary.Stored>>> aroundNear(Connection c, List<String> agents, Instant from,
                                                                      Instant to) throws SQLException {
        Map<String, List<JournalSummary.Stored>> near = near(c, from, to);
        Map<String, List<List<JournalSummary.Stored>>> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String a : agents) {
            List<JournalSummary.Stored> events = near.getOrDefault(a, List.of());
            List<List<JournalSummary.Stored>> parts = new ArrayList<>();
            for (int i = 0; i < COUNTS.length && parts.size() == i; i++) {
                List<JournalSummary.Stored> part = nearPart(events, i, from, to);
                if (part != null) {
                    parts.add(part);
                }
            }
            if (parts.size() == COUNTS.length) {
                out.put(a, parts);
            } else {
                missing.add(a);
            }
        }
        if (!missing.isEmpty()) {
            out.putAll(aroundHinted(c, missing, from, to));
        }
        for (String a : missing) {
            if (!out.containsKey(a)) {
                out.put(a, around(c, a, from, to));
            }
        }
        return out;
    }

    /** How far from an edge the per-hour agent summary is looked at for the agents' last and first hours there. */
    static final long HINT_HOURS = 24;
    /** Agents per query of {@link #aroundHinted} (a union of two index ranges per agent). */
    private static final int HINT_BATCH = 50;

    /**
     * The agents' events at the period's edges, as {@link #around}, for agents without events near them (a period
     * from midnight to midnight): where to look is taken from the per-hour agent summary ({@link AgentSummary#HOURS},
     * a row per hour the agent was present): per agent and edge, its last hour with a row before the edge and its
     * first hour with a row that ends after it, within {@link #HINT_HOURS} (one query per edge over the summary's
     * rows of those hours); then every agent's events from the hour before that last hour to the hour after that
     * first one by one query per {@link #HINT_BATCH} agents, each agent's range an index range of its own (the agent
     * index). A part that has its count within its range holds the same events as unbounded (as {@link #aroundNear});
     * the parts still short (no hour rows on that side within a day, or the hint missed) are read as {@link #around}
     * reads them without a bound, by one query per {@link #HINT_BATCH} parts. The hint chooses only where to read,
     * never what is counted: a summary that misled costs a read, not a wrong figure.
     */
    static Map<String, List<List<JournalSummary.Stored>>> aroundHinted(Connection c, List<String> agents, Instant from,
                                                                        Instant to) throws SQLException {
        Instant[] edges = {to, from};
        // per edge: agent -> {range start or null, range end or null}
        List<Map<String, Instant[]>> ranges = new ArrayList<>();
        for (Instant e : edges) {
            ranges.add(hints(c, e));
        }
        List<String> asked = new ArrayList<>();
        List<Instant[]> spans = new ArrayList<>();
        Map<String, Instant[][]> bounds = new HashMap<>();
        for (String a : agents) {
            Instant[][] r = new Instant[2][];
            for (int k = 0; k < 2; k++) {
                Instant[] h = ranges.get(k).getOrDefault(a, new Instant[2]);
                r[k] = new Instant[] {h[0] == null ? edges[k] : h[0], h[1] == null ? edges[k] : h[1]};
            }
            bounds.put(a, r);
            if (!r[0][0].isAfter(r[1][1]) && !r[1][0].isAfter(r[0][1])) {
                addSpan(asked, spans, a, new Instant[] {r[0][0].isBefore(r[1][0]) ? r[0][0] : r[1][0],
                    r[0][1].isAfter(r[1][1]) ? r[0][1] : r[1][1]});
            } else {
                addSpan(asked, spans, a, r[0]);
                addSpan(asked, spans, a, r[1]);
            }
        }
        Map<String, List<JournalSummary.Stored>> read = new HashMap<>();
        for (int lo = 0; lo < asked.size(); lo += HINT_BATCH) {
            int hi = Math.min(asked.size(), lo + HINT_BATCH);
            StringBuilder sql = new StringBuilder();
            for (int i = lo; i < hi; i++) {
                sql.append(i == lo ? "(" : " union all (").append("select ").append(JournalSummary.EVENT_COLUMNS)
                        .append(" from journal_events where ").append(JournalSummary.AGENT_ONLY)
                        .append(" and occurred_at >= ? and occurred_at < ?)");
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int k = 1;
                for (int i = lo; i < hi; i++) {
                    ps.setString(k++, asked.get(i));
                    ps.setTimestamp(k++, Timestamp.from(spans.get(i)[0]));
                    ps.setTimestamp(k++, Timestamp.from(spans.get(i)[1]));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JournalSummary.Stored s = JournalSummary.stored(rs);
                        read.computeIfAbsent(s.agent(), x -> new ArrayList<>()).add(s);
                    }
                }
            }
        }
        java.util.Comparator<JournalSummary.Stored> order = java.util.Comparator.comparing(JournalSummary.Stored::at)
                .thenComparingLong(JournalSummary.Stored::seq);
        Map<String, List<List<JournalSummary.Stored>>> out = new HashMap<>();
        List<String> shortAgents = new ArrayList<>();
        List<Integer> shortParts = new ArrayList<>();
        for (String a : agents) {
            Instant[][] r = bounds.get(a);
            List<JournalSummary.Stored> events = read.getOrDefault(a, new ArrayList<>());
            events.sort(order);
            List<List<JournalSummary.Stored>> parts = new ArrayList<>();
            for (int i = 0; i < COUNTS.length; i++) {
                List<JournalSummary.Stored> part = part(events, i, edges[i / 2], i % 2 == 0 ? r[i / 2][0] : r[i / 2][1]);
                if (part == null) {
                    shortAgents.add(a);
                    shortParts.add(i);
                    part = new ArrayList<>();
                }
                parts.add(part);
            }
            out.put(a, parts);
        }
        // the parts short of their count: without a bound, as around's second query, one query per batch of parts
        for (int lo = 0; lo < shortAgents.size(); lo += HINT_BATCH) {
            int hi = Math.min(shortAgents.size(), lo + HINT_BATCH);
            StringBuilder sql = new StringBuilder("select * from (");
            for (int i = lo; i < hi; i++) {
                sql.append(i == lo ? "(" : " union all (").append("select ").append(JournalSummary.EVENT_COLUMNS)
                        .append(", ").append(i - lo).append(" as part from journal_events where ")
                        .append(JournalSummary.AGENT_ONLY).append(" and ")
                        .append(PARTS[shortParts.get(i)].formatted("")).append(")");
            }
            sql.append(") w order by part, occurred_at, seq");
            List<List<JournalSummary.Stored>> got = new ArrayList<>();
            for (int i = lo; i < hi; i++) {
                got.add(new ArrayList<>());
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int k = 1;
                for (int i = lo; i < hi; i++) {
                    ps.setString(k++, shortAgents.get(i));
                    ps.setTimestamp(k++, Timestamp.from(edges[shortParts.get(i) / 2]));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        got.get(rs.getInt("part")).add(JournalSummary.stored(rs));
                    }
                }
            }
            for (int i = lo; i < hi; i++) {
                int p = shortParts.get(i);
                List<JournalSummary.Stored> part = got.get(i - lo);
                int n = Math.min(COUNTS[p], part.size());
                out.get(shortAgents.get(i)).set(p, new ArrayList<>(p % 2 == 0
                        ? part.subList(part.size() - n, part.size()) : part.subList(0, n)));
            }
        }
        return out;
    }

    private static void addSpan(List<String> asked, List<Instant[]> spans, String agent, Instant[] span) {
        if (span[0].isBefore(span[1])) {
            asked.add(agent);
            spans.add(span);
        }
    }

    /**
     * Per agent with rows in the per-hour summary within {@link #HINT_HOURS} of {@code edge}: the range of its events
     * to read around the edge, from the start of the hour before its last hour with a row that begins before the edge
     * (null without such a row) to the end of the hour after its first hour with a row that ends after it (null
     * without such a row).
     */
    private static Map<String, Instant[]> hints(Connection c, Instant edge) throws SQLException {
        long eq = edge.getEpochSecond() / BUCKET_S;
        long h = AgentSummary.hour(eq);
        long span = HINT_HOURS * AgentSummary.HOUR_Q;
        Map<String, Instant[]> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select agent_id, max(case when quarter < ? then quarter end),"
                + " min(case when quarter > ? then quarter end) from " + AgentSummary.HOURS
                + " where quarter >= ? and quarter <= ? group by agent_id")) {
            ps.setLong(1, eq);
            ps.setLong(2, eq - AgentSummary.HOUR_Q);
            ps.setLong(3, h - span);
            ps.setLong(4, h + span);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long before = rs.getLong(2);
                    boolean hasBefore = !rs.wasNull();
                    long after = rs.getLong(3);
                    boolean hasAfter = !rs.wasNull();
                    // an hour more on each side: the last hour may hold only the sign-out, the first only the sign-in
                    out.put(rs.getString(1), new Instant[] {
                        hasBefore ? Instant.ofEpochSecond((before - AgentSummary.HOUR_Q) * BUCKET_S) : null,
                        hasAfter ? Instant.ofEpochSecond((after + 2 * AgentSummary.HOUR_Q) * BUCKET_S) : null});
                }
            }
        }
        return out;
    }

    /**
     * Part {@code i} of {@link #around} from an agent's events read over a range around its edge that reaches
     * {@code bound} on the part's side (before the edge: from {@code bound} on; after: before {@code bound}), or null
     * when fewer than its count lie there.
     */
    static List<JournalSummary.Stored> part(List<JournalSummary.Stored> events, int i, Instant e, Instant bound) {
        List<JournalSummary.Stored> part = new ArrayList<>();
        for (JournalSummary.Stored s : events) {
            if (i % 2 == 0 ? s.at().isBefore(e) && !s.at().isBefore(bound) : !s.at().isBefore(e) && s.at().isBefore(bound)) {
                part.add(s);
            }
        }
        if (part.size() < COUNTS[i]) {
            return null;
        }
        return new ArrayList<>(i % 2 == 0 ? part.subList(part.size() - COUNTS[i], part.size()) : part.subList(0, COUNTS[i]));
    }

    /**
     * Every agent's events within {@link #NEAR_WINDOW} of {@code from} or {@code to}, per agent in time and table
     * order, by one query per range through the time index (the type test inside a CASE and no agent condition: no
     * other index applies; {@link JournalSummary#AGENT_ONLY}).
     */
    static Map<String, List<JournalSummary.Stored>> near(Connection c, Instant from, Instant to) throws SQLException {
        Map<String, List<JournalSummary.Stored>> near = new HashMap<>();
        for (Instant[] r : nearRanges(from, to)) {
            try (PreparedStatement ps = c.prepareStatement("select " + JournalSummary.EVENT_COLUMNS
                    + " from journal_events where (case when event_type like 'AGENT%' then 1 else 0 end) = 1"
                    + " and occurred_at >= ? and occurred_at < ?")) {
                ps.setTimestamp(1, Timestamp.from(r[0]));
                ps.setTimestamp(2, Timestamp.from(r[1]));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        JournalSummary.Stored e = JournalSummary.stored(rs);
                        if (e.agent() != null) {
                            near.computeIfAbsent(e.agent(), a -> new ArrayList<>()).add(e);
                        }
                    }
                }
            }
        }
        java.util.Comparator<JournalSummary.Stored> order = java.util.Comparator.comparing(JournalSummary.Stored::at)
                .thenComparingLong(JournalSummary.Stored::seq);
        near.values().forEach(l -> l.sort(order));
        return near;
    }

    /**
     * Part {@code i} of {@link #around} (0: the last two before {@code to}, 1: the first at or after it, 2: the last
     * before {@code from}, 3: the first two at or after it) from an agent's events of {@link #near}, or null when
     * fewer than its count lie within {@link #NEAR_WINDOW} of the edge (then only a query without the bound can tell).
     */
    static List<JournalSummary.Stored> nearPart(List<JournalSummary.Stored> events, int i, Instant from, Instant to) {
        Instant e = i < 2 ? to : from;
        return part(events, i, e, i % 2 == 0 ? e.minus(NEAR_WINDOW) : e.plus(NEAR_WINDOW));
    }

    /** The time ranges within {@link #NEAR_WINDOW} of either edge, merged where they overlap (each read once). */
    private static List<Instant[]> nearRanges(Instant from, Instant to) {
        Instant[] a = {from.minus(NEAR_WINDOW), from.plus(NEAR_WINDOW)};
        Instant[] b = {to.minus(NEAR_WINDOW), to.plus(NEAR_WINDOW)};
        if (b[0].isAfter(a[1])) {
            return List.of(a, b);
        }
        return List.<Instant[]>of(new Instant[] {a[0], b[1].isAfter(a[1]) ? b[1] : a[1]});
    }

    /** How far from the period's edges the agent's events are looked for first (further: only when none are there). */
    static final Duration EDGE_WINDOW = Duration.ofDays(1);

    /**
     * One agent's events at the period's edges, on H2 (PostgreSQL reads every agent's at once: {@link #aroundAll}):
     * the last two before its end, the first at or after its end, the last
     * one before its start and the first two at or after its start (each part in time order). One query reads the
     * four parts each within {@link #EDGE_WINDOW} of its edge (H2 reads the index range between the edge and that
     * bound, not the agent's every event on that side: it neither stops early in the index for "with ties" nor sorts
     * incrementally); a part that found fewer events than it needs there is read again without the bound.
     */
    static List<List<JournalSummary.Stored>> around(Connection c, String agent, Instant from, Instant to)
            throws SQLException {
        int[] counts = COUNTS;
        List<List<JournalSummary.Stored>> out = around(c, agent, from, to, new boolean[] {true, true, true, true});
        boolean[] again = new boolean[counts.length];
        boolean any = false;
        for (int i = 0; i < counts.length; i++) {
            again[i] = out.get(i).size() < counts[i];
            any |= again[i];
        }
        if (any) {
            boolean[] bounded = new boolean[counts.length];
            for (int i = 0; i < counts.length; i++) {
                bounded[i] = !again[i];
            }
            List<List<JournalSummary.Stored>> unbounded = around(c, agent, from, to, bounded);
            for (int i = 0; i < counts.length; i++) {
                if (again[i]) {
                    out.set(i, unbounded.get(i));
                }
            }
        }
        cut(out);
        return out;
    }

    /**
     * The parts asked for ({@code bounded[i]} true: within {@link #EDGE_WINDOW} of the edge; false: without a bound),
     * by one query: the other parts are not read. With ties, the parts cut to their counts by the caller; a bounded
     * part that has its count holds the same events as unbounded (its ties lie within the bound too).
     */
    private static List<List<JournalSummary.Stored>> around(Connection c, String agent, Instant from, Instant to,
                                                            boolean[] bounded) throws SQLException {
        // "with ties" on the time alone, the index's order; the parts cut to their counts in time and table order
        String[] parts = PARTS;
        String[] bounds = {" and occurred_at >= ?", " and occurred_at < ?", " and occurred_at >= ?", " and occurred_at < ?"};
        Instant[] edge = {to, to, from, from};
        Instant[] bound = {to.minus(EDGE_WINDOW), to.plus(EDGE_WINDOW), from.minus(EDGE_WINDOW), from.plus(EDGE_WINDOW)};
        boolean[] unbounded = new boolean[parts.length];
        for (int i = 0; i < parts.length; i++) {
            unbounded[i] = !bounded[i];
        }
        // in the first query every part is bounded; in the second only the unbounded parts are read
        boolean second = unbounded[0] || unbounded[1] || unbounded[2] || unbounded[3];
        StringBuilder sql = new StringBuilder("select * from (");
        List<Integer> read = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (second && !unbounded[i]) {
                continue;
            }
            sql.append(read.isEmpty() ? "(" : " union all (").append("select ").append(JournalSummary.EVENT_COLUMNS)
                    .append(", ").append(i).append(" as part from journal_events where ").append(JournalSummary.AGENT_ONLY)
                    .append(" and ").append(parts[i].formatted(bounded[i] ? bounds[i] : "")).append(")");
            read.add(i);
        }
        sql.append(") w order by part, occurred_at, seq");
        List<List<JournalSummary.Stored>> out = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            out.add(new ArrayList<>());
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int k = 1;
            for (int i : read) {
                ps.setString(k++, agent);
                ps.setTimestamp(k++, Timestamp.from(edge[i]));
                if (bounded[i]) {
                    ps.setTimestamp(k++, Timestamp.from(bound[i]));
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.get(rs.getInt(11)).add(JournalSummary.stored(rs));
                }
            }
        }
        return out;
    }
}
