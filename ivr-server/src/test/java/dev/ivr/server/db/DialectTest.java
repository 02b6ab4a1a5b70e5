package dev.ivr.server.db;

import dev.ivr.server.config.DatabaseConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DialectTest {
    @Test
    void theUrlTellsTheDialectAndAnotherDatabaseIsRefused() {
        assertThat(Dialect.ofUrl("jdbc:h2:durable:/var/lib/ivr/db/ivr;MODE=PostgreSQL")).isEqualTo(Dialect.H2);
        assertThat(Dialect.ofUrl("jdbc:h2:tcp://db:9092/ivr")).isEqualTo(Dialect.H2);
        assertThat(Dialect.ofUrl("jdbc:postgresql://db:5432/ivr")).isEqualTo(Dialect.POSTGRESQL);
        assertThatThrownBy(() -> Dialect.ofUrl("jdbc:mysql://root:s3cret@db/ivr?password=s3cret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ivr runs on H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql:...), not on jdbc:mysql:...");
    }

    @Test
    void theUrlsCaseIsTheDriversAndTheConfigurationsRule() {
        // the drivers take jdbc:h2: and jdbc:postgresql: in lower case only, and so does database.url's check
        assertThatThrownBy(() -> Dialect.ofUrl("JDBC:H2:mem:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dialect.ofUrl("jdbc:PostgreSQL://db/ivr")).isInstanceOf(IllegalArgumentException.class);
        for (String url : java.util.List.of("jdbc:h2:mem:x", "JDBC:H2:mem:x", "jdbc:postgresql://db/ivr", "jdbc:PostgreSQL://db/ivr",
                "jdbc:mysql://db/ivr")) {
            dev.ivr.server.config.Problems p = new dev.ivr.server.config.Problems();
            new DatabaseConfig(url, "sa", "", 1, 1, Duration.ofSeconds(1)).validate(p);
            boolean dialect;
            try {
                Dialect.ofUrl(url);
                dialect = true;
            } catch (IllegalArgumentException e) {
                dialect = false;
            }
            assertThat(p.lines().isEmpty()).as(url).isEqualTo(dialect);
        }
    }

    @Test
    void aConnectionTellsItsDialectByTheProductName() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:dialect;MODE=PostgreSQL")) {
            assertThat(Dialect.of(c)).isEqualTo(Dialect.H2);
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo(Dialect.H2.product());
        }
    }

    @Test
    void theDefaultDatabaseIsH2() {
        String url = Database.effectiveUrl(new DatabaseConfig("", "sa", "", 1, 1, Duration.ofSeconds(1)), Path.of("data"));
        assertThat(Dialect.ofUrl(url)).isEqualTo(Dialect.H2);
    }

    @Test
    void aConnectionToAnotherDatabaseIsRefused() {
        DatabaseMetaData meta = (DatabaseMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (p, m, args) -> "MySQL");
        Connection c = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (p, m, args) -> meta);
        assertThatThrownBy(() -> Dialect.of(c)).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining("MySQL");
    }
}
