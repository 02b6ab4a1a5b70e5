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
 * Issue 16, eleventh round, the index audit of journal_events: the journal JournalBenchmark generates (the same
 * generator and seed, --events over --days), written with the journal writer's own insert (JdbcJournal.INSERT) on the
 * server's H2 database or a throwaway PostgreSQL (test-support's PostgresServer), analyzed; then each statement of a
 * file (one per blank-line-separated block, parameters already replaced by literals: the statements PostgreSQL logged
 * while JournalBenchmark ran every reader, see docs/benchmarks.md) under EXPLAIN ANALYZE, printed with the
 * journal_events indexes the database chose and what it read (load-independent: H2's scanCount summed over the plan,
 * rows read; PostgreSQL's buffers of the plan's top node, pages). Arguments: events, days, the statements file, a
 * comma-separated list of indexes to drop before explaining ("-" = none), and h2 or postgres.
 * Run (package dev.ivr.server.journal.store: compile against the classes and test classes):
 * java -cp "OUT:classes:test-classes:DEPS" dev.ivr.server.journal.store.ExplainProbe 1000000 7 statements.sql - h2
 */
public final class ExplainProbe {
    private static final Pattern INDEX = Pattern.compile("(?i)(JOURNAL_EVENTS_[A-Z_]+|PRIMARY_KEY_[0-9A-F]+|tableScan|Seq Scan on journal_events\\b|journal_events_pkey)");
    private static final Pattern SCANS = Pattern.compile("scanCount: (\\d+)");
    private static final Pattern BUFFERS = Pattern.compile("Buffers: shared(?: hit=(\\d+))?(?: read=(\\d+))?");

    public static void main(String[] a) throws Exception {
        long events = Long.parseLong(a[0]);
        int days = Integer.parseInt(a[1]);
        List<String> statements = new ArrayList<>();
        for (String block : Files.readString(Path.of(a[2])).split("\n\\s*\n")) {
            if (!block.isBlank() && !block.strip().lines().allMatch(l -> l.startsWith("--"))) { // not a comment alone
                statements.add(block.strip());
            }
        }
        String drop = a.length > 3 ? a[3] : "-";
        boolean postgres = a.length > 4 && a[4].equals("postgres");
        Path dir = Files.createTempDirectory("explainprobe");
        String url;
        String user;
        if (postgres) {
            url = dev.ivr.testsupport.PostgresServer.get().newDatabase() + "?reWriteBatchedInserts=true";
            user = dev.ivr.testsupport.PostgresServer.USER;
        } else {
            DatabaseConfig served = new DatabaseConfig("", "sa", "", 4, 1, Duration.ofSeconds(10));
            url = Database.effectiveUrl(served, dir).replace("jdbc:h2:durable:", "jdbc:h2:file:").replace(";WRITE_DELAY=0", "");
            user = "sa";
        }
        try (Database db = Database.open(new DatabaseConfig(url, user, "", 4, 1, Duration.ofSeconds(10)), dir)) {
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
                    try (ResultSet rs = st.executeQuery((postgres ? "explain (analyze, buffers) " : "explain analyze ") + sql)) {
                        while (rs.next()) {
                            plan.append(rs.getString(1)).append('\n');
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
                    Matcher s = (postgres ? BUFFERS : SCANS).matcher(plan);
                    while (s.find()) {
                        scans += (s.group(1) == null ? 0 : Long.parseLong(s.group(1)))
                                + (postgres && s.group(2) != null ? Long.parseLong(s.group(2)) : 0);
                        if (postgres) {
                            break; // the top node's buffers include its children's
                        }
                    }
                    System.out.printf("#%d indexes %s, %s %,d%n  %s%n  PLAN %s%n%n", i, used,
                            postgres ? "buffers (top node)" : "scanCount sum", scans,
                            sql.replace('\n', ' '), plan.toString().replace('\n', ' '));
                }
            }
        }
    }
}
