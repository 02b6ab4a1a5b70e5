package dev.ivr.server.crm.segment;

import dev.ivr.server.config.AttributeConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.db.Database;
import dev.ivr.testsupport.PostgresServer;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code segment count} over N customers with typed attributes, on H2 (file) and PostgreSQL. Not a test: run it by
 * hand (docs/benchmarks.md, "Segment counts", has the command and the figures).
 *
 * <p>Loads the customers and five declared attributes each with set-based SQL inside the database (H2
 * {@code SYSTEM_RANGE}, PostgreSQL {@code generate_series}; the values are a deterministic function of the row
 * number): {@code contract_end} (date, uniform over today -365 .. +364 days), {@code balance} (number, -1000 ..
 * 3999.99), {@code do_not_call} (boolean, 5% true), {@code vip} (boolean, 10% true), {@code plan} (enum basic /
 * premium, one in three premium). Then for each segment: the plan ({@code EXPLAIN} of the count the server runs), a
 * first count right after the database is opened again (H2: its page cache is empty; PostgreSQL: a new connection
 * pool, its shared buffers and the OS cache as the load left them), and {@code --runs} more (warm). For a segment
 * with a negation, the count alone is also planned and timed as compiled ({@code not exists}) and with the former
 * {@code not c.id in (...)} form, for the comparison in docs/benchmarks.md.
 *
 * <pre>
 * --customers N (1000000)  --db h2,postgres  --runs R (5)
 * --h2-dir DIR (an H2 directory an earlier run loaded, kept: counts only)
 * </pre>
 */
public final class SegmentBenchmark {
    static final List<AttributeConfig> ATTRIBUTES = List.of(
            new AttributeConfig("contract_end", "date", null, null),
            new AttributeConfig("balance", "number", null, null),
            new AttributeConfig("do_not_call", "boolean", null, null),
            new AttributeConfig("vip", "boolean", null, null),
            new AttributeConfig("plan", "enum", List.of("basic", "premium"), null));
    static final List<String[]> SEGMENTS = List.of(
            new String[]{"renewal (date range + boolean)", "attr.contract_end >= today() + duration(\"25d\")"
                    + " && attr.contract_end <= today() + duration(\"30d\") && !attr.do_not_call"},
            new String[]{"vip with balance > 3000 (boolean + number)", "attr.vip && attr.balance > 3000"},
            new String[]{"premium in debt (enum + number)", "attr.plan == \"premium\" && attr.balance < 0"},
            new String[]{"callable (negated boolean alone)", "!attr.do_not_call"});
    /** A negation as the compiler wrote it before {@code not exists}: run beside it for the comparison. */
    private static final java.util.regex.Pattern NOT_EXISTS = java.util.regex.Pattern.compile(
            "not exists \\(select 1 from customer_attributes a where a\\.customer_id = c\\.id and ([^()]*)\\)");

