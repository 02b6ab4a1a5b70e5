package dev.ivr.server.db;

import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/**
 * After a failed statement: a pooled connection that is dead (the database went away) is taken out of the pool,
 * with the others pooled with it, so that the next try gets a fresh one (H2's "database is already closed" is
 * not one HikariCP recognises by itself).
 */
public final class StaleConnections {
    private StaleConnections() {
    }

    /** Evicts {@code c} (and softly its siblings) when {@code failure} says the connection is dead. */
    public static void evictIfDead(DataSource dataSource, Connection c, SQLException failure) {
        if (!(dataSource instanceof HikariDataSource pool)) {
            return;
        }
        boolean dead = failure instanceof SQLNonTransientConnectionException
                || failure instanceof SQLTransientConnectionException || !valid(c);
        if (dead) {
            pool.evictConnection(c);
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private static boolean valid(Connection c) {
        try {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }
}
