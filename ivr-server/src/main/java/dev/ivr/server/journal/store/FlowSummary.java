package dev.ivr.server.journal.store;

import dev.ivr.server.journal.JournalEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The flow report's figures summed ahead of time (issue 20): table {@code journal_flow_quarters} (migration V160;
 * V161 back-fills it with {@link #rebuild}), kept by the journal writer in the transaction that writes the events
 * ({@link JournalSummary#write}), for the events the database actually took. The flow report ({@link FlowReport})
 * counts a call in the interval of its first flow event (CALL_ENTERED, CALL_NODE, CALL_ENDED) inside the period:
 * calls that entered the flow, and the self-served ends, for the flow the call entered in the period or else the
 * flow the end names. A row ({@code quarter, flow, end_quarter, after_quarter}) holds:
 * <ul>
 *   <li>{@code entered}: the calls whose CALL_ENTERED (naming a flow, not a resumption) is in the quarter (then
 *       {@code end_quarter = quarter}, {@code after_quarter = -1});</li>
 *   <li>{@code served}: self-served ends (in {@code end_quarter}) that count in {@code quarter} for a period that
 *       starts after quarter {@code after_quarter} (and at or before {@code quarter}): per quarter in which the call
 *       has a flow event, one row whose {@code after_quarter} is the call's previous quarter with a flow event
 *       (-1 for its first). A period starting at quarter F and ending at quarter T reads the rows with
 *       {@code F <= quarter < T}, {@code after_quarter < F} and {@code end_quarter < T}: exactly one row per end
 *       that lies in the period, in the quarter of the call's first flow event in the period. The row's flow is the
 *       one the call entered in those quarters (or later), else the one its end names.</li>
 * </ul>
 * The writer reads, per batch, the flow events of the calls that a self-served end in the batch ends (by call id):
 * one query per batch; on H2 a call the writer keeps the line of ({@link CallLines}) is not read. A call's earlier flow event that arrives after its end (another server's outbox after an
 * outage) does not move the end's rows; {@link #rebuild} (and {@link JournalSummary#rebuild}) recounts them.
 */
public final class FlowSummary {
    static final String TABLE = "journal_flow_quarters";
    static final String SELF_SERVED = "SELF_SERVED";
    private static final String FLOW_TYPES = "('CALL_ENTERED', 'CALL_NODE', 'CALL_ENDED')";
    static final int ENTERED = 0;
    static final int SERVED = 1;
    /** {@code after_quarter} of a call's first quarter: any period start. */
    static final long FIRST = -1;

    private FlowSummary() {
    }

    /** A row's key: the quarter the figures count in, the flow, the end's quarter, the quarter before. */
    record Key(long quarter, String flow, long end, long after) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(quarter, o.quarter);
            if (c == 0) {
                c = flow.compareTo(o.flow);
            }
            if (c == 0) {
                c = Long.compare(end, o.end);
            }
            return c != 0 ? c : Long.compare(after, o.after);
        }
    }

    /** A flow event of a call as the summary needs it. */
    record Flowed(Instant at, String type, String flow, String detail) {
    }

    /** Whether an event changes this summary (a replayed one must then add nothing): an entry or a self-served end. */
    static boolean counts(JournalEvent e) {
        return e.callId() != null && (entry(e.type().name(), e.flow(), e.detail())
                || e.type() == JournalEvent.Type.CALL_ENDED && SELF_SERVED.equals(e.detail()));
    }

    private static boolean entry(String type, String flow, String detail) {
        return "CALL_ENTERED".equals(type) && flow != null && !"resumed".equals(detail);
    }

    /**
     * Adds the batch's new entries and self-served ends ({@link #counts}; the events already inserted in this
     * transaction) to the summary.
     */
    static void write(Connection c, Collection<JournalEvent> fresh) throws SQLException {
        write(c, fresh, null);
    }

    /**
     * {@link #write(Connection, Collection)}, a call's flow events taken from {@code kept} where it has the call's
     * line ({@link CallLines}), else read from the database.
     */
    static void write(Connection c, Collection<JournalEvent> fresh, CallLines kept) throws SQLException {
        Map<Key, long[]> delta = new TreeMap<>();
        Map<String, List<JournalEvent>> ends = new TreeMap<>();
        for (JournalEvent e : fresh) {
            if (!counts(e)) {
                continue;
            }
            if (e.type() == JournalEvent.Type.CALL_ENTERED) {
                long q = JournalSummary.quarter(e.at());
                add(delta, new Key(q, JdbcJournal.cut(e.flow(), 200), q, FIRST), ENTERED);
            } else {
                ends.computeIfAbsent(JdbcJournal.cut(e.callId(), 128), k -> new ArrayList<>()).add(e);
            }
        }
        if (!ends.isEmpty()) {
            Map<String, List<Flowed>> lines = new HashMap<>();
            List<String> read = new ArrayList<>();
            for (String call : ends.keySet()) {
                List<Flowed> line = kept == null ? null : kept.flow(call);
                if (line != null) {
                    lines.put(call, line);
                } else {
                    read.add(call);
                }
            }
            if (!read.isEmpty()) {
                lines.putAll(lines(c, read));
            }
            ends.forEach((call, list) -> list.forEach(e -> served(lines.getOrDefault(call, List.of()), e.at(),
                    JdbcJournal.cut(e.flow(), 200), delta)));
        }
        apply(c, delta);
    }

    /**
     * The flow events of these calls, each call's in time order, read by call id {@link PaddedIn#MAX} at a time. The
     * type test inside a CASE, as {@link JournalSummary#AGENT_ONLY}: both databases then take the call index. The two
     * tables (V171) each by its own statement and call index, with an {@code in} list of one of {@link PaddedIn}'s
     * lengths, as {@link FunnelSummary}'s lines (H2 parses a union anew at every batch; it keeps a plain select's
     * parse); then each call's rows in time and table order ({@code seq}: one sequence for both tables).
     */
    private static Map<String, List<Flowed>> lines(Connection c, Collection<String> calls) throws SQLException {
        Map<String, List<Numbered>> rows = new HashMap<>();
        for (PaddedIn.Part part : PaddedIn.parts(calls)) {
            PaddedIn.readByCall(c, "select call_id, occurred_at, event_type, flow, detail, seq from journal_events"
                    + " where call_id in (" + part.marks() + ") and (case when event_type in " + FLOW_TYPES
                    + " then 1 else 0 end) = 1", part, rows, FlowSummary::numbered);
            PaddedIn.readByCall(c, "select call_id, occurred_at, 'CALL_NODE', flow, null, seq from journal_nodes"
                    + " where call_id in (" + part.marks() + ")", part, rows, FlowSummary::numbered);
        }
        Map<String, List<Flowed>> out = new HashMap<>();
        rows.forEach((call, line) -> out.put(call, line.stream().sorted(IN_ORDER).map(Numbered::flowed).toList()));
        return out;
    }

    /** A row read with its number, to put the two tables' rows of a call in order. */
    private record Numbered(long seq, Flowed flowed) {
    }

    private static final Comparator<Numbered> IN_ORDER =
            Comparator.comparing((Numbered r) -> r.flowed().at()).thenComparingLong(Numbered::seq);

    private static Numbered numbered(ResultSet rs) throws SQLException {
        return new Numbered(rs.getLong(6), new Flowed(rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5)));
    }

    /**
     * The rows of one self-served end at {@code end} (its flow {@code endFlow}) of a call whose flow events are
     * {@code line} (in time order, the end among them): one per quarter up to the end's in which the call has a flow
     * event.
     */
    static void served(List<Flowed> line, Instant end, String endFlow, Map<Key, long[]> delta) {
        long endQ = JournalSummary.quarter(end);
        TreeSet<Long> quarters = new TreeSet<>();
        TreeMap<Long, String> entered = new TreeMap<>(); // quarter -> the least flow entered in it (as min(flow))
        for (Flowed f : line) {
            if (f.at().isAfter(end)) {
                continue;
            }
            long q = JournalSummary.quarter(f.at());
            quarters.add(q);
            if (entry(f.type(), f.flow(), f.detail())) {
                entered.merge(q, f.flow(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }
        quarters.add(endQ);
        long after = FIRST;
        for (long q : quarters) {
            // the flow entered in this quarter or later (up to the end), else the end's
            String flow = entered.tailMap(q, true).values().stream().min(String::compareTo).orElse(endFlow);
            if (flow != null) {
                add(delta, new Key(q, flow, endQ, after), SERVED);
            }
            after = q;
        }
    }

    private static void add(Map<Key, long[]> delta, Key k, int column) {
        delta.computeIfAbsent(k, x -> new long[2])[column]++;
    }

    /** Adds the deltas to their rows, in key order (two writers never wait for each other in a circle). */
    static void apply(Connection c, Map<Key, long[]> delta) throws SQLException {
        QuarterRows.apply(c, delta, "flow summary row", "update " + TABLE + " set entered = entered + ?,"
                + " served = served + ? where quarter = ? and flow = ? and end_quarter = ? and after_quarter = ?",
                (up, k, s) -> {
                    up.setLong(1, s[ENTERED]);
                    up.setLong(2, s[SERVED]);
                    bindKey(up, 3, k);
                }, "insert into " + TABLE + " (quarter, flow, end_quarter, after_quarter, entered, served)"
                        + " values (?, ?, ?, ?, ?, ?) on conflict do nothing", (in, k, s) -> {
                    bindKey(in, 1, k);
                    in.setLong(5, s[ENTERED]);
                    in.setLong(6, s[SERVED]);
                });
    }

    private static void bindKey(PreparedStatement ps, int at, Key k) throws SQLException {
        ps.setLong(at, k.quarter());
        ps.setString(at + 1, k.flow());
        ps.setLong(at + 2, k.end());
        ps.setLong(at + 3, k.after());
    }

    /**
     * Per quarter in {@code [from, to)} (quarter numbers) and flow: {entered, self-served} as the flow report counts
     * them for a period of exactly those quarters; {@code flow} null for every flow.
     */
    static Map<Long, Map<String, long[]>> sums(Connection c, long from, long to, String flow) throws SQLException {
        Map<Long, Map<String, long[]>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("select quarter, flow, sum(entered), sum(served) from " + TABLE
                + " where quarter >= ? and quarter < ? and after_quarter < ? and end_quarter < ?"
                + (flow == null ? "" : " and flow = ?") + " group by quarter, flow")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            ps.setLong(3, from);
            ps.setLong(4, to);
            if (flow != null) {
                ps.setString(5, flow);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] s = out.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new long[2]);
                    s[ENTERED] += rs.getLong(3);
                    s[SERVED] += rs.getLong(4);
                }
            }
        }
        return out;
    }

    /** Every row, in key order (tests compare the writer's rows with the rebuilt ones). */
    static Map<Key, long[]> rows(Connection c) throws SQLException {
        Map<Key, long[]> out = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select quarter, flow, end_quarter,"
                + " after_quarter, entered, served from " + TABLE)) {
            while (rs.next()) {
                out.put(new Key(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)),
                        new long[] {rs.getLong(5), rs.getLong(6)});
            }
        }
        return out;
    }

    /**
     * Empties the flow summary and sums it again from every event: the calls' flow events read in call order (one
     * call at a time), by the same contributions the writer adds. The migration's back-fill (V161) and
     * {@link JournalSummary#rebuild}; in the caller's transaction.
     */
    public static void rebuild(Connection c) throws SQLException {
        rebuild(c, "journal_all");
    }

    /**
     * {@link #rebuild(Connection)} from the events of {@code events}: {@code journal_all} (V171: the node events of
     * {@code journal_nodes} too), or {@code journal_events} for the migration's back-fill, which runs before V171.
     */
    public static void rebuild(Connection c, String events) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("delete from " + TABLE);
        }
        Map<Key, long[]> sums = new TreeMap<>();
        EventRuns.each(c, "select call_id, occurred_at, event_type, flow, detail from " + events
                        + " where call_id is not null and event_type in " + FLOW_TYPES + " order by call_id, occurred_at, seq",
                "call_id", rs -> new Flowed(rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5)), line -> call(line, sums));
        List<Map.Entry<Key, long[]>> rows = sums.entrySet().stream()
                .filter(d -> Arrays.stream(d.getValue()).anyMatch(v -> v != 0)).toList();
        try (PreparedStatement in = c.prepareStatement("insert into " + TABLE + " (quarter, flow, end_quarter,"
                + " after_quarter, entered, served) values (?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (Map.Entry<Key, long[]> r : rows) {
                bindKey(in, 1, r.getKey());
                in.setLong(5, r.getValue()[ENTERED]);
                in.setLong(6, r.getValue()[SERVED]);
                in.addBatch();
                if (++n % 1000 == 0) {
                    in.executeBatch();
                }
            }
            in.executeBatch();
        }
    }

    /** One call's entries and self-served ends. */
    private static void call(List<Flowed> line, Map<Key, long[]> sums) {
        for (Flowed f : line) {
            if (entry(f.type(), f.flow(), f.detail())) {
                long q = JournalSummary.quarter(f.at());
                add(sums, new Key(q, f.flow(), q, FIRST), ENTERED);
            } else if ("CALL_ENDED".equals(f.type()) && SELF_SERVED.equals(f.detail())) {
                served(line, f.at(), f.flow(), sums);
            }
        }
    }
}
