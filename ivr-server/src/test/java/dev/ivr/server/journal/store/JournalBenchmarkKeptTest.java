package dev.ivr.server.journal.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code JournalBenchmark --db-dir}: a kept database is reused only for what it was generated for. */
class JournalBenchmarkKeptTest {
    private static final Instant FIRST = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir
    Path dir;

    private static JournalBenchmark.Options options(String... more) {
        String[] base = {"--db", "h2", "--write-seconds", "0", "--db-dir", "/tmp/unused"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return JournalBenchmark.parse(all);
    }

    private void write(Properties p) throws Exception {
        try (var out = Files.newBufferedWriter(dir.resolve(JournalBenchmark.KEPT))) {
            p.store(out, null);
        }
    }

    @Test
    void anEmptyDirectoryGetsWhatIsAskedToGenerate() throws Exception {
        Properties p = JournalBenchmark.kept(options("--events", "1000000", "--days", "30"), dir, FIRST);

        assertThat(p.getProperty("events")).isEqualTo("1000000");
        assertThat(p.getProperty("days")).isEqualTo("30");
        assertThat(p.getProperty("seed")).isEqualTo("20260302");
        assertThat(p.getProperty("status")).isNull();
    }

    @Test
    void aFinishedDatabaseForTheSameValuesIsReused() throws Exception {
        Properties p = JournalBenchmark.kept(options("--events", "1000000"), dir, FIRST);
        p.setProperty("status", "ready");
        p.setProperty("loaded", "990000");
        write(p);

        assertThat(JournalBenchmark.kept(options("--events", "1000000"), dir, FIRST).getProperty("loaded"))
                .isEqualTo("990000");
    }

    @Test
    void otherEventsDaysOrSeedAreRefusedNamingWhatDiffers() throws Exception {
        Properties p = JournalBenchmark.kept(options("--events", "1000000"), dir, FIRST);
        p.setProperty("status", "ready");
        write(p);

        assertThatThrownBy(() -> JournalBenchmark.kept(options("--events", "10000000"), dir, FIRST))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("events 1000000 there, 10000000 asked");
        assertThatThrownBy(() -> JournalBenchmark.kept(options("--events", "1000000", "--days", "7"), dir, FIRST))
                .hasMessageContaining("days 30 there, 7 asked");
        assertThatThrownBy(() -> JournalBenchmark.kept(options("--events", "1000000", "--seed", "5"), dir, FIRST))
                .hasMessageContaining("seed 20260302 there, 5 asked");
    }

    @Test
    void anUnfinishedGenerationIsRefused() throws Exception {
        Properties p = JournalBenchmark.kept(options(), dir, FIRST);
        p.setProperty("status", "loading");
        write(p);

        assertThatThrownBy(() -> JournalBenchmark.kept(options(), dir, FIRST))
                .hasMessageContaining("not fully generated");
    }

    @Test
    void aDirectoryWithOtherFilesIsRefused() throws Exception {
        Files.writeString(dir.resolve("ivr.mv.db"), "x");

        assertThatThrownBy(() -> JournalBenchmark.kept(options(), dir, FIRST))
                .hasMessageContaining("not a database this benchmark kept");
    }

    @Test
    void postgresAndWriteRunsAreRefusedWithAKeptDatabase() {
        assertThatThrownBy(() -> JournalBenchmark.parse(new String[] {"--db", "h2,postgres", "--write-seconds", "0",
            "--db-dir", "/tmp/x"})).hasMessageContaining("H2 database only");
        assertThatThrownBy(() -> JournalBenchmark.parse(new String[] {"--db", "h2", "--db-dir", "/tmp/x"}))
                .hasMessageContaining("--write-seconds 0");
    }
}
