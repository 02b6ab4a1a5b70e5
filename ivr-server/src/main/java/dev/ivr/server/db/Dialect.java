package dev.ivr.server.db;

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
    H2("H2", "jdbc:h2:"),
    POSTGRESQL("PostgreSQL", "jdbc:postgresql:");

    private final String product;
    private final String urlPrefix;

    Dialect(String product, String urlPrefix) {
        this.product = product;
        this.urlPrefix = urlPrefix;
    }

    /** The name the database's JDBC driver gives itself ({@code DatabaseMetaData.getDatabaseProductName}). */
    public String product() {
        return product;
    }

    /** The dialect of a JDBC URL; IllegalArgumentException for another database. */
    public static Dialect ofUrl(String url) {
        for (Dialect d : values()) {
            if (url.regionMatches(true, 0, d.urlPrefix, 0, d.urlPrefix.length())) {
                return d;
            }
        }
        throw new IllegalArgumentException("ivr runs on H2 (jdbc:h2:...) or PostgreSQL (jdbc:postgresql:...), not on "
                + Database.redact(url));
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
