package dev.ivr.server.journal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.call.CallEnd;
import dev.ivr.server.call.CallInfo;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.db.Database;
import dev.ivr.server.flow.engine.CallSummary;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.sources.JournalObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call's events kept in one write (its node events with its next event) on the real journal writer and an H2
 * database: the database down mid-call loses nothing, the rows come in the order the call made them, and a batch
 * written again after its commit was not acknowledged adds no row and counts nothing twice.
 */
class JournalBatchesTest {
    @TempDir
    Path tmp;
    private Database db;
    private final Flaky flaky = new Flaky();
    private JdbcJournal journal;
    private final Instant t0 = Instant.parse("2026-12-03T10:00:00Z");

    /** The database, which can be down, or commit and then fail to say so (the connection lost at the commit). */
    final class Flaky implements DataSource {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger lostAcks = new AtomicInteger();
        final AtomicInteger commits = new AtomicInteger();
        /** A driver that answers a batch of inserts with {@code SUCCESS_NO_INFO} for each row (PgJDBC's reWriteBatchedInserts). */
        final AtomicBoolean noRowCounts = new AtomicBoolean();
        /** The statements prepared, by their SQL. */
        final List<String> prepared = java.util.Collections.synchronizedList(new ArrayList<>());
        /** How often the database was asked what it is ({@link Connection#getMetaData}). */
        final AtomicInteger metaData = new AtomicInteger();

