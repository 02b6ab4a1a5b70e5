package dev.ivr.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.testsupport.PostgresServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V158 and V169 change nothing on PostgreSQL: a sequence's cache there is per session, and a cache above 1 would let two
 * connections write journal rows numbered far apart out of commit order, past what the webhook tail's overlap covers.
 */
@Tag("integration")
class PostgresJournalSequenceIT {
    @TempDir
    Path tmp;

    @Test
    void theJournalsSequenceKeepsACacheOfOneOnPostgres() throws Exception {
        String url = PostgresServer.get().newDatabase();
        try (Database db = Database.open(new DatabaseConfig(url, PostgresServer.USER, "", 2, 1, Duration.ofSeconds(5)), tmp);
             Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select count(*), min(case when success then 1 else 0 end)"
                    + " from flyway_schema_history where script like '%journal_sequence_cache%'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("V158 and V169 applied").isEqualTo(2);
                assertThat(rs.getInt(2)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("select cache_size from pg_sequences"
                    + " where sequencename = 'journal_seq'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
    }
}
