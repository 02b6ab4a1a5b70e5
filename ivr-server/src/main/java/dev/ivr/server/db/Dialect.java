package dev.ivr.server.db;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.config.Redaction;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * The two databases ivr runs on, for the few statements that differ between them. Decided once: by {@link Database}
 * from its JDBC URL ({@link Database#dialect()}, no connection needed, so also while the database is down) and handed
 * to the journal and the reports; by a Flyway Java migration from its connection ({@link #of(Connection)}).
 */
public enum Dialect {
    /** H2: the default embedded file database (in {@code MODE=PostgreSQL}), or an H2 database the URL names. */
    H2("H2"),
    POSTGRESQL("PostgreSQL");

    private final String product;

    Dialect(String product) {
        this.product = product;
    }

    /** The name the database's JDBC driver gives itself ({@code DatabaseMetaData.getDatabaseProductName}). */
    public String product() {
        return product;
    }

    /**
     * The dialect of a JDBC URL, by the test the configuration's check uses ({@link DatabaseConfig#isH2Url}: in lower
     * case, as the drivers take it); IllegalArgumentException for another database, naming only its scheme.
     */
    public static Dialect ofUrl(String url) {
        if (DatabaseConfig.isH2Url(url)) {
            return H2;
        }
        if (DatabaseConfig.isPostgresqlUrl(url)) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("ivr runs on H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql:...), not on "
                + Redaction.scheme(url));
    }

    /** The dialect of the database {@code c} is connected to, by its product name; SQLException for another database. */
    public static Dialect of(Connection c) throws SQLException {
        String name = c.getMetaData().getDatabaseProductName();
        for (Dialect d : values()) {
            if (d.product.equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new SQLFeatureNotSupportedException("ivr runs on H2 or PostgreSQL, not on " + name);
    }
}