    private SegmentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int customers = 1_000_000;
        List<String> dbs = List.of("h2", "postgres");
        int runs = 5;
        Path reuse = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--customers" -> customers = Integer.parseInt(args[++i].replace("_", ""));
                case "--db" -> dbs = Arrays.asList(args[++i].split(","));
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--h2-dir" -> reuse = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        System.out.printf("segment benchmark: %,d customers, 5 typed attributes each, %d warm runs%n", customers, runs);
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version()
                + ", load average at start " + load());
        StringBuilder table = new StringBuilder("| database | segment | matches | first ms | warm median ms | warm min-max ms | index used |\n"
                + "|---|---|---|---|---|---|---|\n");
        for (String db : dbs) {
            boolean reused = reuse != null && db.equals("h2");
            Path dir = reused ? reuse : Files.createTempDirectory("ivr-segment-bench-");
            try {
                boolean pg = db.equals("postgres");
                String url = "";
                String user = "sa";
                String label = "H2 " + org.h2.engine.Constants.VERSION + " (file)";
                if (pg) {
                    PostgresServer server = PostgresServer.durable();
                    url = server.newDatabase();
                    user = PostgresServer.USER;
                    label = "PostgreSQL " + server.version();
                }
                run(url, user, dir, pg, label, customers, runs, table, reused);
            } finally {
                if (!reused) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
        }
        System.out.println();
        System.out.print(table);
        System.exit(0);
    }

    private static Database open(String url, String user, Path dir) {
        Database db = Database.open(new DatabaseConfig(url, user, "", 5, 2, Duration.ofSeconds(5)), dir.resolve("data"));
        if (!db.awaitReady(Duration.ofMinutes(5))) {
            throw new IllegalStateException("the database did not open");
        }
        return db;
    }

    private static void run(String url, String user, Path dir, boolean pg, String label, int n, int runs, StringBuilder table,
                            boolean reused) throws Exception {
        System.out.println();
        System.out.println("== " + label + (reused ? " (loaded before, in " + dir + ")" : ""));
        if (!reused) try (Database db = open(url, user, dir)) {
            long t0 = System.nanoTime();
            load(db, pg, n);
            System.out.printf("loaded %,d customers and %,d attribute rows in %.1f s (load average %s)%n", n, 5L * n,
                    (System.nanoTime() - t0) / 1e9, load());
        }
        AttributeSchema schema = AttributeSchema.of(ATTRIBUTES);
        Clock clock = Clock.system(ZoneId.systemDefault());
        try (Database db = open(url, user, dir)) { // opened again: the first count of each segment is the first after opening
            Segments segments = new Segments(db.dataSource(), schema, clock);
            for (String[] s : SEGMENTS) {
                SegmentQuery q = SegmentCompiler.compile(s[1], schema, LocalDate.now(clock));
                String sql = "select count(*) from customers c where " + q.where();
                List<String> plan = explain(db, pg, sql, q.parameters());
                long first = System.nanoTime();
                long matches = segments.countExpression(s[1], 5).total();
                double firstMs = (System.nanoTime() - first) / 1e6;
                double[] warm = new double[runs];
                for (int r = 0; r < runs; r++) {
                    long t = System.nanoTime();
                    segments.countExpression(s[1], 5);
                    warm[r] = (System.nanoTime() - t) / 1e6;
                }
                Arrays.sort(warm);
                String indexes = indexes(plan);
                System.out.printf("%s: %s%n  %,d match; first %.0f ms; warm %s ms%n  plan:%n", s[0], s[1], matches, firstMs,
                        Arrays.toString(Arrays.stream(warm).mapToLong(Math::round).toArray()));
                plan.forEach(l -> System.out.println("    " + l));
                table.append(String.format(Locale.ROOT, "| %s | %s | %,d | %.0f | %.0f | %.0f-%.0f | %s |%n", label, s[0], matches,
                        firstMs, warm[runs / 2], warm[0], warm[runs - 1], indexes));
                String notIn = NOT_EXISTS.matcher(q.where()).replaceAll(
                        "not c.id in (select a.customer_id from customer_attributes a where $1)");
                if (!notIn.equals(q.where())) { // the same count as the compiler wrote it before: plan and time
                    compare(db, pg, label, s[0], q.where(), notIn, q.parameters(), runs, table);
                }
            }
        }
    }

    /** The count with {@code not exists} and with the former {@code not c.id in}: plans, counts, warm times. */
    private static void compare(Database db, boolean pg, String label, String name, String notExists, String notIn,
                                List<Object> params, int runs, StringBuilder table) throws Exception {
        for (String[] form : List.of(new String[]{"not exists", notExists}, new String[]{"not in (before)", notIn})) {
            String sql = "select count(*) from customers c where " + form[1];
            List<String> plan = explain(db, pg, sql, params);
            double[] times = new double[runs];
            long matches = 0;
            for (int r = 0; r < runs; r++) {
                long t = System.nanoTime();
                matches = count(db, sql, params);
                times[r] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(times);
            System.out.printf("  %s as %s: %,d match; count only, warm %s ms%n  plan:%n", name, form[0], matches,
                    Arrays.toString(Arrays.stream(times).mapToLong(Math::round).toArray()));
            plan.forEach(l -> System.out.println("    " + l));
            table.append(String.format(Locale.ROOT, "| %s | %s, count only, %s | %,d | | %.0f | %.0f-%.0f | %s |%n", label, name,
                    form[0], matches, times[runs / 2], times[0], times[runs - 1], indexes(plan)));
        }
    }

    private static long count(Database db, String sql, List<Object> params) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws java.sql.SQLException {
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) instanceof BigDecimal d) {
                ps.setBigDecimal(i + 1, d);
            } else {
                ps.setString(i + 1, (String) params.get(i));
            }
        }
    }

    /** Customers and their attributes by set-based SQL in the database; then statistics. */
    private static void load(Database db, boolean pg, int n) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            String range = pg ? "generate_series(1::bigint, " + n + ") as r(x)" : "system_range(1, " + n + ") as r(x)";
            String id = pg ? "'C' || lpad(x::text, 7, '0')" : "'C' || lpad(cast(x as varchar), 7, '0')";
            String day = pg ? "to_char(current_date + ((x * 7919) % 730 - 365)::int, 'YYYY-MM-DD')"
                    : "formatdatetime(dateadd(day, mod(x * 7919, 730) - 365, current_date), 'yyyy-MM-dd')";
            String cents = pg ? "((x * 104729) % 500000)" : "mod(x * 104729, 500000)";
            String mod = pg ? "(x %% %d)" : "mod(x, %d)";
            st.executeUpdate("insert into customers (id, first_name, last_name, language, tier, created_at, updated_at)"
                    + " select " + id + ", 'First', 'Last', 'en', 'standard', current_timestamp, current_timestamp from " + range);
            st.executeUpdate("insert into customer_attributes (customer_id, attr_name, attr_value) select " + id
                    + ", 'contract_end', " + day + " from " + range);
            String number = "(cast(" + cents + " as decimal(38, 10)) / 100 - 1000)";
            st.executeUpdate("insert into customer_attributes (customer_id, attr_name, attr_value, attr_number) select " + id
                    + ", 'balance', cast(cast(" + number + " as decimal(12, 2)) as varchar(40)), " + number + " from " + range);
            st.executeUpdate("insert into customer_attributes (customer_id, attr_name, attr_value) select " + id
                    + ", 'do_not_call', case when " + mod.formatted(20) + " = 0 then 'true' else 'false' end from " + range);
            st.executeUpdate("insert into customer_attributes (customer_id, attr_name, attr_value) select " + id
                    + ", 'vip', case when " + mod.formatted(10) + " = 3 then 'true' else 'false' end from " + range);
            st.executeUpdate("insert into customer_attributes (customer_id, attr_name, attr_value) select " + id
                    + ", 'plan', case when " + mod.formatted(3) + " = 0 then 'premium' else 'basic' end from " + range);
            st.execute(pg ? "vacuum analyze" : "analyze");
        }
    }

    private static List<String> explain(Database db, boolean pg, String sql, List<Object> params) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("explain " + sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.addAll(Arrays.asList(rs.getString(1).split("\n")));
                }
            }
        }
        return out;
    }

    /** The indexes a plan names. */
    static String indexes(List<String> plan) {
        java.util.regex.Matcher m;
        java.util.Set<String> found = new java.util.TreeSet<>();
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("(?i)(customer_attributes_by_value|customer_attributes_by_number"
                + "|customer_attributes_pkey|primary_key_[0-9a-f]+|customers_pkey)");
        for (String l : plan) {
            m = p.matcher(l);
            while (m.find()) {
                found.add(m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        return found.isEmpty() ? "none (scan)" : String.join(", ", found);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }
}
