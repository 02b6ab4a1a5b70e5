import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * jn21: the journal rows per call a load run left in a (stopped) server's H2 database, without migrating it:
 * rows of journal_events and journal_nodes (if any) and the calls they name.
 * Run: java -cp "ivr-server/target/ivr-server.jar:ivr-server/target/lib/*" docs/benchmarks/r21-jn21/RowsPerCall.java DATA_DIR
 */
public class RowsPerCall {
    public static void main(String[] args) throws Exception {
        var register = dev.ivr.server.db.DurableFilePath.class.getDeclaredMethod("register"); // the server's H2 file system
        register.setAccessible(true);
        register.invoke(null);
        String url = Database.effectiveUrl(new DatabaseConfig("", "sa", "", 1, 1, Duration.ofSeconds(5)), Path.of(args[0]));
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            long calls = one(s, "select count(distinct call_id) from journal_events where call_id is not null");
            long events = one(s, "select count(*) from journal_events");
            long nodesInEvents = one(s, "select count(*) from journal_events where event_type = 'CALL_NODE'");
            long nodes = -1;
            try {
                nodes = one(s, "select count(*) from journal_nodes");
            } catch (java.sql.SQLException none) {
                // main's schema
            }
            System.out.printf("calls %d; journal_events %d rows (%.2f a call, CALL_NODE %.2f); journal_nodes %s%n", calls,
                    events, events / (double) calls, nodesInEvents / (double) calls,
                    nodes < 0 ? "none" : nodes + " rows (" + String.format("%.2f", nodes / (double) calls) + " a call)");
        }
    }

    static long one(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
