package dev.ivr.server.journal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.KpiCalculator;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.kpi.ScriptedDay;
import dev.ivr.testsupport.Threads;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live window on the real journal (H2): what it keeps of each event is what the calculator reads, and its figures
 * are those of the whole events, read in several refreshes.
 */
class LiveKpisTest {
    private static final KpiRules RULES = new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5));
    private static final List<JournalEvent> DAY = ScriptedDay.events();
    private static final int THIRD = DAY.size() / 3;
    /**
     * The scripted hour with what every call also writes: its entry, node events (one of them 09:59:59, of the call
     * queued at 10:00, after the window) and its end, none with a queue, for calls queued and not (c7, c10).
     */
    private static final List<JournalEvent> WITH_CALLS = withCallEvents();

    @TempDir
    Path tmp;

    private static List<JournalEvent> withCallEvents() {
        List<JournalEvent> all = new ArrayList<>(DAY);
        java.util.Map<String, Instant> first = new java.util.TreeMap<>();
        DAY.stream().filter(e -> e.callId() != null).forEach(e -> first.merge(e.callId(), e.at(), (a, b) -> a.isBefore(b) ? a : b));
        first.put("c10", ScriptedDay.FROM.plusSeconds(600));
        first.forEach((call, at) -> {
            Instant in = at.minusSeconds(20);
            all.add(JournalEvent.of(in, JournalEvent.Type.CALL_ENTERED, call, "main", null, null, null, null, null, null, "n1"));
            for (int i = 1; i <= 6; i++) {
                Instant t = "c9".equals(call) ? at.minusSeconds(7 - i) : in.plusSeconds(2L * i);
                all.add(JournalEvent.of(t, JournalEvent.Type.CALL_NODE, call, "main", "node-" + i, null, null, null, null,
                        null, "n1"));
            }
            Instant end = at.plusSeconds(30);
            if (end.isBefore(ScriptedDay.TO)) {
                all.add(JournalEvent.of(end, JournalEvent.Type.CALL_ENDED, call, "main", null, null, null, 30_000L,
                        "self-served", null, "n1"));
            }
        });
        all.sort(java.util.Comparator.comparing(JournalEvent::at));
        return all;
    }

    /** The journal, the live window over it (a fixed clock at the scripted day's end) and their database. */
    private record Live(Database db, JdbcJournal journal, LiveKpis kpis, List<JournalEvent> day) {
        void emit(int from, int to) throws Exception {
            journal.emitAll(new ArrayList<>(day.subList(from, to)));
            assertThat(journal.flush()).isTrue();
        }

        long maxSeq() throws Exception {
            try (var c = db.dataSource().getConnection(); var st = c.createStatement();
                 var rs = st.executeQuery("select max(seq) from journal_all")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        /** Runs the statements; together they changed some row. */
        void update(String... sqls) throws Exception {
            try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
                int n = 0;
                for (String sql : sqls) {
                    n += st.executeUpdate(sql);
                }
                assertThat(n).isPositive();
            }
        }
    }

    @FunctionalInterface
    private interface WithLive {
        void run(Live live) throws Exception;
    }

    private void withLive(WithLive test) throws Exception {
        withLive(DAY, test);
    }

    private void withLive(List<JournalEvent> day, WithLive test) throws Exception {
        try (Database db = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), tmp.resolve("data"))) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
            JdbcJournal journal = new JdbcJournal(db.dataSource(), db.dialect(), db::isReady, tmp.resolve("outbox"), Duration.ofHours(1),
                    new SimpleMeterRegistry());
            try (journal; LiveKpis kpis = new LiveKpis(new JournalReader(db.dataSource()), RULES, Duration.ofHours(1),
                    Duration.ofHours(1), Clock.fixed(ScriptedDay.TO, ZoneOffset.UTC), new SimpleMeterRegistry())) {
                test.run(new Live(db, journal, kpis, day));
                assertThat(kpis.current()).isEqualTo(new KpiCalculator(RULES).compute(day, ScriptedDay.FROM, ScriptedDay.TO));
                assertThat(kpis.current().queues()).containsKeys("billing", "sales");
            }
        }
    }

    @Test
    void theFiguresOfTheEventsKeptAreThoseOfTheWholeEvents() throws Exception {
        withLive(live -> {
            // both loops compute (an H2 commit, a KPI read): on a virtual thread they would hold the calls' virtual
            // threads off the carrier until they park, so they run on platform threads (docs/architecture.md)
            assertThat(List.of("journal-outbox", "journal-kpis"))
                    .allSatisfy(name -> assertThat(Threads.platformNamed(name)).as(name).isNotEmpty());
            // the events arrive in three parts, each read by its own refresh
            for (int from : new int[] {0, THIRD, 2 * THIRD}) {
                live.emit(from, from == 2 * THIRD ? DAY.size() : from + THIRD);
                live.kpis().refresh();
            }
        });
    }

    @Test
    void rowsThatCommitOutOfSequenceOrderAreCountedOnceEach() throws Exception {
        withLive(live -> {
            live.emit(0, THIRD);
            live.kpis().refresh();
            long read = live.maxSeq();
            // the second part gets its numbers first but "commits" after the third part was read, as a slower
            // server's transaction does: hidden (negative numbers) until then
            live.emit(THIRD, 2 * THIRD);
            live.update("update journal_events set seq = -seq where seq > " + read,
                    "update journal_nodes set seq = -seq where seq > " + read);
            live.emit(2 * THIRD, DAY.size());
            live.kpis().refresh();
            live.update("update journal_events set seq = -seq where seq < 0",
                    "update journal_nodes set seq = -seq where seq < 0");
            assertThat(live.maxSeq() - read).isLessThan(JournalCursor.OVERLAP);
            live.kpis().refresh();
            live.kpis().refresh(); // a refresh with nothing new counts nothing again
        });
    }

    @Test
    void aCallsEntryNodesAndEndAreNotKeptAndTheFiguresAreThoseOfTheWholeEvents() throws Exception {
        withLive(WITH_CALLS, live -> {
            int third = WITH_CALLS.size() / 3;
            for (int from : new int[] {0, third, 2 * third}) {
                live.emit(from, from == 2 * third ? WITH_CALLS.size() : from + third);
                live.kpis().refresh();
            }
            // what the window holds: the scripted hour's queue and agent events (and the next hour's queued call)
            assertThat(live.kpis().held()).isEqualTo(DAY.size());
            assertThat(WITH_CALLS.size() - DAY.size()).isGreaterThan(DAY.size());
            try (var c = live.db().dataSource().getConnection(); var st = c.createStatement();
                 var rs = st.executeQuery("select count(*) from journal_nodes")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(WITH_CALLS.stream().filter(e -> e.type() == JournalEvent.Type.CALL_NODE).count());
            }
        });
    }
}
