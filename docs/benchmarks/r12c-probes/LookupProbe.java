import java.sql.*;
import java.lang.management.*;
import java.util.*;
/** CPU and file pages read per CRM lookup by number on a copy of the benchmark's database: args DBFILE(without .mv.db) CACHE_KB(0=default) WARM N */
public class LookupProbe {
  static final String Q = "select c.id, c.first_name, c.last_name, c.language, c.tier, a.attr_name, a.attr_value"
      + " from phone_numbers p join customers c on c.id = p.customer_id left join customer_attributes a on a.customer_id = c.id"
      + " where p.e164 = ? order by c.id, a.attr_name";
  public static void main(String[] args) throws Exception {
    int cacheKb = Integer.parseInt(args[1]); int warm = Integer.parseInt(args[2]); int n = Integer.parseInt(args[3]);
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    String url = "jdbc:h2:file:" + args[0] + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;OPTIMIZE_REUSE_RESULTS=0" + (cacheKb > 0 ? ";CACHE_SIZE=" + cacheKb : "");
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      Random r = new Random(42);
      int rows = 0;
      for (int phase = 0; phase < 2; phase++) {
        int m = phase == 0 ? warm : n;
        long reads0 = info(c, "info.FILE_READ");
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < m; i++) {
          try (PreparedStatement ps = c.prepareStatement(Q)) {
            ps.setString(1, "+3620" + String.format("%07d", r.nextInt(1_000_000)));
            try (ResultSet rs = ps.executeQuery()) { while (rs.next()) rows++; }
          }
        }
        long cpu = mx.getCurrentThreadCpuTime() - t0;
        long reads = info(c, "info.FILE_READ") - reads0;
        System.out.printf("cache %s KB, %s %d lookups: %d rows so far, %.1f us CPU and %.2f file reads per lookup; cache used %s KB of %s%n",
            cacheKb == 0 ? "default" : cacheKb, phase == 0 ? "warm-up" : "measured", m, rows, cpu / 1e3 / m, reads / (double) m,
            info(c, "info.CACHE_SIZE"), info(c, "info.CACHE_MAX_SIZE"));
      }
    }
  }
  static long info(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select setting_value from information_schema.settings where setting_name = ?")) {
      ps.setString(1, name); try (ResultSet rs = ps.executeQuery()) { return rs.next() ? Long.parseLong(rs.getString(1)) : -1; }
    }
  }
}
