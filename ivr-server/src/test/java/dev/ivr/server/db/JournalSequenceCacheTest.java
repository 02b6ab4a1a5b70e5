package dev.ivr.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.config.DatabaseConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V158, V169 and V171 (one sequence, journal_seq, for journal_events and journal_nodes): on the embedded H2
 * database the journal's row numbers are reserved 100,000 at a time (one commit of
 * H2's own per 100,000 events instead of per 32 or 1,000, each a chunk forced to disk), and still handed out in the
 * order the rows are written, whichever connection writes them, and never below a number handed out before a restart.
 */
class JournalSequenceCacheTest {
    @TempDir
    Path tmp;

    @Test
    void theJournalsRowNumbersAreReservedAHundredThousandAtATimeAndStayInWritingOrder() throws Exception {
        DatabaseConfig config = new DatabaseConfig("", "sa", "", 4, 1, Duration.ofMillis(500));
        List<Long> seqs = new ArrayList<>();
        try (Database db = Database.open(config, tmp)) {
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select cache from information_schema.sequences"
                         + " where lower(sequence_name) = 'journal_seq'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(100_000);
            }
            // a Java migration's checksum is none (Flyway does not take it from the body): V158 and V169 sharing
            // their body (JournalSequenceCache) leaves every database's history valid
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select \"version\", \"checksum\", \"success\" from \"flyway_schema_history\""
                         + " where \"version\" in ('158', '169') order by \"installed_rank\"")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getObject(2) + " " + rs.getBoolean(3));
                }
                assertThat(rows).containsExactly("158 null true", "169 null true");
            }
            // two connections taking turns, across more than the first reservation of 32; every third row a node
            // event's in journal_nodes (V171: one sequence numbers both tables)
            try (Connection a = db.dataSource().getConnection(); Connection b = db.dataSource().getConnection()) {
                for (int i = 0; i < 80; i++) {
                    seqs.add(i % 3 == 2 ? insertNode(i % 2 == 0 ? a : b, "e" + i) : insert(i % 2 == 0 ? a : b, "e" + i));
                }
            }
        }
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        try (Database db = Database.open(config, tmp); Connection c = db.dataSource().getConnection()) {
            long after = insert(c, "after-restart");
            assertThat(after).isGreaterThan(seqs.get(seqs.size() - 1));
        }
    }

    @Test
    void aDatabaseAlreadyAtV154IsMigratedWithoutLosingItsRowNumbers() throws Exception {
        DatabaseConfig config = new DatabaseConfig("", "sa", "", 4, 1, Duration.ofMillis(500));
        long before;
        // the installation as the last release left it: migrated by Flyway up to V154 only, with a journal row
        Path old = tmp.resolve("old");
        String url = Database.effectiveUrl(config, old);
        java.nio.file.Files.createDirectories(old.resolve("db"));
        DurableFilePath.register();
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").target("154").load().migrate();
        try (Connection c = java.sql.DriverManager.getConnection(url, "sa", "")) {
            before = insert(c, "at-154");
            try (Statement s = c.createStatement()) {
                s.execute("shutdown");
            }
        }
        try (Database db = Database.open(config, old); Connection c = db.dataSource().getConnection()) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select cache from"
                    + " information_schema.sequences where lower(sequence_name) = 'journal_seq'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(100_000);
            }
            assertThat(insert(c, "at-169")).isGreaterThan(before);
            assertThat(insertNode(c, "node-at-171")).isGreaterThan(before);
        }
    }

    @Test
    void v171RunAgainChangesNothingAndKeepsTheNumbering() throws Exception {
        DatabaseConfig config = new DatabaseConfig("", "sa", "", 4, 1, Duration.ofMillis(500));
        try (Database db = Database.open(config, tmp.resolve("again")); Connection c = db.dataSource().getConnection()) {
            assertThat(db.awaitReady(Duration.ofSeconds(30))).isTrue();
            long a = insert(c, "before-again");
            long b = insertNode(c, "node-before-again");
            new db.migration.V171__journal_nodes().migrate(new org.flywaydb.core.api.migration.Context() {
                @Override
                public org.flywaydb.core.api.configuration.Configuration getConfiguration() {
                    return null;
                }

                @Override
                public Connection getConnection() {
                    return c;
                }
            });
            assertThat(insert(c, "after-again")).isGreaterThan(b);
            assertThat(b).isGreaterThan(a);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select event_type, event_id"
                    + " from journal_all order by seq")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2));
                }
                assertThat(rows).containsExactly("CALL_NODE before-again", "CALL_NODE node-before-again",
                        "CALL_NODE after-again");
            }
        }
    }

    private static long insertNode(Connection c, String id) throws Exception {
        return insert(c, "insert into journal_nodes (event_id, occurred_at, event_day, call_id) values (?, ?, ?, 'c1')", id);
    }

    private static long insert(Connection c, String id) throws Exception {
        return insert(c, "insert into journal_events (event_id, occurred_at, event_day, event_type) values (?, ?, ?,"
                + " 'CALL_NODE')", id);
    }

    /** The row's number. */
    private static long insert(Connection c, String sql, String id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql, new String[] {"seq"})) {
            ps.setString(1, id);
            ps.setTimestamp(2, Timestamp.from(Instant.parse("2026-12-03T20:00:00Z")));
            ps.setObject(3, LocalDate.of(2026, 12, 3));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                return keys.getLong(1);
            }
        }
    }
}
