import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.*;
import java.time.Duration;
import java.util.*;

/**
 * What the opening's CRM look-up by number costs on the setup benchmark's 1,000,000-customer database: the server's
 * query (CustomerRows.customersByPhone) for 20,000 numbers of the database in random order, each on a connection of the
 * pool as the server takes one; bytes the thread allocated and its CPU per look-up, by rounds of 5,000. On a copy of the
 * benchmark's database (the server's default H2 URL; a second argument: a JDBC URL instead, e.g. with CACHE_SIZE).
 * Run: java -Xmx2g -cp "ivr-server/target/ivr-server.jar:ivr-server/target/lib/*" docs/benchmarks/r14s-probes/CrmLookupProbe.java DATA_DIR [URL]
 */
public class CrmLookupProbe {
    public static void main(String[] args) throws Exception {
        Database db = Database.open(new DatabaseConfig(args.length > 1 ? args[1] : "", "sa", "", 3, 2, Duration.ofMillis(500)), Path.of(args[0]));
        while (!db.isReady()) Thread.sleep(100);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select setting_value from information_schema.settings where setting_name = 'CACHE_SIZE'")) {
            while (rs.next()) System.out.println("H2 CACHE_SIZE (KB): " + rs.getString(1) + ", max heap " + Runtime.getRuntime().maxMemory() / 1024 / 1024 + " MB");
        }
        List<String> phones = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select e164 from phone_numbers")) {
            while (rs.next()) phones.add(rs.getString(1));
        }
        Collections.shuffle(phones, new Random(1));
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        String sql = "select c.id, c.first_name, c.last_name, c.language, c.tier, a.attr_name, a.attr_value"
                + " from phone_numbers p join customers c on c.id = p.customer_id"
                + " left join customer_attributes a on a.customer_id = c.id"
                + " where p.e164 = ? order by c.id, a.attr_name";
        int i = 0;
        for (int round = 0; round < 4; round++) {
            long b0 = threads.getThreadAllocatedBytes(me), c0 = threads.getCurrentThreadCpuTime();
            int rows = 0;
            for (int k = 0; k < 5000; k++, i++) {
                try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, phones.get(i));
                    try (ResultSet rs = ps.executeQuery()) { while (rs.next()) rows++; }
                }
            }
            System.out.printf("round %d: %.1f KB and %.0f µs per lookup (%d rows)%n", round,
                    (threads.getThreadAllocatedBytes(me) - b0) / 1024.0 / 5000, (threads.getCurrentThreadCpuTime() - c0) / 1000.0 / 5000, rows);
        }
        db.close();
    }
}
