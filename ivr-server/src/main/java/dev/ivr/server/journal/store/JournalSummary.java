package dev.ivr.server.journal.store;

import dev.ivr.server.db.Dialect;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.KpiRules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The queue report's figures summed ahead of time, per quarter hour (UTC) and queue: table
 * {@code journal_queue_quarters} (migration V135, which also back-fills it from the events already there). Kept by
 * the journal writer in the transaction that writes the events ({@link #write}), for the events the database
 * actually took (a replayed event adds nothing). The same figures as {@link QueueReport} sums from the events:
 * <ul>
 *     <li>call figures in the quarter of their event, for the event's queue or else the call's first queue;</li>
 *     <li>a handled call, its talk and wrap-up in the quarter its talk ended (the agent's event after ON_CALL); the
 *     wrap-up when the agent's event after the WRAP_UP is written (until then it counts 0: the report adds the
 *     open part up to its end);</li>
 *     <li>first-contact resolution: the identified customer's ended calls, and those the customer called again
 *     about within the window.</li>
 * </ul>
 * Events may arrive late and out of order (another server's outbox after an outage): the writer takes the
 * contributions of the neighbouring events as they were and adds them as they are now, and moves a call's figures to
 * its queue when the call's first queue arrives late. The counts that depend on settings (service level, short
 * abandons, FCR window) carry the settings they were made with; {@link #resum} recounts rows made with others.
 */
public final class JournalSummary {
    static final String TABLE = "journal_queue_quarters";
    static final long QUARTER_S = 900;
    private static final String MIGRATION = "/db/migration/V135__journal_summary.sql";
    private static final List<String> AGENT_TYPES = Arrays.stream(JournalEvent.Type.values())
            .filter(JournalEvent.Type::agentEvent).map(Enum::name).toList();
    private static final String AGENT_TYPES_SQL = AGENT_TYPES.stream().map(t -> "'" + t + "'")
            .collect(Collectors.joining(", ", "(", ")"));
    /**
     * An agent's own events. The type test inside a CASE: with {@code event_type in (...)} H2 took the
     * (event_type, occurred_at) index and walked every agent's events of those types for each agent
     * (docs/benchmarks.md, "the summary writer's agent window"); both databases take the agent index this way.
     */
    static final String AGENT_ONLY = "agent_id = ? and (case when event_type like 'AGENT%' then 1 else 0 end) = 1";
    static final String EVENT_COLUMNS = "seq, event_id, occurred_at, event_type, call_id, queue, agent_id,"
            + " duration_ms, detail, customer_id";
    private static final String[] SUMS = {"offered", "answered", "answered_in_time", "abandoned", "short_abandoned",
        "transferred", "callbacks", "answer_wait_ms", "total_wait_ms", "waits", "longest_wait_ms", "handled", "talk_ms",
        "wrap_ms", "surveys", "satisfied", "fcr_calls", "fcr_repeated"};
    static final int LONGEST = 10;

    private final Dialect dialect;
    private final KpiRules rules;
    private final Duration fcrWindow;
    private final boolean flows;
    private final boolean funnel;
    /** The open calls' flow events, kept by this writer (null: always read from the database); see {@link CallLines}. */
    private final CallLines lines;
    /** Whether the JDBC driver answers a batch insert row by row (null: not known yet; see {@link #write}). */
    private volatile Boolean driverCounts;

    /** How a batch's node events go into {@code journal_nodes}. */
    private enum NodeInsert {
        /** {@link JdbcJournal#INSERT_NODE}: events kept since V171, which only that table can have. */
        PLAIN(JdbcJournal.INSERT_NODE) {
            @Override
            void bind(PreparedStatement ps, JournalEvent e, long seq) throws SQLException {
                JdbcJournal.bindNode(ps, e, seq);
            }
        },
        /** {@link JdbcJournal#INSERT_NODE_GUARDED}: also refused when {@code journal_events} has the event. */
        GUARDED(JdbcJournal.INSERT_NODE_GUARDED) {
            @Override
            void bind(PreparedStatement ps, JournalEvent e, long seq) throws SQLException {
                JdbcJournal.bindGuardedNode(ps, e, seq);
            }
        };

        final String sql;

        NodeInsert(String sql) {
            this.sql = sql;
        }

        /** Binds {@link #sql}'s parameters for the node event {@code e} and its row's number. */
        abstract void bind(PreparedStatement ps, JournalEvent e, long seq) throws SQLException;
    }

    /**
     * @param dialect the database's ({@link dev.ivr.server.db.Database#dialect})
     * @param rules   the service-level and short-abandon rules the counts are made with; fcrWindow likewise
     */
    public JournalSummary(Dialect dialect, KpiRules rules, Duration fcrWindow) {
        this(dialect, rules, fcrWindow, true, true, null);
    }

    private JournalSummary(Dialect dialect, KpiRules rules, Duration fcrWindow, boolean flows, boolean funnel,
                           CallLines lines) {
        this.dialect = dialect;
        this.rules = rules;
        this.fcrWindow = fcrWindow;
        this.flows = flows;
        this.funnel = funnel;
        this.lines = lines;
    }

    /**
     * The same writer keeping the open calls' flow events in memory ({@link CallLines}) instead of reading them back
     * at each batch: for a database only this writer writes (the embedded H2), and a caller that says after each
     * batch whether it committed ({@link #committed}, {@link #rolledBack}).
     */
    JournalSummary withCallLines(CallLines lines) {
        return copy(rules, fcrWindow, lines);
    }

    /** This writer with other rules or lines; what it learned of the database (its driver's answer) goes with it. */
    private JournalSummary copy(KpiRules rules, Duration fcrWindow, CallLines lines) {
        JournalSummary other = new JournalSummary(dialect, rules, fcrWindow, flows, funnel, lines);
        other.driverCounts = driverCounts;
        return other;
    }

    /** The lines kept, or null. */
    CallLines callLines() {
        return lines;
    }

    /** The batch's transaction committed. */
    void committed() {
        if (lines != null) {
            lines.committed();
        }
    }

    /** The batch's transaction rolled back (or its outcome is not known): the lines it touched are dropped. */
    void rolledBack() {
        if (lines != null) {
            lines.rolledBack();
        }
    }

    /**
     * The same writer without the flow and funnel summaries: the journal write benchmark's "before" (what those
     * summaries cost a call); never used by the server, whose flow report and funnel need them.
     */
    JournalSummary withoutFlowSummary() {
        return new JournalSummary(dialect, rules, fcrWindow, false, false, lines);
    }

    /** The same writer without the funnel summary (the benchmark's "before" for the funnel summary alone); not the server's. */
    JournalSummary withoutFunnelSummary() {
        return new JournalSummary(dialect, rules, fcrWindow, flows, false, lines);
    }

    /**
     * A writer counting with other rules on the same database: what this one learned of the database (its driver's
     * answer to a batch) goes with it.
     */
    JournalSummary withRules(KpiRules rules, Duration fcrWindow) {
        return copy(rules, fcrWindow, lines);
    }

    /** The rules the counts are made with. */
    KpiRules rules() {
        return rules;
    }

    Duration fcrWindow() {
        return fcrWindow;
    }

    /** One event as the table has it. */
    record Stored(long seq, String id, Instant at, String type, String callId, String queue, String agent,
                  long durationMs, String detail, String customer) {
    }

    /** A quarter hour and queue ('' for none). */
    record Key(long quarter, String queue) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Long.compare(quarter, o.quarter);
            return c != 0 ? c : queue.compareTo(o.queue);
        }
    }

    /** One row's sums, in the order of the table's sum columns; index {@link #LONGEST} is a maximum. */
    static long[] zero() {
        return new long[SUMS.length];
    }

    static long quarter(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), QUARTER_S);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes the events the table does not have yet and adds them to the summary, in the caller's transaction. A
     * replayed event (its id is in the table) adds no row ({@code on conflict do nothing}) and, when it counts in the
     * summary ({@link #counts}), the flow summary ({@link FlowSummary#counts}) or the funnel summary
     * ({@link FunnelSummary#counts}: a call's entry, node events, hang-up in the IVR), nothing to them.
     *
     * <p>Which events are new is what the insert answers, row by row (1 inserted, 0 already there): no look-up before
     * it. A driver that does not say (PgJDBC's {@code reWriteBatchedInserts} answers {@code SUCCESS_NO_INFO}) gets the
     * look-up: the first batch is inserted after a savepoint, and when its answer is not row by row it is rolled back
     * to it and written again with the look-up first (the events that count looked up, the others written without a
     * look-up or a read-back), as every later batch of that driver. Until the driver is known, a connection in
     * auto-commit (no transaction to take a savepoint in; the journal writer's never is) gets the look-up too.
     *
     * <p>The batch may hold node events written before V171 (into {@code journal_events}, not {@code journal_nodes}):
     * each node event is looked up there too before it is added ({@link JdbcJournal#INSERT_NODE_GUARDED}). Once the
     * outbox it found at start is written, the journal writer uses {@link #writeAfterReplay} instead.
     */
    public void write(Connection c, List<JournalEvent> batch) throws SQLException {
        write(c, batch, NodeInsert.GUARDED);
    }

    /**
     * {@link #write} for a batch whose node events were kept since V171: they are added to {@code journal_nodes}
     * without the look-up in {@code journal_events} ({@link JdbcJournal#INSERT_NODE}).
     */
    public void writeAfterReplay(Connection c, List<JournalEvent> batch) throws SQLException {
        write(c, batch, NodeInsert.PLAIN);
    }

    private void write(Connection c, List<JournalEvent> batch, NodeInsert nodeInsert) throws SQLException {
        Map<String, JournalEvent> fresh = new LinkedHashMap<>();
        Set<String> counted = new HashSet<>();
        Set<String> flowCounted = new HashSet<>();
        Set<String> funnelCounted = new HashSet<>();
        for (JournalEvent e : batch) {
            String id = JdbcJournal.cut(e.id(), 40);
            if (fresh.putIfAbsent(id, e) == null) {
                if (counts(e)) {
                    counted.add(id);
                }
                if (flows && FlowSummary.counts(e)) {
                    flowCounted.add(id);
                }
                if (funnel && FunnelSummary.counts(e)) {
                    funnelCounted.add(id);
                }
            }
        }
        CallLines kept = lines;
        boolean numbered = false;
        List<JournalEvent> sent = null;
        if (kept != null) {
            kept.begin();
            for (JournalEvent e : fresh.values()) {
                if (CallLines.lineEvent(e) && kept.has(JdbcJournal.cut(e.callId(), 128))) {
                    numbered = true; // a kept line needs each row's number: taken first, as for node events
                    break;
                }
            }
            sent = numbered ? new ArrayList<>(fresh.values()) : null;
        }
        long[][] seqs = new long[1][];
        boolean answered = false;
        Boolean rowCounts = driverCounts;
        if (rowCounts == null && c.getAutoCommit()) { // no savepoint to take a try back to: the look-up, as before
            lookUpThenInsert(c, fresh, counted, flowCounted, funnelCounted, nodeInsert);
        } else if (rowCounts == null) { // not known yet for this driver: try, and take it back if the answer is not row by row
            Savepoint before = c.setSavepoint();
            int[] answer = insert(c, fresh.values(), nodeInsert, numbered, seqs);
            if (rowByRow(answer, fresh.size())) {
                driverCounts = true;
                c.releaseSavepoint(before);
                keepLines(kept, sent, answer, seqs[0]);
                answered = true;
                keepInserted(answer, fresh, counted, flowCounted, funnelCounted);
            } else {
                c.rollback(before);
                driverCounts = false;
                lookUpThenInsert(c, fresh, counted, flowCounted, funnelCounted, nodeInsert);
            }
        } else if (rowCounts) {
            int[] answer = insert(c, fresh.values(), nodeInsert, numbered, seqs);
            if (!rowByRow(answer, fresh.size())) { // the same data source cannot change its driver: never happens, and then loudly
                throw new SQLException("the driver stopped saying which journal events were inserted");
            }
            keepLines(kept, sent, answer, seqs[0]);
            answered = true;
            keepInserted(answer, fresh, counted, flowCounted, funnelCounted);
        } else {
            lookUpThenInsert(c, fresh, counted, flowCounted, funnelCounted, nodeInsert);
        }
        if (kept != null && !answered) { // which rows the database took is not known row by row: read them back
            for (JournalEvent e : batch) {
                if (CallLines.lineEvent(e)) {
                    kept.drop(JdbcJournal.cut(e.callId(), 128));
                }
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        if (!counted.isEmpty()) {
            added(c, counted, fresh);
        }
        if (!flowCounted.isEmpty()) {
            List<JournalEvent> flowEvents = new ArrayList<>();
            for (String id : flowCounted) {
                flowEvents.add(fresh.get(id));
            }
            FlowSummary.write(c, flowEvents, kept);
        }
        if (!funnelCounted.isEmpty()) {
            List<JournalEvent> funnelEvents = new ArrayList<>();
            for (String id : funnelCounted) {
                funnelEvents.add(fresh.get(id));
            }
            FunnelSummary.write(c, dialect, funnelEvents, kept);
        }
        if (kept != null) {
            for (JournalEvent e : fresh.values()) {
                if (e.type() == JournalEvent.Type.CALL_ENDED && e.callId() != null) {
                    kept.drop(JdbcJournal.cut(e.callId(), 128)); // the call ended: written and summarised
                }
            }
        }
    }

    /**
     * Adds to the kept lines the rows of {@code sent} (the events in the order inserted) the database took (answered
     * 1), each with its row number; without the numbers ({@code seqs} null: the batch had no line event of a kept
     * call when it was numbered) nothing is added, as nothing needs to be.
     */
    private static void keepLines(CallLines kept, List<JournalEvent> sent, int[] answer, long[] seqs) {
        if (kept == null || sent == null) {
            return;
        }
        for (int i = 0; i < sent.size(); i++) {
            JournalEvent e = sent.get(i);
            if (answer[i] == 1 && CallLines.lineEvent(e)) {
                if (seqs == null) {
                    kept.drop(JdbcJournal.cut(e.callId(), 128));
                } else {
                    kept.add(e, seqs[i]);
                }
            }
        }
    }

    /**
     * The events as rows ({@code on conflict do nothing}): a call's node events into {@code journal_nodes}, the others
     * into {@code journal_events} (V171), one batch each; the driver's answer per row, in the order of {@code events}.
     * With node events the rows' numbers are taken first ({@link JdbcJournal#seqs}) and given in the order of
     * {@code events}: both tables' rows numbered in the order the events happened and were kept, as one table's were
     * (the event stream, the readers' ties on time). So too when {@code numbered} (a kept call's line needs each
     * row's number, {@link CallLines}): the numbers come from the same sequence the column's default takes them from.
     * The numbers taken, if any, into {@code seqsOut[0]}.
     */
    private int[] insert(Connection c, Collection<JournalEvent> events, NodeInsert nodeInsert, boolean numbered,
                         long[][] seqsOut) throws SQLException {
        seqsOut[0] = null;
        if (events.isEmpty()) {
            return new int[0];
        }
        int nodes = 0;
        for (JournalEvent e : events) {
            if (JdbcJournal.node(e)) {
                nodes++;
            }
        }
        if (nodes == 0 && !numbered) {
            try (PreparedStatement ps = c.prepareStatement(JdbcJournal.INSERT)) {
                for (JournalEvent e : events) {
                    JdbcJournal.bind(ps, e);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        }
        long[] seqs = JdbcJournal.seqs(c, dialect, events.size());
        seqsOut[0] = seqs;
        int[] rows = nodes == events.size() ? new int[0] : insertOthers(c, events, seqs);
        int[] nodeRows = insertNodes(c, events, seqs, nodeInsert);
        if (rows.length != events.size() - nodes || nodeRows.length != nodes) { // not row by row: the caller looks
            return new int[0];
        }
        int[] answer = new int[events.size()];
        int i = 0;
        int r = 0;
        int n = 0;
        for (JournalEvent e : events) {
            answer[i++] = JdbcJournal.node(e) ? nodeRows[n++] : rows[r++];
        }
        return answer;
    }

    /**
     * The events that are not node events ({@link JdbcJournal#node}) as one batch of {@link JdbcJournal#INSERT_SEQ},
     * each with its row's number: the {@code seqs} in the order of {@code events}.
     */
    private static int[] insertOthers(Connection c, Collection<JournalEvent> events, long[] seqs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(JdbcJournal.INSERT_SEQ)) {
            int i = 0;
            for (JournalEvent e : events) {
                long seq = seqs[i++];
                if (!JdbcJournal.node(e)) {
                    JdbcJournal.bind(ps, e);
                    ps.setLong(15, seq);
                    ps.addBatch();
                }
            }
            return ps.executeBatch();
        }
    }

    /** The node events as one batch of {@code how}'s statement, each with its row's number as {@link #insertOthers}. */
    private static int[] insertNodes(Connection c, Collection<JournalEvent> events, long[] seqs, NodeInsert how)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(how.sql)) {
            int i = 0;
            for (JournalEvent e : events) {
                long seq = seqs[i++];
                if (JdbcJournal.node(e)) {
                    how.bind(ps, e, seq);
                    ps.addBatch();
                }
            }
            return ps.executeBatch();
        }
    }

    /** Whether the answer is a row count (0 or 1) for each of the {@code rows}, not {@code SUCCESS_NO_INFO}. */
    private static boolean rowByRow(int[] answer, int rows) {
        if (answer.length != rows) {
            return false;
        }
        for (int n : answer) {
            if (n < 0 || n > 1) {
                return false;
            }
        }
        return true;
    }

    /** Leaves in {@code fresh} and the sets only the events the insert added (answered 1; 0: the table had it). */
    private static void keepInserted(int[] answer, Map<String, JournalEvent> fresh, Set<String> counted,
                                      Set<String> flowCounted, Set<String> funnelCounted) {
        int i = 0;
        for (Iterator<String> it = fresh.keySet().iterator(); it.hasNext(); i++) {
            String id = it.next();
            if (answer[i] == 0) {
                it.remove();
                counted.remove(id);
                flowCounted.remove(id);
                funnelCounted.remove(id);
            }
        }
    }

    /**
     * For a driver that does not answer row by row: the events that count looked up first (those in the table are
     * dropped), then all inserted.
     */
    private void lookUpThenInsert(Connection c, Map<String, JournalEvent> fresh, Set<String> counted,
                                  Set<String> flowCounted, Set<String> funnelCounted, NodeInsert nodeInsert)
            throws SQLException {
        if (!counted.isEmpty() || !flowCounted.isEmpty() || !funnelCounted.isEmpty()) {
            Set<String> checked = new HashSet<>(counted);
            checked.addAll(flowCounted);
            checked.addAll(funnelCounted);
            for (String id : selectIds(c, checked, fresh)) {
                fresh.remove(id);
                counted.remove(id);
                flowCounted.remove(id);
                funnelCounted.remove(id);
            }
        }
        insert(c, fresh.values(), nodeInsert, false, new long[1][]);
    }

    /**
     * Whether an event can change the summary: a call figure, an event with a queue (a call's first queue may move
     * its figures), an agent's event (handle times), a customer's ended call (first-contact resolution). The others
     * (a call's node events, entered, identified ...: most of a call's events) are written and not read back.
     */
    static boolean counts(JournalEvent e) {
        return switch (e.type()) {
            case CALL_QUEUED, CALL_ANSWERED, CALL_ABANDONED, CALL_TRANSFERRED, CALLBACK_REQUESTED, CALL_SURVEYED -> true;
            case CALL_ENDED -> e.customer() != null || e.queue() != null;
            case CALL_RING_NO_ANSWER, CALL_UNHOLD -> e.agent() != null || e.queue() != null;
            default -> e.queue() != null || e.type().agentEvent() && e.agent() != null;
        };
    }

    /** Those of the {@code ids} (of events in {@code events}) that the table has. */
    private static Set<String> selectIds(Connection c, Collection<String> ids, Map<String, JournalEvent> events)
            throws SQLException {
        Set<String> out = new HashSet<>();
        try (ById rows = new ById(c, "event_id")) {
            for (String id : ids) {
                if (rows.has(id, events.get(id))) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /**
     * Rows of the table by event id, each asked with its event's call id: the unique constraint on
     * {@code (call_id, event_id)} (V170) has the call id first, and no index has the event id first any more. Two
     * statements, prepared once: a call's event ({@code call_id = ?}) and an event without a call
     * ({@code call_id is null}: PostgreSQL does not look up {@code is not distinct from ?} in an index). Before V170
     * (and on a PostgreSQL before 15, which keeps that layout) the call index and the event id's constraint answer the
     * same statements.
     */
    private static final class ById implements AutoCloseable {
        private final Connection c;
        private final String columns;
        private PreparedStatement ofCall;
        private PreparedStatement noCall;
        private PreparedStatement ofNode;

        /** @param columns what to select: {@link #EVENT_COLUMNS} for {@link #row}, {@code event_id} for {@link #has} */
        ById(Connection c, String columns) {
            this.c = c;
            this.columns = columns;
        }

        /** The row of the event with this (stored, cut) id, or null. */
        Stored row(String id, JournalEvent e) throws SQLException {
            List<Stored> rows = run(statement(id, e));
            return rows.isEmpty() ? null : rows.get(0);
        }

        /** Whether the table has the event with this (stored, cut) id. */
        boolean has(String id, JournalEvent e) throws SQLException {
            try (ResultSet rs = statement(id, e).executeQuery()) {
                return rs.next();
            }
        }

        private PreparedStatement statement(String id, JournalEvent e) throws SQLException {
            String call = JdbcJournal.cut(e.callId(), 128);
            if (call == null) {
                if (noCall == null) {
                    noCall = c.prepareStatement("select " + columns + " from journal_events where call_id is null"
                            + " and event_id = ?");
                }
                noCall.setString(1, id);
                return noCall;
            }
            if (JdbcJournal.node(e)) { // in journal_nodes, or in journal_events if written before V171
                if (ofNode == null) {
                    ofNode = c.prepareStatement("select " + columns + " from journal_all where call_id = ?"
                            + " and event_id = ?");
                }
                ofNode.setString(1, call);
                ofNode.setString(2, id);
                return ofNode;
            }
            if (ofCall == null) {
                ofCall = c.prepareStatement("select " + columns + " from journal_events where call_id = ?"
                        + " and event_id = ?");
            }
            ofCall.setString(1, call);
            ofCall.setString(2, id);
            return ofCall;
        }

        @Override
        public void close() throws SQLException {
            try {
                if (ofCall != null) {
                    ofCall.close();
                }
            } finally {
                try {
                    if (noCall != null) {
                        noCall.close();
                    }
                } finally {
                    if (ofNode != null) {
                        ofNode.close();
                    }
                }
            }
        }
    }

    /**
     * The first column of a query over the given values, asked {@link PaddedIn#MAX} at a time ({@code %s}: their
     * placeholders, a {@link PaddedIn} list: a few statement texts, each parsed once per connection).
     */
    private static Set<String> strings(Connection c, String sql, Collection<String> values) throws SQLException {
        Set<String> out = new HashSet<>();
        for (PaddedIn.Part part : PaddedIn.parts(values)) {
            try (PreparedStatement ps = c.prepareStatement(sql.formatted(part.marks()))) {
                PaddedIn.bind(ps, 1, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
        }
        return out;
    }

    /** Adds the events just inserted (by id; the events by id in {@code events}) to the summary. */
    void added(Connection c, Set<String> ids, Map<String, JournalEvent> events) throws SQLException {
        List<Stored> inserted = new ArrayList<>();
        try (ById rows = new ById(c, EVENT_COLUMNS)) {
            for (String id : ids) {
                Stored e = rows.row(id, events.get(id));
                if (e != null) {
                    inserted.add(e);
                }
            }
        }
        inserted.sort(java.util.Comparator.comparing(Stored::at).thenComparingLong(Stored::seq));
        Set<String> newIds = new HashSet<>(ids);
        Map<Key, long[]> delta = new TreeMap<>();
        Map<AgentSummary.Key, long[]> agentDelta = new TreeMap<>();
        CampaignTalk.Delta campaignDelta = new CampaignTalk.Delta();
        inserted.forEach(e -> {
            AgentSummary.call(e, agentDelta);
            CampaignTalk.hold(e, campaignDelta);
        });
        Queues queues = new Queues(c, newIds);
        queues.prefetch(inserted.stream().filter(e -> e.callId() != null && (e.queue() != null || callFigures(e) != null))
                .map(Stored::callId).toList());
        // call figures of the new events
        for (Stored e : inserted) {
            long[] s = callFigures(e);
            if (s != null) {
                add(delta, new Key(quarter(e.at()), e.queue() != null ? e.queue() : queues.now(e.callId())), s, 1);
            }
        }
        // calls whose first queue arrived now: their earlier figures move to it
        Map<String, Set<Stored>> anchors = new HashMap<>();
        List<String> moved = new ArrayList<>();
        for (String call : inserted.stream().filter(e -> e.queue() != null && e.callId() != null).map(Stored::callId)
                .collect(Collectors.toCollection(java.util.TreeSet::new))) {
            if (!queues.before(call).equals(queues.now(call))) {
                moved.add(call);
            }
        }
        for (PaddedIn.Part part : PaddedIn.parts(moved)) {
            for (Stored e : select(c, "call_id in (" + part.marks() + ") and (queue is null and event_type in"
                    + " ('CALL_TRANSFERRED', 'CALLBACK_REQUESTED', 'CALL_SURVEYED', 'CALL_QUEUED', 'CALL_ANSWERED',"
                    + " 'CALL_ABANDONED') or detail = 'ON_CALL' and event_type in " + AGENT_TYPES_SQL + ")", part.padded().toArray())) {
                if (newIds.contains(e.id())) {
                    continue;
                }
                long[] s = callFigures(e);
                if (s != null && e.queue() == null) {
                    add(delta, new Key(quarter(e.at()), queues.before(e.callId())), s, -1);
                    add(delta, new Key(quarter(e.at()), queues.now(e.callId())), s, 1);
                }
                if (e.agent() != null && AGENT_TYPES.contains(e.type()) && "ON_CALL".equals(e.detail())) {
                    anchors.computeIfAbsent(e.agent(), a -> new HashSet<>()).add(e);
                }
            }
        }
        // handle times around the agents' new events
        Map<String, List<Stored>> byAgent = new TreeMap<>();
        for (Stored e : inserted) {
            if (e.agent() != null && AGENT_TYPES.contains(e.type())) {
                byAgent.computeIfAbsent(e.agent(), a -> new ArrayList<>()).add(e);
            }
        }
        anchors.forEach((agent, set) -> byAgent.computeIfAbsent(agent, a -> new ArrayList<>()).addAll(set));
        lockAgents(c, byAgent.keySet());
        Map<String, Window> lines = new TreeMap<>();
        try (Windows agents = new Windows(c, AGENT_ONLY, 2)) {
            for (Map.Entry<String, List<Stored>> a : byAgent.entrySet()) {
                lines.put(a.getKey(), agents.around(a.getKey(), a.getValue()));
            }
        }
        queues.prefetch(lines.values().stream().flatMap(w -> w.line().stream())
                .filter(e -> "ON_CALL".equals(e.detail()) && e.callId() != null).map(Stored::callId).toList());
        for (Window w : lines.values()) {
            timeline(w, newIds, queues, delta, agentDelta, campaignDelta);
        }
        // first-contact resolution around the customers' new calls
        Map<String, List<Stored>> byCustomer = new TreeMap<>();
        for (Stored e : inserted) {
            if ("CALL_ENDED".equals(e.type()) && e.customer() != null) {
                byCustomer.computeIfAbsent(e.customer(), k -> new ArrayList<>()).add(e);
            }
        }
        try (Windows customers = new Windows(c, "customer_id = ? and event_type = 'CALL_ENDED'", 1)) {
            for (Map.Entry<String, List<Stored>> k : byCustomer.entrySet()) {
                customer(customers.around(k.getKey(), k.getValue()), newIds, delta);
            }
        }
        apply(c, delta);
        AgentSummary.apply(c, agentDelta);
        CampaignTalk.apply(c, campaignDelta);
    }

    /**
     * The events of one timeline (an agent's, a customer's ended calls) around the given points: {@code around}
     * (and any at the same time as the last of them) before the first, those from the first to the last, {@code around} after the last, in order; the first
     * {@code anchors} are the ones whose contribution may have changed.
     */
    record Window(List<Stored> line, int anchors) {
    }

    /**
     * The window query of one kind of timeline ({@code where} names the timeline's key with one {@code ?}), prepared
     * once for a flush and run for each key: the text is the same for every agent (every customer), and it was built
     * and parsed again per key (about 1.7 KB per identified call: docs/benchmarks.md, "sixteenth round: what a call's
     * journal rows cost").
     */
    private static final class Windows implements AutoCloseable {
        private final Connection c;
        private final String sql;
        private PreparedStatement ps;

        Windows(Connection c, String where, int around) {
            this.c = c;
            String cols = "select " + EVENT_COLUMNS + " from journal_events where " + where;
            // "with ties" on the time alone, the index's order: H2 reads a few rows of the index instead of every row of
            // the timeline before (after) the points to sort them by time and seq; the ties come along, in order below
            this.sql = "select * from ((" + cols + " and occurred_at < ?"
                    + " order by occurred_at desc fetch first " + around + " rows with ties) union all (" + cols
                    + " and occurred_at >= ? and occurred_at <= ?) union all (" + cols + " and occurred_at > ?"
                    + " order by occurred_at fetch first " + around + " rows with ties)) w order by occurred_at, seq";
        }

        /** The timeline of {@code key} around the given points. */
        Window around(String key, List<Stored> points) throws SQLException {
            Timestamp min = Timestamp.from(points.stream().map(Stored::at).min(Instant::compareTo).orElseThrow());
            Timestamp max = Timestamp.from(points.stream().map(Stored::at).max(Instant::compareTo).orElseThrow());
            if (ps == null) {
                ps = c.prepareStatement(sql);
            }
            List<Stored> line = new ArrayList<>(run(ps, key, min, key, min, max, key, max));
            int anchors = (int) line.stream().filter(e -> !e.at().isAfter(max.toInstant())).count();
            return new Window(line, anchors);
        }

        @Override
        public void close() throws SQLException {
            if (ps != null) {
                ps.close();
            }
        }
    }

    /** A call event's figures (null for events that are not call figures). */
    private long[] callFigures(Stored e) {
        long[] s = zero();
        long wait = e.durationMs();
        switch (e.type()) {
            case "CALL_QUEUED" -> s[0] = 1;
            case "CALL_ANSWERED" -> {
                s[1] = 1;
                s[2] = wait <= rules.threshold(e.queue()).toMillis() ? 1 : 0;
                s[7] = wait;
                waited(s, wait);
            }
            case "CALL_ABANDONED" -> {
                s[3] = 1;
                s[4] = wait < rules.shortAbandon().toMillis() ? 1 : 0;
                waited(s, wait);
            }
            case "CALL_TRANSFERRED" -> s[5] = 1;
            case "CALLBACK_REQUESTED" -> s[6] = 1;
            case "CALL_SURVEYED" -> {
                s[14] = 1;
                s[15] = "4".equals(e.detail()) || "5".equals(e.detail()) ? 1 : 0;
            }
            default -> {
                return null;
            }
        }
        return s;
    }

    private static void waited(long[] s, long wait) {
        s[8] = wait;
        s[9] = 1;
        s[LONGEST] = wait;
    }

    private static void add(Map<Key, long[]> delta, Key k, long[] s, int sign) {
        long[] d = delta.computeIfAbsent(k, x -> zero());
        for (int i = 0; i < s.length; i++) {
            if (i == LONGEST) {
                d[i] = Math.max(d[i], s[i]);
            } else {
                d[i] += sign * s[i];
            }
        }
    }

    /** The first queue of calls, before this batch and now. */
    private static final class Queues {
        private final Connection c;
        private final Set<String> newIds;
        private final Map<String, String[]> cache = new HashMap<>();

        Queues(Connection c, Set<String> newIds) {
            this.c = c;
            this.newIds = newIds;
        }

        /** Reads the first queues of these calls with one query. */
        void prefetch(Collection<String> calls) throws SQLException {
            List<String> todo = calls.stream().filter(k -> !cache.containsKey(k)).distinct().toList();
            for (PaddedIn.Part part : PaddedIn.parts(todo)) {
                Map<String, List<Stored>> byCall = new HashMap<>();
                for (Stored e : select(c, "call_id in (" + part.marks() + ") and queue is not null"
                        + " order by occurred_at, seq", part.padded().toArray())) {
                    byCall.computeIfAbsent(e.callId(), k -> new ArrayList<>()).add(e);
                }
                for (String call : part.values()) {
                    cache.put(call, first(byCall.getOrDefault(call, List.of())));
                }
            }
        }

        private String[] first(List<Stored> events) {
            String[] q = {"", ""};
            for (Stored e : events) {
                if (q[1].isEmpty()) {
                    q[1] = e.queue();
                }
                if (q[0].isEmpty() && !newIds.contains(e.id())) {
                    q[0] = e.queue();
                }
            }
            return q;
        }

        String before(String call) throws SQLException {
            return get(call)[0];
        }

        String now(String call) throws SQLException {
            return get(call)[1];
        }

        private String[] get(String call) throws SQLException {
            if (call == null) {
                return new String[] {"", ""};
            }
            String[] q = cache.get(call);
            if (q == null) {
                q = first(select(c, "call_id = ? and queue is not null order by occurred_at, seq", call));
                cache.put(call, q);
            }
            return q;
        }
    }

    /**
     * Takes the contributions of the agent's events around the new ones as they were before this batch and adds
     * them as they are now (a handled call's talk and wrap-up depend on the next two events).
     */
    private static void timeline(Window w, Set<String> newIds, Queues queues, Map<Key, long[]> delta,
                                 Map<AgentSummary.Key, long[]> agentDelta, CampaignTalk.Delta campaignDelta)
            throws SQLException {
        List<Stored> line = w.line();
        List<Stored> old = new ArrayList<>();
        int oldAnchors = 0;
        for (int i = 0; i < line.size(); i++) {
            if (!newIds.contains(line.get(i).id())) {
                old.add(line.get(i));
                if (i < w.anchors()) {
                    oldAnchors++;
                }
            }
        }
        for (int i = 0; i < oldAnchors; i++) {
            handled(old, i, queues.before(old.get(i).callId()), delta, -1);
            AgentSummary.event(old, i, agentDelta, -1);
            CampaignTalk.event(old, i, campaignDelta, -1);
        }
        for (int i = 0; i < w.anchors(); i++) {
            handled(line, i, queues.now(line.get(i).callId()), delta, 1);
            AgentSummary.event(line, i, agentDelta, 1);
            CampaignTalk.event(line, i, campaignDelta, 1);
        }
    }

    /** The handled call an ON_CALL event makes, once the agent's next event is there. */
    private static void handled(List<Stored> line, int i, String queue, Map<Key, long[]> delta, int sign) {
        Stored e = line.get(i);
        if (!"ON_CALL".equals(e.detail()) || "AGENT_SIGNED_OUT".equals(e.type()) || i + 1 >= line.size()) {
            return;
        }
        Stored next = line.get(i + 1);
        long[] s = zero();
        s[11] = 1;
        s[12] = Duration.between(e.at(), next.at()).toMillis();
        if ("WRAP_UP".equals(next.detail()) && i + 2 < line.size()) {
            s[13] = Math.max(0, Duration.between(next.at(), line.get(i + 2).at()).toMillis());
        }
        add(delta, new Key(quarter(next.at()), queue), s, sign);
    }

    /**
     * Makes sure the agents are listed, and locks their rows until the transaction ends: two servers writing events of
     * one agent at once take turns, so each sees the other's events around its own.
     */
    private static void lockAgents(Connection c, Collection<String> agents) throws SQLException {
        if (agents.isEmpty()) {
            return;
        }
        // only the agents not listed yet are inserted: H2 answers "on conflict do nothing" for a row that is there by
        // building (and dropping) a constraint violation exception, stack trace and all, for every agent of every batch
        Set<String> listed = strings(c, "select agent_id from journal_agents where agent_id in (%s)", agents);
        if (listed.size() < agents.size()) {
            try (PreparedStatement ps = c.prepareStatement("insert into journal_agents (agent_id) values (?) on conflict do nothing")) {
                for (String a : agents) {
                    if (!listed.contains(a)) {
                        ps.setString(1, a);
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
        }
        strings(c, "select agent_id from journal_agents where agent_id in (%s) order by agent_id for update", agents);
    }

    /** First-contact resolution around a customer's new calls: each call is repeated when the next is within the window. */
    private void customer(Window w, Set<String> newIds, Map<Key, long[]> delta) {
        List<Stored> line = w.line();
        List<Stored> old = line.stream().filter(e -> !newIds.contains(e.id())).toList();
        int oldAnchors = (int) line.subList(0, w.anchors()).stream().filter(e -> !newIds.contains(e.id())).count();
        for (int i = 0; i < oldAnchors; i++) {
            firstContact(old, i, delta, -1);
        }
        for (int i = 0; i < w.anchors(); i++) {
            firstContact(line, i, delta, 1);
        }
    }

    private void firstContact(List<Stored> line, int i, Map<Key, long[]> delta, int sign) {
        Stored e = line.get(i);
        long[] s = zero();
        s[16] = 1;
        s[17] = i + 1 < line.size() && Duration.between(e.at(), line.get(i + 1).at()).compareTo(fcrWindow) <= 0 ? 1 : 0;
        add(delta, new Key(quarter(e.at()), e.queue() == null ? "" : e.queue()), s, sign);
    }

    /** Adds the deltas to their rows (in key order, so that two writers never wait for each other in a circle). */
    private void apply(Connection c, Map<Key, long[]> delta) throws SQLException {
        StringBuilder update = new StringBuilder("update " + TABLE + " set ");
        for (int i = 0; i < SUMS.length; i++) {
            update.append(SUMS[i]).append(i == LONGEST ? " = greatest(" + SUMS[i] + ", ?), " : " = " + SUMS[i] + " + ?, ");
        }
        update.append("sl_ms = case when ? = 0 or sl_ms = ? then sl_ms else -1 end,")
                .append(" short_ms = case when ? = 0 or short_ms = ? then short_ms else -1 end,")
                .append(" fcr_ms = case when ? = 0 or fcr_ms = ? then fcr_ms else -1 end where quarter = ? and queue = ?");
        String insert = "insert into " + TABLE + " (quarter, queue, " + String.join(", ", SUMS)
                + ", sl_ms, short_ms, fcr_ms) values (" + "?, ".repeat(SUMS.length + 4) + "?) on conflict do nothing";
        QuarterRows.apply(c, delta, "summary row", update.toString(), this::bindUpdate, insert, (in, k, s) -> {
            in.setLong(1, k.quarter());
            in.setString(2, k.queue());
            for (int i = 0; i < s.length; i++) {
                in.setLong(3 + i, s[i]);
            }
            in.setLong(3 + s.length, threshold(k));
            in.setLong(4 + s.length, rules.shortAbandon().toMillis());
            in.setLong(5 + s.length, fcrWindow.toMillis());
        });
    }

    private long threshold(Key k) {
        return rules.threshold(k.queue().isEmpty() ? null : k.queue()).toMillis();
    }

    private void bindUpdate(PreparedStatement up, Key k, long[] s) throws SQLException {
        long sl = threshold(k);
        int i = 1;
        for (long v : s) {
            up.setLong(i++, v);
        }
        up.setLong(i++, s[1]);
        up.setLong(i++, sl);
        up.setLong(i++, s[3]);
        up.setLong(i++, rules.shortAbandon().toMillis());
        up.setLong(i++, s[16]);
        up.setLong(i++, fcrWindow.toMillis());
        up.setLong(i++, k.quarter());
        up.setString(i, k.queue());
    }

    static List<Stored> select(Connection c, String where, Object... args) throws SQLException {
        return rows(c, "select " + EVENT_COLUMNS + " from journal_events where " + where, args);
    }

    private static List<Stored> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            return run(ps, args);
        }
    }

    /** The events a prepared query of {@link #EVENT_COLUMNS} answers for these arguments. */
    private static List<Stored> run(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        List<Stored> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(stored(rs));
            }
        }
        return out;
    }

    /** The event at the result set's row ({@link #EVENT_COLUMNS}). */
    static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getString(9), rs.getString(10));
    }

    // ---------------------------------------------------------------- reading, recounting, rebuilding

    /** A summary row: its sums and whether they were counted with these rules. */
    record Row(Key key, long[] sums, boolean callsMatch, boolean fcrMatch) {
    }

    /** The rows of the quarters {@code [from, to)} (quarter numbers). */
    List<Row> rows(Connection c, long from, long to) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select quarter, queue, " + String.join(", ", SUMS)
                + ", sl_ms, short_ms, fcr_ms from " + TABLE + " where quarter >= ? and quarter < ?")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long[] s = zero();
                    for (int i = 0; i < s.length; i++) {
                        s[i] = rs.getLong(3 + i);
                    }
                    String queue = rs.getString(2);
                    int n = 3 + s.length;
                    boolean calls = (s[1] == 0 || rs.getLong(n) == rules.threshold(queue.isEmpty() ? null : queue).toMillis())
                            && (s[3] == 0 || rs.getLong(n + 1) == rules.shortAbandon().toMillis());
                    boolean fcr = s[16] == 0 || rs.getLong(n + 2) == fcrWindow.toMillis();
                    out.add(new Row(new Key(rs.getLong(1), queue), s, calls, fcr));
                }
            }
        }
        return out;
    }

    /**
     * Recounts the rows counted with other rules (a threshold or window changed, or the back-fill's defaults): the
     * answered in time and short abandons, and the calls repeated within the window, from the events. Idempotent.
     *
     * @return the rows recounted
     */
    public int resum(Connection c) throws SQLException {
        List<Row> stale = rows(c, Long.MIN_VALUE, Long.MAX_VALUE).stream()
                .filter(r -> !r.callsMatch() || !r.fcrMatch()).toList();
        if (stale.isEmpty()) {
            return 0;
        }
        Map<Key, Row> byKey = stale.stream().collect(Collectors.toMap(Row::key, Function.identity()));
        long first = stale.stream().mapToLong(r -> r.key().quarter()).min().orElseThrow();
        long last = stale.stream().mapToLong(r -> r.key().quarter()).max().orElseThrow() + 1;
        Map<Key, long[]> counts = new HashMap<>();
        Instant from = Instant.ofEpochSecond(first * QUARTER_S);
        Instant to = Instant.ofEpochSecond(last * QUARTER_S);
        for (Stored e : select(c, "event_type in ('CALL_ANSWERED', 'CALL_ABANDONED') and occurred_at >= ? and occurred_at < ?",
                Timestamp.from(from), Timestamp.from(to))) {
            long[] s = callFigures(e);
            add(counts, new Key(quarter(e.at()), e.queue() == null ? "" : e.queue()), Objects.requireNonNull(s), 1);
        }
        Map<String, List<Stored>> ended = new HashMap<>();
        for (Stored e : select(c, "event_type = 'CALL_ENDED' and customer_id is not null and occurred_at >= ?"
                + " and occurred_at < ? order by occurred_at, seq", Timestamp.from(from), Timestamp.from(to.plus(fcrWindow)))) {
            ended.computeIfAbsent(e.customer(), k -> new ArrayList<>()).add(e);
        }
        ended.values().forEach(line -> {
            for (int i = 0; i < line.size(); i++) {
                if (line.get(i).at().isBefore(to)) {
                    firstContact(line, i, counts, 1);
                }
            }
        });
        try (PreparedStatement ps = c.prepareStatement("update " + TABLE + " set answered_in_time = ?, short_abandoned = ?,"
                + " fcr_repeated = ?, sl_ms = ?, short_ms = ?, fcr_ms = ? where quarter = ? and queue = ?")) {
            for (Row r : byKey.values()) {
                long[] s = counts.getOrDefault(r.key(), zero());
                ps.setLong(1, r.callsMatch() ? r.sums()[2] : s[2]);
                ps.setLong(2, r.callsMatch() ? r.sums()[4] : s[4]);
                ps.setLong(3, r.fcrMatch() ? r.sums()[17] : s[17]);
                ps.setLong(4, rules.threshold(r.key().queue().isEmpty() ? null : r.key().queue()).toMillis());
                ps.setLong(5, rules.shortAbandon().toMillis());
                ps.setLong(6, fcrWindow.toMillis());
                ps.setLong(7, r.key().quarter());
                ps.setString(8, r.key().queue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return stale.size();
    }

    /**
     * Empties the summary and sums it again from every event, by the migration's own back-fill statements (for a
     * journal loaded around the writer, e.g. the benchmark's), then {@link #resum recounts} with these rules; and the
     * agent, flow and funnel summaries and the campaign attempts' talk likewise ({@link AgentSummary#rebuild},
     * {@link FlowSummary#rebuild}, {@link FunnelSummary#rebuild}, {@link CampaignTalk#rebuild}).
     */
    public void rebuild(Connection c) throws SQLException {
        String script;
        try (InputStream in = JournalSummary.class.getResourceAsStream(MIGRATION)) {
            script = new String(Objects.requireNonNull(in, MIGRATION).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read " + MIGRATION, e);
        }
        String backfill = script.substring(script.indexOf("-- back-fill"));
        try (Statement st = c.createStatement()) {
            st.executeUpdate("delete from " + TABLE);
            st.executeUpdate("delete from journal_agents");
            for (String sql : backfill.split(";\\s*\\n")) {
                String s = sql.lines().filter(l -> !l.startsWith("--")).collect(Collectors.joining("\n")).trim();
                if (!s.isEmpty()) {
                    st.executeUpdate(s);
                }
            }
        }
        resum(c);
        AgentSummary.rebuild(c);
        FlowSummary.rebuild(c);
        FunnelSummary.rebuild(c);
        CampaignTalk.rebuild(c);
    }
}
