package dev.ivr.server.db;

import dev.ivr.server.config.DatabaseConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Which URL the server opens: H2's result reuse is off on every H2 URL (see {@link Database#effectiveUrl}). */
class DatabaseUrlTest {
    private static DatabaseConfig config(String url) {
        return new DatabaseConfig(url, "sa", "", 5, 2, Duration.ofMillis(500));
    }

    @Test
    void theDefaultFileDatabaseDoesNotReuseResults() {
        assertThat(Database.effectiveUrl(config(""), Path.of("/var/lib/ivr")))
                .startsWith("jdbc:h2:durable:/var/lib/ivr/db/ivr;MODE=PostgreSQL")
                .contains(";WRITE_DELAY=0")
                .endsWith(";OPTIMIZE_REUSE_RESULTS=0");
    }

    @Test
    void theDefaultFileDatabaseKeepsMoreParsedStatementsThanH2s8(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Database db = Database.open(config(""), dir);
        try (var c = db.dataSource().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select setting_value from information_schema.settings"
                     + " where setting_name = 'QUERY_CACHE_SIZE'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(String.valueOf(Database.QUERY_CACHE));
            assertThat(Database.QUERY_CACHE).isGreaterThan(8);
        } finally {
            db.close();
        }
    }

    @Test
    void anOperatorsH2UrlGetsItUnlessItSaysOtherwise() {
        assertThat(Database.effectiveUrl(config("jdbc:h2:file:/srv/ivr;MODE=PostgreSQL"), Path.of("/x")))
                .isEqualTo("jdbc:h2:file:/srv/ivr;MODE=PostgreSQL;OPTIMIZE_REUSE_RESULTS=0");
        assertThat(Database.effectiveUrl(config("jdbc:h2:mem:t;optimize_reuse_results=1"), Path.of("/x")))
                .isEqualTo("jdbc:h2:mem:t;optimize_reuse_results=1");
    }

    @Test
    void otherDatabasesAreLeftAlone() {
        assertThat(Database.effectiveUrl(config("jdbc:postgresql://db:5432/ivr"), Path.of("/x")))
                .isEqualTo("jdbc:postgresql://db:5432/ivr");
    }

    @Test
    void anUnreachableDatabaseIsReportedWithoutTheUrlsPassword() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once it is closed
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/ivr?password=s3cret&connectTimeout=1";
        try (Database db = Database.open(new DatabaseConfig(url, "ivr", "s3cret", 1, 1, Duration.ofMillis(250)),
                Path.of("/x"))) {
            assertThat(db.isReady()).isFalse();
            assertThat(db.health().detail()).isNotBlank().doesNotContain("s3cret");
        }
    }

    @Test
    void anotherDatabaseIsRefusedByItsSchemeAlone() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Database.effectiveUrl(
                        config("jdbc:mysql://root:s3cret@db/ivr?password=s3cret"), Path.of("/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("not on jdbc:mysql:...");
    }
}
