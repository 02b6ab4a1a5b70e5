import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * jr20: how long V170 takes on an existing H2 journal. "fill DIR CALLS" (with a jar before V170): the server's default
 * database in DIR, CALLS calls of 9 rows (CallEventPlanProbe's); "open DIR" (with this branch's jar): the time to open
 * and migrate it, and the table's constraints and indexes after.
 * Run: java -cp "JAR:ivr-server/target/lib/*:test-support/target/test-support-0.1.0-SNAPSHOT.jar"
 *   docs/benchmarks/r20-jr20/MigrationTimeProbe.java fill|open DIR [CALLS]   (JDK 22+: the launcher compiles CallEventPlanProbe.java beside it)
 */
public class MigrationTimeProbe {
    public static void main(String[] a) throws Exception {
        Path dir = Path.of(a[1]);
        DatabaseConfig cfg = new DatabaseConfig("", "sa", "", 4, 1, Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        try (Database db = Database.open(cfg, dir)) {
            if (!db.awaitReady(Duration.ofMinutes(30))) {
                throw new IllegalStateException("not ready");
            }
            System.out.printf("open and migrate: %.1f s%n", (System.nanoTime() - t0) / 1e9);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                if (a[0].equals("fill")) {
                    c.setAutoCommit(false);
                    CallEventPlanProbe.write(c, Integer.parseInt(a[2]));
                }
                try (ResultSet rs = s.executeQuery("select count(*) from journal_events")) {
                    rs.next();
                    System.out.println("rows: " + rs.getLong(1));
                }
                try (ResultSet rs = s.executeQuery("select index_name, (select listagg(column_name, ', ') within group (order by ordinal_position)"
                        + " from information_schema.index_columns ic where ic.index_name = i.index_name and ic.table_name = i.table_name), index_type_name"
                        + " from information_schema.indexes i where table_name = 'journal_events' order by 1")) {
                    while (rs.next()) {
                        System.out.println("  " + rs.getString(1) + " (" + rs.getString(2) + ") " + rs.getString(3));
                    }
                }
            }
        }
    }
}
