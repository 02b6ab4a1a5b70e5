package dev.ivr.server.journal.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.KpiCalculator;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.kpi.ScriptedDay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
    @TempDir
    Path tmp;

    @Test
    void theFiguresOfTheEventsKeptAreThoseOfTheWholeEvents() throws Exception {
        KpiRules rules = new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5));
        List<JournalEvent> day = ScriptedDay.events();
        try (Database db = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), tmp.resolve("data"))) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
            JdbcJournal journal = new JdbcJournal(db.dataSource(), db::isReady, tmp.resolve("outbox"), Duration.ofHours(1),
                    new SimpleMeterRegistry());
            try (journal; LiveKpis live = new LiveKpis(new JournalReader(db.dataSource()), rules, Duration.ofHours(1),
                    Duration.ofHours(1), Clock.fixed(ScriptedDay.TO, ZoneOffset.UTC), new SimpleMeterRegistry())) {
                // the events arrive in three parts, each read by its own refresh
                int third = day.size() / 3;
                List<List<JournalEvent>> parts = List.of(day.subList(0, third), day.subList(third, 2 * third),
                        day.subList(2 * third, day.size()));
                for (List<JournalEvent> part : parts) {
                    journal.emitAll(new ArrayList<>(part));
                    assertThat(journal.flush()).isTrue();
                    live.refresh();
                }
                assertThat(live.current()).isEqualTo(new KpiCalculator(rules).compute(day, ScriptedDay.FROM, ScriptedDay.TO));
                assertThat(live.current().queues()).containsKeys("billing", "sales");
            }
        }
    }

    @Test
    void rowsThatCommitOutOfSequenceOrderAreCountedOnceEach() throws Exception {
        KpiRules rules = new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5));
        List<JournalEvent> day = ScriptedDay.events();
        try (Database db = Database.open(new DatabaseConfig("", "sa", "", 3, 2, Duration.ofMillis(500)), tmp.resolve("data"))) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
            JdbcJournal journal = new JdbcJournal(db.dataSource(), db::isReady, tmp.resolve("outbox"), Duration.ofHours(1),
                    new SimpleMeterRegistry());
            try (journal; LiveKpis live = new LiveKpis(new JournalReader(db.dataSource()), rules, Duration.ofHours(1),
                    Duration.ofHours(1), Clock.fixed(ScriptedDay.TO, ZoneOffset.UTC), new SimpleMeterRegistry())) {
                int third = day.size() / 3;
                journal.emitAll(new ArrayList<>(day.subList(0, third)));
                assertThat(journal.flush()).isTrue();
                live.refresh();
                long read = maxSeq(db);
                // the second part gets its numbers first but "commits" after the third part was read, as a slower
                // server's transaction does: hidden (negative numbers) until then
                journal.emitAll(new ArrayList<>(day.subList(third, 2 * third)));
                assertThat(journal.flush()).isTrue();
                update(db, "update journal_events set seq = -seq where seq > " + read);
                journal.emitAll(new ArrayList<>(day.subList(2 * third, day.size())));
                assertThat(journal.flush()).isTrue();
                live.refresh();
                update(db, "update journal_events set seq = -seq where seq < 0");
                assertThat(maxSeq(db) - read).isLessThan(LiveKpis.OVERLAP);
                live.refresh();
                live.refresh(); // a refresh with nothing new counts nothing again
                assertThat(live.current()).isEqualTo(new KpiCalculator(rules).compute(day, ScriptedDay.FROM, ScriptedDay.TO));
            }
        }
    }

    private static long maxSeq(Database db) throws Exception {
        try (var c = db.dataSource().getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("select max(seq) from journal_events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void update(Database db, String sql) throws Exception {
        try (var c = db.dataSource().getConnection(); var st = c.createStatement()) {
            assertThat(st.executeUpdate(sql)).isPositive();
        }
    }
}
