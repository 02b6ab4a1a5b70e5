package dev.ivr.server.journal.store;

import dev.ivr.server.db.Dialect;
import dev.ivr.server.db.StaleConnections;
import dev.ivr.server.journal.Journal;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.logging.LogText;
import dev.ivr.server.os.BackgroundThreads;
import dev.ivr.server.outbox.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The journal on the database, through an outbox: {@link #emit} appends the event to the outbox on local disk
 * (forced) and returns; the {@code journal-outbox} platform thread writes what waits there to
 * {@code journal_events} (a call's node events: {@code journal_nodes}, V171) in batches, and deletes a segment once
 * all of it is in the database. A call never waits for the database, an outage or a restart loses nothing (the
 * segments stay until written), and a segment replayed after a failure duplicates nothing (the event id is unique per
 * call id, V170; a replayed one is ignored).
 * When even the disk refuses a line, the event waits in memory (said loudly) until disk or database takes it.
 */
public final class JdbcJournal implements Journal, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcJournal.class);
    /**
     * Events per transaction at most. The writer takes a segment of the outbox per flush (every 250 ms): up to this
     * many in one transaction, and each commit costs H2 some milliseconds whatever its size (it rewrites the pages
     * every index touched). At 500, from 2,000 events a second (about 290 new calls a second, 7 events each) every
     * flush took two transactions, the second of a few rows; at 1,000 one up to 4,000 events a second.
     */
    static final int BATCH = 1000;
    static final String INSERT = "insert into journal_events (event_id, occurred_at, event_day, event_type, call_id,"
            + " flow, flow_node, queue, agent_id, duration_ms, detail, reason, server, customer_id) values"
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    /**
     * {@link #INSERT} with the row's number given ({@link #seqs}): a batch with node events, so that the rows of both
     * tables are numbered in the order of the batch (V171).
     */
    static final String INSERT_SEQ = "insert into journal_events (event_id, occurred_at, event_day, event_type, call_id,"
            + " flow, flow_node, queue, agent_id, duration_ms, detail, reason, server, customer_id, seq) values"
            + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    /**
     * A call's node event into {@code journal_nodes} (V171: three B-trees instead of six, its columns only), with its
     * row's number given ({@link #seqs}), refused when that table has it ({@code on conflict do nothing}).
     */
    static final String INSERT_NODE = "insert into journal_nodes (event_id, occurred_at, event_day, call_id, flow,"
            + " flow_node, server, seq) values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    /**
     * {@link #INSERT_NODE}, also refused when {@code journal_events} has the event: a node event written there before
     * V171 and replayed from the outbox after the upgrade. Only until the outbox found at start is written
     * ({@link JournalSummary#write}, then {@link JournalSummary#writeAfterReplay}): the look-up costs H2 about 3 KB a
     * row (jn21's NodeInsertProbe). The casts: PostgreSQL types a select's parameters by them, not by the columns.
     */
    static final String INSERT_NODE_GUARDED = "insert into journal_nodes (event_id, occurred_at, event_day, call_id,"
            + " flow, flow_node, server, seq) select cast(? as varchar(40)), cast(? as timestamp with time zone),"
            + " cast(? as date), cast(? as varchar(128)), cast(? as varchar(200)), cast(? as varchar(200)),"
            + " cast(? as varchar(100)), cast(? as bigint)"
            + " where not exists (select 1 from journal_events where call_id = ? and event_id = ?) on conflict do nothing";

    private final DataSource dataSource;
    private final BooleanSupplier ready;
    private final Duration flushEvery;
    private final JournalOutbox outbox;
    private final Queue<JournalEvent> unsaved = new ConcurrentLinkedQueue<>();
    private final CopyOnWriteArrayList<Consumer<JournalEvent>> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<BatchHook> hooks = new CopyOnWriteArrayList<>();
    private final Counter kept;
    private final Counter inMemory;
    private final Counter written;
    private final Thread flusher;
    private volatile JournalSummary summary;
    private volatile boolean resummed;
    /**
     * Until the outbox found at start is written: it may hold node events a server before V171 wrote into
     * {@code journal_events} (a batch committed, its acknowledgement lost), so node events are looked up there too.
     */
    private volatile boolean replaying = true;
    private volatile boolean closed;

    /**
     * A journal on a database this process alone writes when it is H2 (the tests' embedded databases): as
     * {@link #JdbcJournal(DataSource, Dialect, BooleanSupplier, Path, Duration, MeterRegistry, boolean)} with
     * {@code soleWriter} true for H2.
     */
    public JdbcJournal(DataSource dataSource, Dialect dialect, BooleanSupplier ready, Path outboxDir,
                       Duration flushEvery, MeterRegistry meters) {
        this(dataSource, dialect, ready, outboxDir, flushEvery, meters, dialect == Dialect.H2);
    }

    /**
     * @param dialect    the database's ({@link dev.ivr.server.db.Database#dialect})
     * @param ready      whether the schema is migrated
     * @param outboxDir  where events wait for the database
     * @param flushEvery how often the flusher writes what waits
     * @param soleWriter whether this process is the only one that writes the journal's tables (the embedded H2 file
     *                   database; not an H2 server or PostgreSQL, which several servers share): the writer then keeps
     *                   the open calls' flow events in memory instead of reading them back ({@link CallLines}).
     *                   Ignored on PostgreSQL.
     */
    public JdbcJournal(DataSource dataSource, Dialect dialect, BooleanSupplier ready, Path outboxDir,
                       Duration flushEvery, MeterRegistry meters, boolean soleWriter) {
        this.dataSource = dataSource;
        JournalSummary s = new JournalSummary(dialect, KpiRules.DEFAULT, Duration.ofDays(7));
        this.summary = soleWriter && dialect == Dialect.H2 ? s.withCallLines(new CallLines()) : s;
        this.ready = ready;
        this.flushEvery = flushEvery;
        this.outbox = new JournalOutbox(outboxDir);
        this.kept = Counter.builder("ivr.journal.events").tag("result", "kept")
                .description("Journal events kept (on disk in the outbox, then the database)").register(meters);
        this.inMemory = Counter.builder("ivr.journal.events").tag("result", "memory")
                .description("Journal events the disk refused, kept in memory until disk or database takes them")
                .register(meters);
        this.written = Counter.builder("ivr.journal.written").description("Journal events written to the database")
                .register(meters);
        Gauge.builder("ivr.journal.pending", this, JdbcJournal::pending)
                .description("Journal events waiting for the database").register(meters);
        FunctionCounter.builder("ivr.journal.outbox.force.failures", outbox, Outbox::forceFailures)
                .description("Forces of the journal's outbox that failed (each fails its segment; its lines still reach the database)")
                .register(meters);
        this.flusher = BackgroundThreads.start("journal-outbox", this::flushLoop);
    }

    @Override
    public void emit(JournalEvent event) {
        keep(event, true);
    }

    /** On disk without waiting for the device's flush (see {@link Outbox#appendWritten}); in memory if the disk refuses. */
    @Override
    public void emitWritten(JournalEvent event) {
        keep(event, false);
    }

    private void keep(JournalEvent event, boolean forced) {
        try {
            if (forced) {
                outbox.append(event);
            } else {
                outbox.appendWritten(event);
            }
            kept.increment();
        } catch (IOException e) {
            unsaved.add(event);
            inMemory.increment();
            LOG.error("journal event {} is NOT on disk ({}): kept in memory only ({} so)", event.type(), e.toString(),
                    unsaved.size());
        }
        heard(event);
    }

    /** The events on disk with one write and one force (see {@link Outbox#appendAll}); in memory if the disk refuses. */
    @Override
    public void emitAll(List<JournalEvent> events) {
        if (events.size() <= 1) {
            events.forEach(this::emit);
            return;
        }
        try {
            outbox.appendAll(events);
            kept.increment(events.size());
        } catch (IOException e) {
            notOnDisk(events, e);
        }
        events.forEach(this::heard);
    }

    /** Written now with one write; forced, counted and heard when the result runs (see {@link Outbox#appendAllWritten}). */
    @Override
    public Runnable emitAllThen(List<JournalEvent> events) {
        if (events.isEmpty()) {
            return () -> {
            };
        }
        Outbox.Unforced lines;
        try {
            lines = outbox.appendAllWritten(events);
        } catch (IOException e) {
            notOnDisk(events, e);
            return () -> events.forEach(this::heard);
        }
        return () -> {
            try {
                outbox.awaitForced(lines);
                kept.increment(events.size());
            } catch (IOException e) {
                notOnDisk(events, e);
            }
            events.forEach(this::heard);
        };
    }

    private void notOnDisk(List<JournalEvent> events, IOException e) {
        unsaved.addAll(events);
        inMemory.increment(events.size());
        LOG.error("{} journal events of call {} are NOT on disk ({}): kept in memory only ({} so)", events.size(),
                LogText.callId(events.get(0).callId()), e.toString(), unsaved.size());
    }

    private void heard(JournalEvent event) {
        for (Consumer<JournalEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("journal listener failed on {}: {}", event.type(), e.toString());
            }
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<JournalEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Work done in the transaction that writes a batch of events (webhook deliveries): it commits with the
     * events or not at all. A batch written again after a crash is handed over again: be idempotent.
     */
    @FunctionalInterface
    public interface BatchHook {
        void written(Connection c, List<JournalEvent> batch) throws SQLException;
    }

    /** Adds work to every batch's transaction (see {@link BatchHook}). */
    public void addBatchHook(BatchHook hook) {
        hooks.add(hook);
    }

    /**
     * The rules the queue summary counts with (the report's: each queue's service-level time, the short-abandon
     * time, the FCR window); rows counted with others are recounted before the next batch is written.
     */
    public void summarize(KpiRules rules, Duration fcrWindow) {
        summary = summary.withRules(rules, fcrWindow);
        resummed = false;
    }

    /** The open calls' lines the writer keeps, or null (tests). */
    CallLines callLines() {
        return summary.callLines();
    }

    /** Events not yet in the database (on disk or in memory). */
    public int pending() {
        return outbox.pending() + unsaved.size();
    }

    /** Writes what waits, if the database is there; true when nothing waits any more. Called by the flusher. */
    public boolean flush() {
        for (JournalEvent e; (e = unsaved.peek()) != null; ) {
            try {
                outbox.append(e);
            } catch (IOException io) {
                break;
            }
            unsaved.poll();
        }
        if (outbox.pending() == 0 || !ready.getAsBoolean()) {
            return pending() == 0;
        }
        if (!resummed) {
            resum();
        }
        int before = outbox.pending();
        boolean done = outbox.flush(this::insert, BATCH);
        if (done) {
            replaying = false;
        }
        int n = before - outbox.pending();
        if (n > 0) {
            written.increment(n);
            LOG.debug("{} journal event(s) written{}", n, done ? "" : " (" + outbox.pending() + " still waiting)");
        }
        return done && unsaved.isEmpty();
    }

    private void insert(List<JournalEvent> batch) throws Exception {
        JournalSummary summary = this.summary;
        boolean committed = false;
        try (Connection c = dataSource.getConnection()) {
            try {
                c.setAutoCommit(false);
                if (replaying) {
                    summary.write(c, batch);
                } else {
                    summary.writeAfterReplay(c, batch);
                }
                for (BatchHook h : hooks) {
                    h.written(c, batch);
                }
                c.commit();
                committed = true;
                summary.committed();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is gone: nothing was committed
                }
                StaleConnections.evictIfDead(dataSource, c, e);
                throw e;
            }
        } catch (SQLException e) {
            String state = e.getSQLState();
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                throw new Outbox.Rejected(e.getMessage(), e);
            }
            throw e;
        } finally {
            if (!committed) {
                summary.rolledBack();
            }
        }
    }

    private void resum() {
        try (Connection c = dataSource.getConnection()) {
            int n = summary.resum(c);
            resummed = true;
            if (n > 0) {
                LOG.info("queue summary: {} quarter-hour row(s) recounted with the configured rules", n);
            }
        } catch (SQLException e) {
            LOG.warn("queue summary not recounted yet: {}", e.toString());
        }
    }

    static void bind(PreparedStatement ps, JournalEvent e) throws SQLException {
        ps.setString(1, cut(e.id(), 40));
        ps.setTimestamp(2, Timestamp.from(e.at()));
        ps.setDate(3, Date.valueOf(e.day()));
        ps.setString(4, e.type().name());
        ps.setString(5, cut(e.callId(), 128));
        ps.setString(6, cut(e.flow(), 200));
        ps.setString(7, cut(e.node(), 200));
        ps.setString(8, cut(e.queue(), 200));
        ps.setString(9, cut(e.agent(), 200));
        if (e.durationMs() == null) {
            ps.setNull(10, Types.BIGINT);
        } else {
            ps.setLong(10, e.durationMs());
        }
        ps.setString(11, cut(e.detail(), 500));
        ps.setString(12, cut(e.reason(), 200));
        ps.setString(13, cut(e.server(), 100));
        ps.setString(14, cut(e.customer(), 64));
    }

    /** Whether the event is written into {@code journal_nodes} ({@link #INSERT_NODE}), not {@code journal_events}. */
    static boolean node(JournalEvent e) {
        return e.type() == JournalEvent.Type.CALL_NODE && e.callId() != null;
    }

    /** Binds {@link #INSERT_NODE}: the event and its row's number. */
    static void bindNode(PreparedStatement ps, JournalEvent e, long seq) throws SQLException {
        ps.setString(1, cut(e.id(), 40));
        ps.setTimestamp(2, Timestamp.from(e.at()));
        ps.setDate(3, Date.valueOf(e.day()));
        ps.setString(4, cut(e.callId(), 128));
        ps.setString(5, cut(e.flow(), 200));
        ps.setString(6, cut(e.node(), 200));
        ps.setString(7, cut(e.server(), 100));
        ps.setLong(8, seq);
    }

    /** Binds {@link #INSERT_NODE_GUARDED}: {@link #bindNode}'s, then the event looked up in {@code journal_events}. */
    static void bindGuardedNode(PreparedStatement ps, JournalEvent e, long seq) throws SQLException {
        bindNode(ps, e, seq);
        ps.setString(9, cut(e.callId(), 128));
        ps.setString(10, cut(e.id(), 40));
    }

    /**
     * {@code n} row numbers from the journal's sequence ({@code journal_seq}, V171), ascending: one statement for a
     * batch, in the dialect of {@code c}'s database. A number not used (an event refused as already written) is a gap,
     * as a failed insert's always was.
     */
    static long[] seqs(Connection c, Dialect dialect, int n) throws SQLException {
        long[] out = new long[n];
        String sql = switch (dialect) {
            case H2 -> "select next value for journal_seq from system_range(1, ?)";
            case POSTGRESQL -> "select nextval('journal_seq') from generate_series(1, ?)";
        };
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    out[i++] = rs.getLong(1);
                }
                if (i != n) {
                    throw new SQLException("the journal's sequence gave " + i + " row numbers of " + n);
                }
            }
        }
        Arrays.sort(out);
        return out;
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private void flushLoop() {
        while (!closed) {
            LockSupport.parkNanos(this, flushEvery.toNanos());
            if (!closed) {
                try {
                    flush();
                } catch (RuntimeException e) {
                    LOG.warn("journal flush failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(flusher);
        try {
            flusher.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending() > 0 && ready.getAsBoolean()) {
            flush();
        }
        if (!unsaved.isEmpty()) {
            LOG.error("{} journal event(s) could not be kept (the disk refused them) and are lost", unsaved.size());
        }
        if (outbox.pending() > 0) {
            LOG.warn("{} journal event(s) stay in the outbox and will be written after the next start", outbox.pending());
        }
        outbox.close();
    }
}
