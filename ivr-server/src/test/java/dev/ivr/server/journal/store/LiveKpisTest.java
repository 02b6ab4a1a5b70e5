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
}
