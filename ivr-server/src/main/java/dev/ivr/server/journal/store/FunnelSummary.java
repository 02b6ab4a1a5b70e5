package dev.ivr.server.journal.store;

import dev.ivr.server.db.Dialect;
import dev.ivr.server.journal.JournalEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The drop-off funnel's figures summed ahead of time (issue 20): table {@code journal_funnel_quarters} (migration V164;
 * V165 back-fills it with {@link #rebuild}), kept by the journal writer in the transaction that writes the events
 * ({@link JournalSummary#write}), for the events the database actually took. The funnel ({@link FlowReport#funnel},
 * the same definitions as {@link dev.ivr.server.journal.kpi.FlowFunnel} over the period's events) counts per flow the
 * calls whose first entry of the period (CALL_ENTERED naming a flow, not a resumption) names it, and per flow and node
 * the calls that reached the node (each once) and the hang-ups there (CALL_ENDED ABANDONED_IN_IVR), for the flow the
 * call entered in the period before the event, else the event's own.
 * <p>
 * What a call adds to the funnel of a period {@code [F, T)} (on quarter hours) depends on F only through which of the
 * call's funnel events lie at or after F: so per quarter in which the call has a funnel event (the quarter a period
 * may start in), the rows of a period starting in {@code (after_quarter, quarter]} ({@code after_quarter} the call's
 * previous such quarter, -1 for its first). Each row's {@code end_quarter} is the quarter of the event that makes it
 * (the entry, the first event that reached the node, the hang-up): a period ending at T counts it when
 * {@code end_quarter < T}. A period reads the rows with {@code after_quarter < F <= quarter} and {@code end_quarter < T}:
 * exactly what the funnel counts from the events, each call once per node.
 * <p>
 * The writer reads, per batch, the funnel events of the calls that have new ones there (by call id, one query per
 * 500 calls; on H2 not those of a call whose line the writer keeps, {@link CallLines}), takes the call's rows as they were without the batch's events and adds them as they are with them: a
 * replayed event (not new) changes nothing, a late one moves the call's rows. Two servers writing events of one call
 * in the same moment (a resumed call and the old server's outbox) take turns on PostgreSQL ({@link #lockCalls}), so
 * the second sees the first's events and neither misses the other's. The steps' order ({@code first_at}, {@code first_seq}) is kept as
 * the least of what was added.
 */
public final class FunnelSummary {
    static final String TABLE = "journal_funnel_quarters";
    /** The node of a flow's row of entered calls. */
    static final String FLOW_ROW = "";
    static final String HUNG_UP = "ABANDONED_IN_IVR";
    private static final String TYPES = "('CALL_ENTERED', 'CALL_NODE', 'CALL_ENDED')";
    static final int ENTERED = 0;
    static final int REACHED = 1;
    static final int HUNG = 2;
    static final int FIRST_AT = 3;
    static final int FIRST_SEQ = 4;
    static final long NONE = Long.MAX_VALUE;
    /** {@code after_quarter} of a call's first quarter: any period start. */
    static final long FIRST = -1;

    private FunnelSummary() {
    }

    /** A row's key: the quarter a period starts in at the latest, flow, node, the event's quarter, the one before. */
    record Key(long quarter, String flow, String node, long end, long after) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(quarter, o.quarter);
            if (c == 0) {
                c = flow.compareTo(o.flow);
            }
            if (c == 0) {
                c = node.compareTo(o.node);
            }
            if (c == 0) {
                c = Long.compare(end, o.end);
            }
            return c != 0 ? c : Long.compare(after, o.after);
        }
    }

    /** A funnel event of a call, as the table has it. */
    record Ev(long seq, String id, Instant at, String type, String flow, String node, String detail) {
    }

    /** Whether an event is one the funnel reads (the writer then reads its call's funnel events). */
    static boolean counts(JournalEvent e) {
        if (e.callId() == null) {
            return false;
        }
        return switch (e.type()) {
            case CALL_ENTERED -> e.flow() != null && !"resumed".equals(e.detail());
            case CALL_NODE -> e.node() != null;
            case CALL_ENDED -> e.node() != null && HUNG_UP.equals(e.detail());
            default -> false;
        };
    }

    private static boolean entry(Ev e) {
        return "CALL_ENTERED".equals(e.type()) && e.flow() != null && !"resumed".equals(e.detail());
    }

    private static boolean relevant(Ev e) {
        return entry(e) || "CALL_NODE".equals(e.type()) && e.node() != null
                || "CALL_ENDED".equals(e.type()) && e.node() != null && HUNG_UP.equals(e.detail());
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }

    private static long[] zero() {
        return new long[] {0, 0, 0, NONE, NONE};
    }

    /**
     * What one call adds ({@code line}: its events in time and table order; others than funnel events are skipped):
     * per quarter of its funnel events, the funnel of its events from that quarter on, as
     * {@link dev.ivr.server.journal.kpi.FlowFunnel#of} counts them.
     */
    static void call(List<Ev> line, Map<Key, long[]> out) {
        TreeSet<Long> quarters = new TreeSet<>();
        for (Ev e : line) {
            if (relevant(e)) {
                quarters.add(JournalSummary.quarter(e.at()));
            }
        }
        long after = FIRST;
        for (long q : quarters) {
            String entered = null;
            Map<List<String>, Ev> first = new LinkedHashMap<>();
            for (Ev e : line) {
                long eq = JournalSummary.quarter(e.at());
                if (eq < q || !relevant(e)) {
                    continue;
                }
                if (entry(e)) {
                    if (entered == null) {
                        entered = e.flow();
                        out.computeIfAbsent(new Key(q, e.flow(), FLOW_ROW, eq, after), k -> zero())[ENTERED]++;
                    }
                    continue;
                }
                String flow = entered != null ? entered : e.flow();
                if (flow == null) {
                    continue;
                }
                if ("CALL_NODE".equals(e.type())) {
                    first.putIfAbsent(List.of(flow, e.node()), e);
                } else {
                    out.computeIfAbsent(new Key(q, flow, e.node(), eq, after), k -> zero())[HUNG]++;
                }
            }
            for (Map.Entry<List<String>, Ev> f : first.entrySet()) {
                Ev e = f.getValue();
                long[] v = out.computeIfAbsent(new Key(q, f.getKey().get(0), f.getKey().get(1),
                        JournalSummary.quarter(e.at()), after), k -> zero());
                v[REACHED]++;
                least(v, micros(e.at()), e.seq());
            }
            after = q;
        }
    }

    private static void least(long[] v, long at, long seq) {
        if (at < v[FIRST_AT] || at == v[FIRST_AT] && seq < v[FIRST_SEQ]) {
            v[FIRST_AT] = at;
            v[FIRST_SEQ] = seq;
        }
    }

    /**
     * Adds what the batch's new funnel events ({@link #counts}; already inserted in this transaction) change: per call
     * with new events, its rows with them less its rows without them. {@code dialect}: {@code c}'s database.
     */
    static void write(Connection c, Dialect dialect, Collection<JournalEvent> fresh) throws SQLException {
        write(c, dialect, fresh, null);
    }

    /**
     * {@link #write(Connection, Dialect, Collection)}, a call's funnel events taken from {@code kept} where it has the
     * call's line ({@link CallLines}), else read from the database; a call whose entry (CALL_ENTERED naming a flow,
     * not a resumption) is among the batch's events gets its line made from that read.
     */
    static void write(Connection c, Dialect dialect, Collection<JournalEvent> fresh, CallLines kept) throws SQLException {
        Set<String> calls = new TreeSet<>();
        Set<String> ids = new HashSet<>();
        Set<String> entered = new HashSet<>();
        for (JournalEvent e : fresh) {
            String call = JdbcJournal.cut(e.callId(), 128);
            calls.add(call);
            ids.add(JdbcJournal.cut(e.id(), 40));
            if (e.type() == JournalEvent.Type.CALL_ENTERED) {
                entered.add(call);
            }
        }
        if (calls.isEmpty()) {
            return;
        }
        lockCalls(c, dialect, calls);
        Map<Key, long[]> delta = new TreeMap<>();
        List<String> read = new ArrayList<>();
        for (String call : calls) {
            List<Ev> line = kept == null ? null : kept.funnel(call, true);
            if (line == null) {
                read.add(call);
                continue;
            }
            Map<Key, long[]> now = new HashMap<>();
            Map<Key, long[]> before = new HashMap<>();
            call(line, now);
            call(kept.funnel(call, false), before);
            diff(now, before, delta);
        }
        lines(c, read).forEach((call, line) -> {
            Map<Key, long[]> now = new HashMap<>();
            Map<Key, long[]> before = new HashMap<>();
            call(line, now);
            call(line.stream().filter(e -> !ids.contains(e.id())).toList(), before);
            diff(now, before, delta);
            if (kept != null && entered.contains(call)) {
                kept.seed(call, line);
            }
        });
        apply(c, delta);
    }

    /**
     * On PostgreSQL, takes a transaction-scoped advisory lock per call (a 64-bit hash of its id, {@link #lockKey}; in
     * the keys' order, so two writers never wait for each other in a circle): two servers writing events of one call at
     * once (a resumed call and the old server's outbox) take turns, and the second, its events already inserted, reads
     * the first's once it committed (read committed: each statement sees what was committed before it began). The
     * locks are released at commit or rollback; no table holds them. A hash shared by two calls only makes them take
     * turns. H2 is an embedded database written by one server process: nothing to take turns with.
     */
    static void lockCalls(Connection c, Dialect dialect, Collection<String> calls) throws SQLException {
        if (dialect != Dialect.POSTGRESQL) {
            return;
        }
        long[] keys = calls.stream().mapToLong(FunnelSummary::lockKey).sorted().distinct().toArray();
        Long[] boxed = java.util.Arrays.stream(keys).boxed().toArray(Long[]::new);
        // a function scan returns the array's elements in order, each locked as its row is produced
        try (PreparedStatement ps = c.prepareStatement("select count(pg_advisory_xact_lock(k)) from unnest(?) as t(k)")) {
            ps.setArray(1, c.createArrayOf("bigint", boxed));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
    }

    /** A call's advisory lock: the first 8 bytes of the SHA-256 of "journal funnel " and its id (UTF-8). */
    static long lockKey(String call) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("journal funnel " + call).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(h).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** {@code now - before} into {@code delta}: the counts' differences, and the first reach where it changed. */
    static void diff(Map<Key, long[]> now, Map<Key, long[]> before, Map<Key, long[]> delta) {
        Set<Key> keys = new HashSet<>(now.keySet());
        keys.addAll(before.keySet());
        for (Key k : keys) {
            long[] n = now.getOrDefault(k, zero());
            long[] b = before.getOrDefault(k, zero());
            long[] d = zero();
            boolean change = false;
            for (int i = ENTERED; i <= HUNG; i++) {
                d[i] = n[i] - b[i];
                change |= d[i] != 0;
            }
            if (n[REACHED] > 0 && (n[FIRST_AT] != b[FIRST_AT] || n[FIRST_SEQ] != b[FIRST_SEQ])) {
                d[FIRST_AT] = n[FIRST_AT];
                d[FIRST_SEQ] = n[FIRST_SEQ];
                change = true;
            }
            if (change) {
                long[] t = delta.computeIfAbsent(k, x -> zero());
                for (int i = ENTERED; i <= HUNG; i++) {
                    t[i] += d[i];
                }
                least(t, d[FIRST_AT], d[FIRST_SEQ]);
            }
        }
    }

    /**
     * The funnel events of these calls, each call's in time and table order, read by call id {@link PaddedIn#MAX} at a time. The type
     * test inside a CASE, as {@link JournalSummary#AGENT_ONLY}: both databases then take the call index. The two
     * tables (V171) each by its own statement and call index (not the view: H2 runs a view's union once per call id;
     * not one union either: H2 parses a union anew each time, it caches only a plain select's parse), each with an
     * {@code in} list of one of {@link PaddedIn}'s lengths (a few statement texts, each parsed once per connection);
     * then each call's rows in time and table order ({@code seq}, one sequence for both tables), as the union's
     * {@code order by} gave them.
     */
    static Map<String, List<Ev>> lines(Connection c, Collection<String> calls) throws SQLException {
        Map<String, List<Ev>> out = new TreeMap<>();
        for (PaddedIn.Part part : PaddedIn.parts(calls)) {
            PaddedIn.readByCall(c, "select call_id, seq, event_id, occurred_at, event_type, flow, flow_node, detail"
                    + " from journal_events"
                    + " where call_id in (" + part.marks() + ") and (case when event_type in " + TYPES
                    + " then 1 else 0 end) = 1", part, out, FunnelSummary::ev);
            PaddedIn.readByCall(c, "select call_id, seq, event_id, occurred_at, 'CALL_NODE', flow, flow_node, null"
                    + " from journal_nodes"
                    + " where call_id in (" + part.marks() + ")", part, out, FunnelSummary::ev);
        }
        for (List<Ev> line : out.values()) {
            line.sort(IN_ORDER);
        }
        return out;
    }

    /** A call's events in time, then table order. */
    private static final Comparator<Ev> IN_ORDER = Comparator.comparing(Ev::at).thenComparingLong(Ev::seq);

    private static Ev ev(ResultSet rs) throws SQLException {
        return new Ev(rs.getLong(2), rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8));
    }

    private static final String FIRST_IF = "case when ? < first_at or ? = first_at and ? < first_seq then ? else %s end";

    /** Adds the deltas to their rows, in key order (two writers never wait for each other in a circle). */
    static void apply(Connection c, Map<Key, long[]> delta) throws SQLException {
        QuarterRows.apply(c, delta, "funnel summary row", "update " + TABLE + " set entered = entered + ?,"
                + " reached = reached + ?, hung_up = hung_up + ?, first_at = " + FIRST_IF.formatted("first_at")
                + ", first_seq = " + FIRST_IF.formatted("first_seq")
                + " where quarter = ? and flow = ? and node = ? and end_quarter = ? and after_quarter = ?",
                (up, k, s) -> {
                    up.setLong(1, s[ENTERED]);
                    up.setLong(2, s[REACHED]);
                    up.setLong(3, s[HUNG]);
                    int i = 4;
                    for (int col = FIRST_AT; col <= FIRST_SEQ; col++) {
                        up.setLong(i++, s[FIRST_AT]);
                        up.setLong(i++, s[FIRST_AT]);
                        up.setLong(i++, s[FIRST_SEQ]);
                        up.setLong(i++, s[col]);
                    }
                    bindKey(up, i, k);
                }, "insert into " + TABLE + " (quarter, flow, node, end_quarter, after_quarter, entered, reached,"
                        + " hung_up, first_at, first_seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
                (in, k, s) -> {
                    bindKey(in, 1, k);
                    bindSums(in, 6, s);
                });
    }

    private static void bindKey(PreparedStatement ps, int at, Key k) throws SQLException {
        ps.setLong(at, k.quarter());
        ps.setString(at + 1, k.flow());
        ps.setString(at + 2, k.node());
        ps.setLong(at + 3, k.end());
        ps.setLong(at + 4, k.after());
    }

    private static void bindSums(PreparedStatement ps, int at, long[] s) throws SQLException {
        for (int i = 0; i < s.length; i++) {
            ps.setLong(at + i, s[i]);
        }
    }

    /** One node's line of the funnel: {reached, hung up, first reached (epoch micros), its seq}. */
    record Step(String node, long reached, long hungUp, long firstAt, long firstSeq) {
    }

    /** A flow's part of the funnel: the calls that entered it, its nodes reached (in no particular order). */
    record Flow(long entered, List<Step> steps) {
    }

    /**
     * The funnel of the period of quarters {@code [from, to)} per flow ({@code flow} null for every flow): the flows
     * calls entered, each with its nodes reached; summed by the database.
     */
    static Map<String, Flow> sums(Connection c, long from, long to, String flow) throws SQLException {
        Map<String, long[]> entered = new TreeMap<>();
        Map<String, List<Step>> steps = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select flow, node, sum(entered), sum(reached), sum(hung_up),"
                + " min(case when reached > 0 then first_at end), min(case when reached > 0 then first_seq end) from "
                + TABLE + " where quarter >= ? and quarter < ? and after_quarter < ? and end_quarter < ?"
                + (flow == null ? "" : " and flow = ?") + " group by flow, node")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            ps.setLong(3, from);
            ps.setLong(4, to);
            if (flow != null) {
                ps.setString(5, flow);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String f = rs.getString(1);
                    String node = rs.getString(2);
                    if (FLOW_ROW.equals(node)) {
                        entered.computeIfAbsent(f, k -> new long[1])[0] += rs.getLong(3);
                    } else if (rs.getLong(4) > 0) {
                        steps.computeIfAbsent(f, k -> new ArrayList<>()).add(new Step(node, rs.getLong(4), rs.getLong(5),
                                rs.getLong(6), rs.getLong(7)));
                    }
                }
            }
        }
        Map<String, Flow> out = new TreeMap<>();
        entered.forEach((f, n) -> {
            if (n[0] > 0) {
                out.put(f, new Flow(n[0], steps.getOrDefault(f, List.of())));
            }
        });
        return out;
    }

    /** Every row, in key order (tests compare the writer's rows with the rebuilt ones). */
    static Map<Key, long[]> rows(Connection c) throws SQLException {
        Map<Key, long[]> out = new TreeMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select quarter, flow, node, end_quarter,"
                + " after_quarter, entered, reached, hung_up, first_at, first_seq from " + TABLE)) {
            while (rs.next()) {
                long[] v = zero();
                for (int i = 0; i < v.length; i++) {
                    v[i] = rs.getLong(6 + i);
                }
                out.put(new Key(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)), v);
            }
        }
        return out;
    }

    /**
     * Empties the funnel summary and sums it again from every event: the calls' funnel events read in call order (one
     * call at a time), by the same contributions the writer adds. The migration's back-fill (V165) and
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
        Map<Key, long[]> sums = new HashMap<>();
        EventRuns.each(c, "select call_id, seq, event_id, occurred_at, event_type, flow, flow_node, detail"
                        + " from " + events + " where call_id is not null and event_type in " + TYPES
                        + " order by call_id, occurred_at, seq", "call_id", FunnelSummary::ev, line -> add(line, sums));
        try (PreparedStatement in = c.prepareStatement("insert into " + TABLE + " (quarter, flow, node, end_quarter,"
                + " after_quarter, entered, reached, hung_up, first_at, first_seq) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (Map.Entry<Key, long[]> r : new TreeMap<>(sums).entrySet()) {
                bindKey(in, 1, r.getKey());
                bindSums(in, 6, r.getValue());
                in.addBatch();
                if (++n % 1000 == 0) {
                    in.executeBatch();
                }
            }
            in.executeBatch();
        }
    }

    /** One call's rows added to the sums. */
    private static void add(List<Ev> line, Map<Key, long[]> sums) {
        if (line.isEmpty()) {
            return;
        }
        Map<Key, long[]> one = new HashMap<>();
        call(line, one);
        one.forEach((k, v) -> {
            long[] t = sums.computeIfAbsent(k, x -> zero());
            for (int i = ENTERED; i <= HUNG; i++) {
                t[i] += v[i];
            }
            least(t, v[FIRST_AT], v[FIRST_SEQ]);
        });
    }
}
