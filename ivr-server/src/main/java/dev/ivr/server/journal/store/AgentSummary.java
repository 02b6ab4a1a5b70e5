package dev.ivr.server.journal.store;

import dev.ivr.server.journal.store.JournalSummary.Stored;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The agent report's figures summed ahead of time, per quarter hour (UTC) and agent: table
 * {@code journal_agent_quarters} (migration V155; V156 back-fills it with {@link #rebuild}). Kept by the journal
 * writer beside the queue summary ({@link JournalSummary#write}), from the same window of each agent's events around
 * the new ones: each event's contribution (below) depends on the event and the agent's next two, so the writer takes
 * the contributions of the events around the new ones as they were and adds them as they are now; a redelivered event
 * is not written again and adds nothing. Each agent's whole timeline counts (no horizon), and the contributions of
 * an agent event are:
 * <ul>
 *   <li>its state (the event's detail; none for a sign-out) from the event to the agent's next event, cut at quarter
 *       edges, each piece's length rounded down to the millisecond as the in-memory report does it; a state with no
 *       next event yet counts nothing (the report adds it up to its end);</li>
 *   <li>a state that runs over a quarter edge: the millisecond its pieces lost to rounding against one piece
 *       ({@code cross_ms}, with the quarter of its end and its state), on its first quarter's row: the report adds it
 *       back when the state lies inside one of its intervals;</li>
 *   <li>a handled call: an ON_CALL followed by another event, in the quarter of that event, with its talk and the
 *       wrap-up right after it (0 until the event after the WRAP_UP is written);</li>
 *   <li>{@code present}: how many things the agent did in the quarter (a state piece, an event with a state, a
 *       handled call, a ring-no-answer, a survey): the report lists an agent in an interval when it is above 0.</li>
 * </ul>
 * Ring-no-answers, surveys and holds (an unhold event's {@code durationMs}, {@code hold_ms}: V159) count in the quarter
 * of their event.
 * <p>
 * The same sums per hour (UTC) and agent, table {@code journal_agent_hours} (V166; V167 back-fills it), kept in the
 * same transaction from the same contributions, so that a report over a month reads a quarter of the rows: an hour row
 * (its {@code quarter} the hour's first quarter hour) holds its four quarters' sums, except the rounding of a state over
 * quarter edges: one that ends in the same hour is given back in its state's column (a report reads an hour row only
 * when the whole hour lies in one of its intervals), one that runs over the hour's end edge is kept as on the quarter
 * row ({@code cross_quarter} the quarter of its end: the report gives it back when that quarter lies in the same
 * interval and period). At most one state that begins in an hour runs over its end, as for a quarter.
 */
public final class AgentSummary {
    static final String TABLE = "journal_agent_quarters";
    /** The per-hour sums (V166). */
    static final String HOURS = "journal_agent_hours";
    /** Quarters in an hour. */
    static final long HOUR_Q = 4;
    static final long QUARTER_S = JournalSummary.QUARTER_S;
    /** The states with a column of their own; any other state counts in {@code other_ms}. */
    static final List<String> STATES = List.of("READY", "NOT_READY", "ON_CALL", "RESERVED", "WRAP_UP");
    static final String[] SUMS = {"present", "ready_ms", "not_ready_ms", "on_call_ms", "reserved_ms", "wrap_up_ms",
        "other_ms", "handled", "talk_ms", "wrap_ms", "ring_no_answer", "surveys", "satisfied", "hold_ms",
        "cross_quarter", "cross_state", "cross_ms"};
    static final int PRESENT = 0;
    /** The first state column: READY; {@link #STATES} in order, then other. */
    static final int STATE = 1;
    static final int HANDLED = 7;
    static final int TALK = 8;
    static final int WRAP = 9;
    static final int RNA = 10;
    static final int SURVEYS = 11;
    static final int SATISFIED = 12;
    /** Time on hold (V159), in the quarter the hold ended in: part of the talk, not added to it. */
    static final int HOLD = 13;
    static final int CROSS_QUARTER = 14;
    static final int CROSS_STATE = 15;
    static final int CROSS_MS = 16;

    private AgentSummary() {
    }

    /** A quarter hour and agent; with {@code hour}, the hour beginning with that quarter ({@link #HOURS}'s row). */
    record Key(long quarter, String agent, boolean hour) implements Comparable<Key> {
        Key(long quarter, String agent) {
            this(quarter, agent, false);
        }

        @Override
        public int compareTo(Key o) {
            int c = Boolean.compare(hour, o.hour);
            c = c != 0 ? c : Long.compare(quarter, o.quarter);
            return c != 0 ? c : agent.compareTo(o.agent);
        }
    }

    /** The first quarter of the hour a quarter lies in. */
    static long hour(long quarter) {
        return Math.floorDiv(quarter, HOUR_Q) * HOUR_Q;
    }

    static long[] zero() {
        return new long[SUMS.length];
    }

    /** The column of a state (READY ... WRAP_UP, else other). */
    static int column(String state) {
        int i = STATES.indexOf(state);
        return STATE + (i < 0 ? STATES.size() : i);
    }

    private static long[] row(Map<Key, long[]> delta, long quarter, String agent) {
        return delta.computeIfAbsent(new Key(quarter, agent), k -> zero());
    }

    private static long[] hourRow(Map<Key, long[]> delta, long quarter, String agent) {
        return delta.computeIfAbsent(new Key(hour(quarter), agent, true), k -> zero());
    }

    /** Adds {@code v} to a column of the quarter's row and of its hour's. */
    private static void both(Map<Key, long[]> delta, long quarter, String agent, int column, long v) {
        row(delta, quarter, agent)[column] += v;
        hourRow(delta, quarter, agent)[column] += v;
    }

    private static Instant quarterStart(long q) {
        return Instant.ofEpochSecond(q * QUARTER_S);
    }

    /** Whether an event is on an agent's timeline (the AGENT_* events). */
    static boolean timeline(Stored e) {
        return e.agent() != null && e.type().startsWith("AGENT_");
    }

    /** The state an agent event puts the agent in (null: none counted, as for a sign-out). */
    static String state(Stored e) {
        return "AGENT_SIGNED_OUT".equals(e.type()) ? null : e.detail();
    }

    /**
     * The contributions of event {@code i} of an agent's timeline (in time and table order), with sign: its presence
     * and state pieces (to the next event), and the call it ends the talk of when it is ON_CALL's next.
     */
    static void event(List<Stored> line, int i, Map<Key, long[]> delta, int sign) {
        Stored e = line.get(i);
        String state = state(e);
        if (state == null) {
            return;
        }
        String agent = e.agent();
        both(delta, JournalSummary.quarter(e.at()), agent, PRESENT, sign);
        if (i + 1 >= line.size()) {
            return;
        }
        Stored next = line.get(i + 1);
        pieces(agent, state, e.at(), next.at(), delta, sign, true);
        if ("ON_CALL".equals(state)) {
            long q = JournalSummary.quarter(next.at());
            both(delta, q, agent, HANDLED, sign);
            both(delta, q, agent, TALK, sign * Duration.between(e.at(), next.at()).toMillis());
            both(delta, q, agent, WRAP, sign * wrap(line, i));
            both(delta, q, agent, PRESENT, sign);
        }
    }

    /** The wrap-up of the call whose talk is event {@code i}: a WRAP_UP right after it, to the event after (or 0). */
    static long wrap(List<Stored> line, int i) {
        if (i + 2 < line.size() && "WRAP_UP".equals(line.get(i + 1).detail())) {
            return Math.max(0, Duration.between(line.get(i + 1).at(), line.get(i + 2).at()).toMillis());
        }
        return 0;
    }

    /**
     * A state from {@code s} to {@code e} cut at quarter edges into the rows, each piece rounded down to the
     * millisecond; with {@code summary} (the summaries' rows, not a report's corrections), the hours' rows too and what
     * the pieces lost to rounding against the whole: on the first quarter's row, and on the first hour's row when the
     * state runs over its end edge (else given back in the hour's state column).
     */
    static void pieces(String agent, String state, Instant s, Instant e, Map<Key, long[]> delta, int sign, boolean summary) {
        if (!s.isBefore(e)) {
            return;
        }
        int col = column(state);
        long q1 = JournalSummary.quarter(s);
        long sum = 0;
        Instant at = s;
        while (at.isBefore(e)) {
            long q = JournalSummary.quarter(at);
            Instant edge = quarterStart(q + 1);
            Instant stop = edge.isBefore(e) ? edge : e;
            long ms = Duration.between(at, stop).toMillis();
            if (summary) {
                both(delta, q, agent, col, sign * ms);
                both(delta, q, agent, PRESENT, sign);
            } else {
                long[] r = row(delta, q, agent);
                r[col] += sign * ms;
                r[PRESENT] += sign;
            }
            sum += ms;
            at = stop;
        }
        long lost = Duration.between(s, e).toMillis() - sum;
        if (summary && lost != 0) {
            long qe = JournalSummary.quarter(e);
            long[] r = row(delta, q1, agent);
            r[CROSS_QUARTER] += sign * qe;
            r[CROSS_STATE] += (long) sign * col;
            r[CROSS_MS] += sign * lost;
            long[] h = hourRow(delta, q1, agent);
            if (hour(qe) == hour(q1)) {
                h[col] += sign * lost;
            } else {
                h[CROSS_QUARTER] += sign * qe;
                h[CROSS_STATE] += (long) sign * col;
                h[CROSS_MS] += sign * lost;
            }
        }
    }

    /** A ring-no-answer, a survey or an unhold of an agent (the events that count on their own, not on the timeline). */
    static void call(Stored e, Map<Key, long[]> delta) {
        if (e.agent() == null) {
            return;
        }
        long q = JournalSummary.quarter(e.at());
        switch (e.type()) {
            case "CALL_RING_NO_ANSWER" -> both(delta, q, e.agent(), RNA, 1);
            case "CALL_SURVEYED" -> {
                both(delta, q, e.agent(), SURVEYS, 1);
                both(delta, q, e.agent(), SATISFIED, "4".equals(e.detail()) || "5".equals(e.detail()) ? 1 : 0);
            }
            case "CALL_UNHOLD" -> both(delta, q, e.agent(), HOLD, Math.max(0, e.durationMs()));
            default -> {
                return;
            }
        }
        both(delta, q, e.agent(), PRESENT, 1);
    }

    /**
     * Adds the deltas to their rows, the quarters' then the hours', each in key order (two writers never wait for each
     * other in a circle).
     */
    static void apply(Connection c, Map<Key, long[]> delta) throws SQLException {
        Map<Key, long[]> quarters = new TreeMap<>();
        Map<Key, long[]> hours = new TreeMap<>();
        delta.forEach((k, v) -> (k.hour() ? hours : quarters).put(k, v));
        apply(c, TABLE, quarters);
        apply(c, HOURS, hours);
    }

    private static void apply(Connection c, String table, Map<Key, long[]> delta) throws SQLException {
        StringBuilder update = new StringBuilder("update " + table + " set ");
        for (int i = 0; i < SUMS.length; i++) {
            update.append(i == 0 ? "" : ", ").append(SUMS[i]).append(" = ").append(SUMS[i]).append(" + ?");
        }
        update.append(" where quarter = ? and agent_id = ?");
        String insert = "insert into " + table + " (quarter, agent_id, " + String.join(", ", SUMS) + ") values ("
                + "?, ".repeat(SUMS.length + 1) + "?) on conflict do nothing";
        QuarterRows.apply(c, delta, table + " row", update.toString(), AgentSummary::bind, insert, (in, k, s) -> {
            in.setLong(1, k.quarter());
            in.setString(2, k.agent());
            for (int i = 0; i < s.length; i++) {
                in.setLong(3 + i, s[i]);
            }
        });
    }

    private static void bind(PreparedStatement up, Key k, long[] s) throws SQLException {
        int i = 1;
        for (long v : s) {
            up.setLong(i++, v);
        }
        up.setLong(i++, k.quarter());
        up.setString(i, k.agent());
    }

    /** The rows of quarters {@code [from, to)} (quarter numbers), of one agent or (null) every agent. */
    static Map<Key, long[]> rows(Connection c, long from, long to, String agent) throws SQLException {
        return rows(c, TABLE, from, to, agent);
    }

    /**
     * The rows of one table ({@link #TABLE}, or {@link #HOURS}: keyed by the hour's first quarter) whose quarter lies in
     * {@code [from, to)} (quarter numbers), of one agent or (null) every agent.
     */
    static Map<Key, long[]> rows(Connection c, String table, long from, long to, String agent) throws SQLException {
        Map<Key, long[]> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select quarter, agent_id, " + String.join(", ", SUMS) + " from "
                + table + " where quarter >= ? and quarter < ?" + (agent == null ? "" : " and agent_id = ?"))) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            if (agent != null) {
                ps.setString(3, agent);
            }
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] s = zero();
                    for (int i = 0; i < s.length; i++) {
                        s[i] = rs.getLong(3 + i);
                    }
                    out.put(new Key(rs.getLong(1), rs.getString(2)), s);
                }
            }
        }
        return out;
    }

    /**
     * Empties the agent summary (quarters and, once V166 made it, hours) and sums it again from every event: each
     * agent's timeline read in order (one agent at a time), by the same contributions the writer adds. The migrations'
     * back-fills (V156, V167) and {@link JournalSummary#rebuild}; in the caller's transaction. Writes the columns the
     * tables have: V156 runs it before V159 adds {@code hold_ms} (no event of a journal that old has a hold to count).
     */
    public static void rebuild(Connection c) throws SQLException {
        List<Table> tables = new ArrayList<>();
        tables.add(table(c, TABLE, false));
        if (exists(c, HOURS)) {
            tables.add(table(c, HOURS, true));
        }
        rebuild(c, tables);
    }

    /** Empties the per-hour agent summary and sums it again from every event (V167's back-fill; the quarters kept). */
    public static void rebuildHours(Connection c) throws SQLException {
        rebuild(c, List.of(table(c, HOURS, true)));
    }

    /** A summary table and the indexes of {@link #SUMS} it has columns for. */
    private record Table(String name, boolean hours, List<Integer> columns) {
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from information_schema.tables"
                + " where lower(table_name) = ? and lower(table_schema) = lower(current_schema)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    private static Table table(Connection c, String name, boolean hours) throws SQLException {
        List<Integer> columns = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            st.executeUpdate("delete from " + name);
            try (ResultSet rs = st.executeQuery("select * from " + name + " where 1 = 0")) {
                java.sql.ResultSetMetaData md = rs.getMetaData();
                List<String> names = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    names.add(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
                }
                for (int i = 0; i < SUMS.length; i++) {
                    if (names.contains(SUMS[i])) {
                        columns.add(i);
                    }
                }
            }
        }
        return new Table(name, hours, columns);
    }

    private static void rebuild(Connection c, List<Table> tables) throws SQLException {
        String sql = "select " + JournalSummary.EVENT_COLUMNS + " from journal_events where agent_id is not null"
                + " and (event_type like 'AGENT%' or event_type in ('CALL_RING_NO_ANSWER', 'CALL_SURVEYED', 'CALL_UNHOLD'))"
                + " order by agent_id, occurred_at, seq";
        List<Stored> line = new ArrayList<>();
        Map<Key, long[]> sums = new TreeMap<>();
        EventRuns.each(c, sql, "agent_id", JournalSummary::stored, events -> {
            for (Stored e : events) {
                if (timeline(e)) {
                    line.add(e);
                } else {
                    call(e, sums);
                }
            }
            flush(c, line, sums, tables);
        });
    }

    private static void flush(Connection c, List<Stored> line, Map<Key, long[]> sums, List<Table> tables)
            throws SQLException {
        for (int i = 0; i < line.size(); i++) {
            event(line, i, sums, 1);
        }
        for (Table t : tables) {
            List<Map.Entry<Key, long[]>> rows = sums.entrySet().stream().filter(d -> d.getKey().hour() == t.hours())
                    .filter(d -> Arrays.stream(d.getValue()).anyMatch(v -> v != 0)).toList();
            if (rows.isEmpty()) {
                continue;
            }
            List<Integer> columns = t.columns();
            String names = String.join(", ", columns.stream().map(i -> SUMS[i]).toList());
            try (PreparedStatement in = c.prepareStatement("insert into " + t.name() + " (quarter, agent_id, "
                    + names + ") values (" + "?, ".repeat(columns.size() + 1) + "?)")) {
                int n = 0;
                for (Map.Entry<Key, long[]> r : rows) {
                    in.setLong(1, r.getKey().quarter());
                    in.setString(2, r.getKey().agent());
                    for (int i = 0; i < SUMS.length; i++) {
                        int at = columns.indexOf(i);
                        if (at >= 0) {
                            in.setLong(3 + at, r.getValue()[i]);
                        } else if (r.getValue()[i] != 0) {
                            throw new SQLException(t.name() + " row " + r.getKey() + " has " + SUMS[i]
                                    + " but the table has no such column yet");
                        }
                    }
                    in.addBatch();
                    if (++n % 1000 == 0) {
                        in.executeBatch();
                    }
                }
                in.executeBatch();
            }
        }
        line.clear();
        sums.clear();
    }
}
