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
        assertThatThrownBy(() -> Dialect.ofUrl("jdbc:mysql://db/ivr?password=secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("H2").hasMessageContaining("PostgreSQL").hasMessageNotContaining("secret");
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
