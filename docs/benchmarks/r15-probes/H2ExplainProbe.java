package dev.ivr.server.journal.store;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.JournalEvent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 16, eleventh round, the index audit of journal_events on H2: the journal JournalBenchmark generates (the same
 * generator and seed, --events over --days), written with the journal writer's own insert (JdbcJournal.INSERT) on the
 * server's H2 database, analyzed; then each statement of a file (one per blank-line-separated block, parameters
 * already replaced by literals: the statements PostgreSQL logged while JournalBenchmark ran every reader, see
 * docs/benchmarks.md) under EXPLAIN ANALYZE, printed with the indexes H2 chose and the rows it read (scanCount:
 * load-independent). Arguments: events, days, the statements file, and optionally a comma-separated list of indexes
 * to drop before explaining ("-" = none).
 * Run (package dev.ivr.server.journal.store: compile against the classes and test classes):
 * java -cp "OUT:classes:test-classes:DEPS" dev.ivr.server.journal.store.H2ExplainProbe 1000000 7 statements.sql -
 */
public final class H2ExplainProbe {
    private static final Pattern INDEX = Pattern.compile("(?i)(JOURNAL_EVENTS_[A-Z_]+|PRIMARY_KEY_[0-9A-F]+|tableScan)");
    private static final Pattern SCANS = Pattern.compile("scanCount: (\\d+)");

    public static void main(String[] a) throws Exception {
        long events = Long.parseLong(a[0]);
        int days = Integer.parseInt(a[1]);
        List<String> statements = new ArrayList<>();
        for (String block : Files.readString(Path.of(a[2])).split("\n\\s*\n")) {
            if (!block.isBlank()) {
                statements.add(block.strip());
            }
        }
        String drop = a.length > 3 ? a[3] : "-";
        Path dir = Files.createTempDirectory("h2explainprobe");
        DatabaseConfig served = new DatabaseConfig("", "sa", "", 4, 1, Duration.ofSeconds(10));
        String url = Database.effectiveUrl(served, dir).replace("jdbc:h2:durable:", "jdbc:h2:file:").replace(";WRITE_DELAY=0", "");
        try (Database db = Database.open(new DatabaseConfig(url, "sa", "", 4, 1, Duration.ofSeconds(10)), dir)) {
            if (!db.awaitReady(Duration.ofSeconds(120))) {
                throw new IllegalStateException(db.health().detail());
            }
            int agents = (int) Math.max(20, events / days / 11.0 * 0.6 / 60);
            JournalGenerator gen = new JournalGenerator(20_260_302L, agents, Math.max(1000, (int) (events / 40)), 11);
            long t0 = System.nanoTime();
            try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(JdbcJournal.INSERT)) {
                c.setAutoCommit(false);
                long[] n = {0};
                gen.generate(Instant.parse("2026-03-02T00:00:00Z"), days, events, e -> {
                    try {
                        JdbcJournal.bind(ps, e);
                        ps.addBatch();
                        if (++n[0] % 5000 == 0) {
                            ps.executeBatch();
                            c.commit();
                        }
                    } catch (java.sql.SQLException x) {
                        throw new IllegalStateException(x);
                    }
                });
                ps.executeBatch();
                c.commit();
                System.out.printf("loaded %,d events in %.0f s%n", n[0], (System.nanoTime() - t0) / 1e9);
            }
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                if (!drop.equals("-")) {
                    for (String ix : drop.split(",")) {
                        st.execute("drop index " + ix);
                    }
                }
                st.execute("analyze");
                int i = 0;
                for (String sql : statements) {
                    i++;
                    StringBuilder plan = new StringBuilder();
                    try (ResultSet rs = st.executeQuery("explain analyze " + sql)) {
                        while (rs.next()) {
                            plan.append(rs.getString(1));
                        }
                    } catch (java.sql.SQLException x) {
                        plan.append("FAILED: ").append(x.getMessage());
                    }
                    List<String> used = new ArrayList<>();
                    Matcher m = INDEX.matcher(plan);
                    while (m.find()) {
                        used.add(m.group(1).toLowerCase());
                    }
                    long scans = 0;
                    Matcher s = SCANS.matcher(plan);
                    while (s.find()) {
                        scans += Long.parseLong(s.group(1));
                    }
                    System.out.printf("#%d indexes %s, scanCount sum %,d%n  %s%n  PLAN %s%n%n", i, used, scans,
                            sql.replace('\n', ' '), plan.toString().replace('\n', ' '));
                }
            }
        }
    }
}
