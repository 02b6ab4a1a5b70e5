package dev.ivr.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.ScriptedDay;
import dev.ivr.server.journal.store.JdbcJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ivr-server report}: the journal of a (stopped) server's H2 database as a table and as CSV. */
@Tag("integration")
class ReportCliIT {
    @TempDir
    Path dir;
    @RegisterExtension
    final CliRunner cli = new CliRunner();

    @Test
    void queuesPerHalfHourAsCsvAndAsATable() throws Exception {
        Path config = dir.resolve("ivr.yaml");
        Files.writeString(config, "node:\n  data-dir: %s\n".formatted(dir.resolve("data")));
        IvrConfig cfg = ConfigLoader.load(config, Map.of());
        try (Database db = Database.open(cfg.database(), cfg.dataDir())) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
            try (JdbcJournal journal = new JdbcJournal(db.dataSource(), db.dialect(), db::isReady, dir.resolve("outbox"),
                    Duration.ofMillis(50), new SimpleMeterRegistry())) {
                for (JournalEvent e : ScriptedDay.events()) {
                    journal.emit(e);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> journal.pending() == 0);
            }
        }
        assertThat(cli.run("report", "queues", "-c", config.toString(), "--from", "2026-03-02T09:00:00Z",
                "--to", "2026-03-02T10:00:00Z", "--interval", "30m", "--format", "csv")).as(cli.err()).isZero();
        assertThat(cli.out().split("\r\n")).hasSize(7).contains(
                "2026-03-02T09:00:00Z,2026-03-02T09:30:00Z,billing,3,1,1,2,1,0,0,50.0,50.0,15.0,19.3,40.0,300.0,1,0,,0,0,");
        assertThat(cli.run("report", "agents", "-c", config.toString(), "--from", "2026-03-02T09:00:00Z",
                "--to", "2026-03-02T10:00:00Z")).isZero();
        assertThat(cli.out()).startsWith("interval_start").contains(" a1 ", " a2 ");
        assertThat(cli.run("report", "queues", "-c", config.toString(), "--from", "soon")).isEqualTo(2);
        assertThat(cli.err()).contains("from must be a date");
        assertThat(cli.run("report", "calls", "-c", config.toString(), "--from", "2026-03-02")).isEqualTo(2);
    }

    @Test
    void campaignsPerHourAsCsvAndATable() throws Exception {
        Path config = dir.resolve("ivr.yaml");
        Files.writeString(config, "node:\n  data-dir: %s\n".formatted(dir.resolve("data")));
        IvrConfig cfg = ConfigLoader.load(config, Map.of());
        try (Database db = Database.open(cfg.database(), cfg.dataDir())) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
            dev.ivr.server.journal.kpi.ScriptedCampaigns.write(db.dataSource());
            try (JdbcJournal journal = new JdbcJournal(db.dataSource(), db.dialect(), db::isReady, dir.resolve("outbox"),
                    Duration.ofMillis(50), new SimpleMeterRegistry())) {
                for (JournalEvent e : dev.ivr.server.journal.kpi.ScriptedCampaigns.agentEvents()) {
                    journal.emit(e);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> journal.pending() == 0);
            }
        }
        assertThat(cli.run("report", "campaigns", "-c", config.toString(), "--from", "2026-03-02T09:00:00Z",
                "--to", "2026-03-02T11:00:00Z", "--interval", "60m", "--format", "csv")).as(cli.err()).isZero();
        assertThat(cli.out().split("\r\n")).hasSize(6).contains(
                "2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,renewal,9,4,1,1,1,2,1,0,1,3,33.3,1,25.0,2,180.0,210.0,1");
        assertThat(cli.run("report", "campaigns", "-c", config.toString(), "--from", "2026-03-02T09:00:00Z",
                "--to", "2026-03-02T11:00:00Z", "--interval", "all", "--campaign", "reminder")).isZero();
        assertThat(cli.out()).startsWith("interval_start").contains(" reminder ").hasLineCount(2);
    }
}
