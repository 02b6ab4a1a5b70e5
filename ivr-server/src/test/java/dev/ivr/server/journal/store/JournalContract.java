package dev.ivr.server.journal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.outbox.Outbox;
import dev.ivr.testsupport.TcpProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on a real database behind a proxy that can cut it: nothing lost, nothing duplicated. */
abstract class JournalContract {
    /** A database reachable over TCP, so that a proxy can stand between the journal and it. */
    interface Served extends AutoCloseable {
        int port();

        String url(int port);

        String user();

        @Override
        void close();
    }

    protected abstract Served serve(Path dir) throws Exception;

    @TempDir
    Path tmp;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Instant t0 = Instant.parse("2026-03-02T09:00:00Z");

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private JdbcJournal journal(Database db) {
        return new JdbcJournal(db.dataSource(), db.dialect(), db::isReady, tmp.resolve("journal-outbox"), Duration.ofMillis(50),
                new SimpleMeterRegistry());
    }

    private JournalEvent event(int second, Type type, String call, String queue, String agent, Long ms, String detail) {
        return JournalEvent.of(t0.plusSeconds(second), type, call, "main", "n" + second, queue, agent, ms, detail, null,
                "node-a");
    }

    @Test
    void aDatabaseCutMidCallLosesNoEventAndDuplicatesNone() throws Exception {
        Served served = serve(tmp.resolve("served"));
        toClose.add(served);
        TcpProxy proxy = new TcpProxy(served.port());
        toClose.add(proxy);
        Database db = Database.open(new DatabaseConfig(served.url(proxy.port()), served.user(), "", 5, 2,
                Duration.ofMillis(500)), tmp.resolve("data"));
        toClose.add(db);
        assertThat(db.awaitReady(Duration.ofSeconds(30))).as(db.health().detail()).isTrue();

        List<JournalEvent> emitted = new ArrayList<>();
        JdbcJournal journal = journal(db);
        List<JournalEvent> heard = new ArrayList<>();
        journal.subscribe(heard::add);
        // the first half of the call reaches the database
        for (JournalEvent e : List.of(event(0, Type.CALL_ENTERED, "c1", null, null, null, null),
                event(1, Type.CALL_NODE, "c1", null, null, null, null),
                event(2, Type.CALL_IDENTIFIED, "c1", null, null, null, "IDENTIFIED"),
                event(3, Type.AGENT_SIGNED_IN, null, null, "a1", null, "NOT_READY"))) {
            journal.emit(e);
            emitted.add(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> journal.pending() == 0);
        assertThat(rows(db)).isEqualTo(4);

        // the database goes away in the middle of the call; the call goes on and its events are kept
        proxy.cut();
        List<JournalEvent> during = List.of(event(4, Type.CALL_QUEUED, "c1", "billing", null, null, "priority 0"),
                event(5, Type.CALL_OFFERED, "c1", "billing", "a1", null, "offer 1"),
                event(9, Type.CALL_ANSWERED, "c1", "billing", "a1", 5000L, null),
                event(9, Type.AGENT_STATE, "c1", null, "a1", null, "ON_CALL"),
                event(60, Type.CALL_ENDED, "c1", "billing", "a1", 60_000L, "ROUTED"),
                event(61, Type.AGENT_WRAP_UP, "c1", null, "a1", null, "WRAP_UP"));
        for (JournalEvent e : during) {
            journal.emit(e);
            emitted.add(e);
        }
        assertThat(heard).containsExactlyElementsOf(emitted);
        Thread.sleep(300); // the flusher tries (and fails) a few times
        assertThat(journal.pending()).isEqualTo(6);

        // the server restarts during the outage: the events are on disk
        journal.close();
        JdbcJournal restarted = journal(db);
        toClose.add(restarted);
        assertThat(restarted.pending()).isEqualTo(6);
        JournalEvent after = event(62, Type.AGENT_STATE, null, null, "a1", null, "READY");
        restarted.emit(after);
        emitted.add(after);

        proxy.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> restarted.pending() == 0);
        assertThat(ids(db)).containsExactlyElementsOf(emitted.stream().map(JournalEvent::id).toList());

        // a segment written to the database but not deleted (a crash in between) is replayed: nothing doubles
        try (Outbox<JournalEvent> replay = new JournalOutbox(tmp.resolve("journal-outbox"))) {
            for (JournalEvent e : emitted) {
                replay.append(e);
            }
        }
        JdbcJournal again = journal(db);
        toClose.add(again);
        await().atMost(Duration.ofSeconds(30)).until(() -> again.pending() == 0);
        assertThat(ids(db)).containsExactlyElementsOf(emitted.stream().map(JournalEvent::id).toList());
        assertThat(columns(db, emitted.get(6).id())).isEqualTo("CALL_ANSWERED|c1|billing|a1|5000|2026-03-02");
        // the queue summary counted each event once, as summing all of them again gives
        List<String> summary = SummaryRows.of(db.dataSource());
        assertThat(summary).containsExactly(JournalSummary.quarter(t0) + "|billing|1|1|1|0|0|0|0|5000|5000|1|5000|1|52000|1000|0|0|0|0");
        assertThat(SummaryRows.rebuilt(db.dataSource(), new JournalSummary(db.dialect(), dev.ivr.server.journal.kpi.KpiRules.DEFAULT,
                Duration.ofDays(7)))).isEqualTo(summary);
    }

    private static long rows(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from journal_all")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The event ids in the order the database took them. */
    private static List<String> ids(Database db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select event_id from journal_all order by seq")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String columns(Database db, String id) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select event_type, call_id, queue, agent_id, duration_ms, event_day"
                     + " from journal_all where event_id = '" + id + "'")) {
            rs.next();
            return rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4) + "|"
                    + rs.getLong(5) + "|" + rs.getString(6);
        }
    }
}
