import java.sql.*;
import java.lang.management.*;
public class StatementCacheProbe {
  static final String Q = "select c.id, c.first_name, c.last_name, c.language, c.tier, a.attr_name, a.attr_value"
      + " from phone_numbers p join customers c on c.id = p.customer_id left join customer_attributes a on a.customer_id = c.id"
      + " where p.e164 = ? order by c.id, a.attr_name";
  public static void main(String[] args) throws Exception {
    String extra = args.length > 0 ? args[0] : "";
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:p;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;OPTIMIZE_REUSE_RESULTS=0" + extra)) {
      Statement s = c.createStatement();
      s.execute("create table customers (id varchar(64) primary key, first_name varchar(200), last_name varchar(200), language varchar(35), tier varchar(64))");
      s.execute("create table customer_attributes (customer_id varchar(64) not null references customers (id) on delete cascade, attr_name varchar(100) not null, attr_value varchar(1000) not null, primary key (customer_id, attr_name))");
      s.execute("create index customer_attributes_by_value on customer_attributes (attr_name, attr_value)");
      s.execute("create table phone_numbers (e164 varchar(16) not null, customer_id varchar(64) not null references customers (id) on delete cascade, primary key (e164, customer_id))");
      s.execute("create index phone_numbers_by_customer on phone_numbers (customer_id)");
      s.execute("insert into customers select 'C'||x, 'Anna', 'Last'||x, 'en', 'gold' from system_range(0, 99999) as t(x)");
      s.execute("insert into customer_attributes select 'C'||x, 'segment', 'retail' from system_range(0, 99999) as t(x)");
      s.execute("insert into phone_numbers select '+3620'||x, 'C'||x from system_range(0, 99999) as t(x)");
      for (int mode = 0; mode < 2; mode++) for (int round = 0; round < 3; round++) {
        int n = 20000; long cpu = 0; int rows = 0;
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < n; i++) {
          if (mode == 1) for (int k = 0; k < 10; k++) { try (PreparedStatement o = c.prepareStatement("select count(*) from customers where id in (" + "?,".repeat(k) + "?)")) { } }
          long t0 = mx.getCurrentThreadCpuTime();
          try (PreparedStatement ps = c.prepareStatement(Q)) { ps.setString(1, "+3620" + r.nextInt(100000)); try (ResultSet rs = ps.executeQuery()) { while (rs.next()) rows++; } }
          cpu += mx.getCurrentThreadCpuTime() - t0;
        }
        System.out.printf("mode %s round %d: %d rows, %.1f us CPU per lookup%n", mode == 0 ? "alone" : "10 other statements between", round, rows, cpu / 1e3 / n);
      }
    }
  }
}