        @Override
        public Connection getConnection() throws SQLException {
            if (down.get()) {
                throw new SQLException("database down (test)", "08001");
            }
            Connection real = db.dataSource().getConnection();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, m, args) -> {
                        try {
                            Object r = m.invoke(real, args);
                            if (m.getName().equals("prepareStatement")) {
                                prepared.add((String) args[0]);
                                if (noRowCounts.get() && ((String) args[0]).startsWith("insert")) {
                                    return noRowCounts((PreparedStatement) r);
                                }
                            }
                            if (m.getName().equals("getMetaData")) {
                                metaData.incrementAndGet();
                            }
                            if (m.getName().equals("commit")) {
                                commits.incrementAndGet();
                                if (lostAcks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                                    throw new SQLException("connection reset after the commit (test)", "08006");
                                }
                            }
                            return r;
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        private static PreparedStatement noRowCounts(PreparedStatement real) {
            return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, (proxy, m, args) -> {
                        try {
                            Object r = m.invoke(real, args);
                            if (m.getName().equals("executeBatch")) {
                                int[] none = new int[((int[]) r).length];
                                java.util.Arrays.fill(none, Statement.SUCCESS_NO_INFO);
                                return none;
                            }
                            return r;
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @BeforeEach
    void open() {
        db = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), tmp.resolve("data"));
        assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
        // the writer's own thread waits an hour: the test flushes, so each try is one it can see
        journal = new JdbcJournal(flaky, db.dialect(), db::isReady, tmp.resolve("journal-outbox"), Duration.ofHours(1),
                new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        journal.close();
        db.close();
    }

    /** A clock that moves a second each time it is read. */
    static final class Ticking extends Clock {
        Instant now;

        Ticking(Instant start) {
            now = start;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }
    }

    private static Node node(String id) {
        return new Node.Hangup(new Node.Info(id, "hangup", null, null, null), null);
    }

    @Test
    void theDatabaseDownMidCallLosesNoNodeEventAndKeepsTheirOrder() {
        JournalObserver call = new JournalObserver(journal, new Ticking(t0), "node-a");
        call.started(new CallInfo("call-1", "main", Map.of(), List.of(), "+3612345678", "", "1000", "Local/x-00000001;1",
                "en", "test", "1000", "127.0.0.1"), "main", false);
        call.node("main", node("welcome"));
        call.node("main", node("lookup"));
        call.identified("IDENTIFIED", "c-1");
        assertThat(journal.flush()).isTrue();
        assertThat(rows()).containsExactly("CALL_ENTERED", "welcome", "lookup", "CALL_IDENTIFIED");

        flaky.down.set(true); // the database goes away in the middle of the call
        call.node("main", node("menu"));
        call.node("main", node("code"));
        call.node("main", node("bye"));
        call.ended(new CallSummary(List.of(), Map.of(), Map.of(), null, null, new Interaction("call-1", "+3612345678",
                "1000", "main", "1", t0, t0.plusSeconds(30), List.of(), Map.of(), "c-1", null, null, null, null, null,
                Interaction.Outcome.SELF_SERVED, "node-a")));
        assertThat(journal.flush()).isFalse();
        assertThat(journal.flush()).isFalse();
        assertThat(journal.pending()).isEqualTo(4);

        flaky.down.set(false);
        assertThat(journal.flush()).isTrue();
        assertThat(rows()).containsExactly("CALL_ENTERED", "welcome", "lookup", "CALL_IDENTIFIED", "menu", "code", "bye",
                "CALL_ENDED");
        assertThat(ordered("occurred_at, seq")).isEqualTo(ordered("seq"));
    }

    /**
     * On a call's thread ({@link CallEnd}) the call's last events are on disk when the flow ends (before the connection
     * to the PBX closes: a killed process loses none of them), and the listeners (live KPIs, the event stream) hear
     * them only once they are forced, after the close (twenty-second round).
     */
    @Test
    void aCallsLastEventsAreWrittenBeforeItsConnectionClosesAndHeardOnceForced() {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        journal.subscribe(e -> heard.add(e.type().name()));
        CallEnd.run(() -> {
            JournalObserver call = new JournalObserver(journal, new Ticking(t0), "node-a");
            call.started(new CallInfo("call-1", "main", Map.of(), List.of(), "+3612345678", "", "1000",
                    "Local/x-00000001;1", "en", "test", "1000", "127.0.0.1"), "main", false);
            call.node("main", node("welcome"));
            call.ended(new CallSummary(List.of(), Map.of(), Map.of(), null, null, new Interaction("call-1",
                    "+3612345678", "1000", "main", "1", t0, t0.plusSeconds(30), List.of(), Map.of(), null, null, null,
                    null, null, null, Interaction.Outcome.SELF_SERVED, "node-a")));
            assertThat(journal.pending()).as("on disk as the flow ends").isEqualTo(3);
            assertThat(heard).as("not heard before the connection's close and the force").containsExactly("CALL_ENTERED");
        });
        assertThat(heard).containsExactly("CALL_ENTERED", "CALL_NODE", "CALL_ENDED");
        assertThat(journal.flush()).isTrue();
        assertThat(rows()).containsExactly("CALL_ENTERED", "welcome", "CALL_ENDED");
    }

    @Test
    void aBatchWrittenAgainAfterItsCommitWasNotAcknowledgedAddsNothingTwice() throws SQLException {
        List<JournalEvent> call = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            call.add(event(i, Type.CALL_NODE, null, null, null, "n" + i));
        }
        call.add(event(5, Type.CALL_QUEUED, "billing", null, null, null));
        call.add(event(20, Type.CALL_ANSWERED, "billing", "a1", 15_000L, null));
        call.add(event(80, Type.CALL_ENDED, "billing", "a1", 80_000L, null));
        journal.emitAll(call);
        assertThat(journal.pending()).isEqualTo(8);

        flaky.lostAcks.set(1);
        assertThat(journal.flush()).as("the commit went through, the writer was told it failed").isFalse();
        assertThat(journal.pending()).isEqualTo(8);
        assertThat(count()).isEqualTo(8);
        assertThat(journal.flush()).as("the same batch again").isTrue();
        assertThat(flaky.commits.get()).isEqualTo(2);
        assertThat(journal.pending()).isZero();
        assertThat(count()).isEqualTo(8);
        assertThat(rows()).containsExactly("n0", "n1", "n2", "n3", "n4", "CALL_QUEUED", "CALL_ANSWERED", "CALL_ENDED");
        // the summary counted the call once (offered 1, answered 1 within the 20 s default, wait 15 s)
        List<String> summary = SummaryRows.of(db.dataSource());
        assertThat(summary).containsExactly(JournalSummary.quarter(t0) + "|billing|1|1|1|0|0|0|0|15000|15000|1|15000|0|0|0|0|0|0|0");
        assertThat(SummaryRows.rebuilt(db.dataSource(), new JournalSummary(db.dialect(), KpiRules.DEFAULT, Duration.ofDays(7))))
                .isEqualTo(summary);
    }

    @Test
    void theInsertSaysWhichEventsAreNewWithoutALookUpFirst() throws SQLException {
        aBatchWrittenAgainAfterItsCommitWasNotAcknowledgedAddsNothingTwice();
        // node events and others in one batch: each table's insert with the rows' numbers in the batch's order (V171)
        assertThat(flaky.prepared).as("statements of both tries").contains(JdbcJournal.INSERT_SEQ, JdbcJournal.INSERT_NODE_GUARDED)
                .noneMatch(sql -> sql.startsWith("select event_id from journal_"));
    }

    @Test
    void aDriverThatDoesNotSayWhichRowsItInsertedGetsTheLookUpAndCountsNothingTwice() throws SQLException {
        flaky.noRowCounts.set(true);
        aBatchWrittenAgainAfterItsCommitWasNotAcknowledgedAddsNothingTwice();
        assertThat(flaky.prepared).anyMatch(sql -> sql.startsWith("select event_id from journal_events"));
        // the next batch goes straight to the look-up (no insert taken back first)
        int before = flaky.prepared.size();
        journal.emit(JournalEvent.of(t0.plusSeconds(90), Type.CALL_QUEUED, "call-3", "main", null, "billing", null, null, null,
                null, "node-a"));
        assertThat(journal.flush()).isTrue();
        assertThat(flaky.prepared.subList(before, flaky.prepared.size()).stream()
                .filter(JdbcJournal.INSERT::equals)).hasSize(1);
        assertThat(count()).isEqualTo(9);
        assertThat(SummaryRows.rebuilt(db.dataSource(), new JournalSummary(db.dialect(), KpiRules.DEFAULT, Duration.ofDays(7))))
                .isEqualTo(SummaryRows.of(db.dataSource()));
    }

    @Test
    void nodeEventsWrittenBeforeV171AndReplayedAfterTheUpgradeAreNotAddedTwice() throws SQLException {
        List<JournalEvent> call = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            call.add(event(i, Type.CALL_NODE, null, null, null, "n" + i));
        }
        call.add(event(5, Type.CALL_ENDED, null, null, 5_000L, null));
        // a server before V171 wrote the batch (its node events into journal_events), and lost the acknowledgement
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(JdbcJournal.INSERT)) {
            for (JournalEvent e : call) {
                JdbcJournal.bind(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        // the upgraded server finds the batch in its outbox and writes it again: nothing added
        journal.emitAll(call);
        assertThat(journal.flush()).isTrue();
        assertThat(count()).isEqualTo(4);
        assertThat(rows()).containsExactly("n0", "n1", "n2", "CALL_ENDED");
        assertThat(flaky.prepared).contains(JdbcJournal.INSERT_NODE_GUARDED).doesNotContain(JdbcJournal.INSERT_NODE);
        // once the outbox found at start is written, node events go in without the look-up
        flaky.prepared.clear();
        journal.emitAll(List.of(JournalEvent.of(t0.plusSeconds(10), Type.CALL_NODE, "call-3", "main", "menu", null, null,
                null, null, null, "node-a"), JournalEvent.of(t0.plusSeconds(11), Type.CALL_ENDED, "call-3", "main", "menu",
                null, null, 1_000L, null, null, "node-a")));
        assertThat(journal.flush()).isTrue();
        assertThat(flaky.prepared).contains(JdbcJournal.INSERT_NODE).doesNotContain(JdbcJournal.INSERT_NODE_GUARDED);
        assertThat(rows()).containsExactly("n0", "n1", "n2", "CALL_ENDED", "menu", "CALL_ENDED");
    }

    @Test
    void theWriterNeverAsksTheDatabaseWhatItIs() throws SQLException {
        // the dialect is the Database's, from its URL: no metadata call on the journal writer's path (the sequence's
        // statement, the funnel summary's per-call locks), also across a change of rules
        JournalSummary summary = new JournalSummary(db.dialect(), KpiRules.DEFAULT, Duration.ofDays(7));
        for (int i = 0; i < 3; i++) {
            try (Connection c = flaky.getConnection()) {
                c.setAutoCommit(false);
                summary.writeAfterReplay(c, List.of(JournalEvent.of(t0.plusSeconds(i), Type.CALL_NODE, "call-" + i, "main",
                        "menu", null, null, null, null, null, "node-a"), JournalEvent.of(t0.plusSeconds(i), Type.CALL_ENDED,
                        "call-" + i, "main", "menu", null, null, 1_000L, null, null, "node-a")));
                c.commit();
            }
            summary = summary.withRules(KpiRules.DEFAULT, Duration.ofDays(1)); // other rules: the same database
        }
        assertThat(rows()).containsExactly("menu", "CALL_ENDED", "menu", "CALL_ENDED", "menu", "CALL_ENDED");
        assertThat(flaky.metaData.get()).isZero();
    }

    private JournalEvent event(int second, Type type, String queue, String agent, Long ms, String node) {
        return JournalEvent.of(t0.plusSeconds(second), type, "call-2", "main", node, queue, agent, ms, null, null, "node-a");
    }

    /** The rows in the order the database took them: a node event by its node, the others by their type. */
    private List<String> rows() {
        return ordered("seq");
    }

    private List<String> ordered(String by) {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select event_type, flow_node from journal_all order by " + by)) {
            while (rs.next()) {
                out.add("CALL_NODE".equals(rs.getString(1)) ? rs.getString(2) : rs.getString(1));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private long count() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from journal_all")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
