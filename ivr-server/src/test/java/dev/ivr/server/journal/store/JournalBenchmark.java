package dev.ivr.server.journal.store;

import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.db.Dialect;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.kpi.Intervals;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.testsupport.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The journal at scale: N generated events over D days ({@link JournalGenerator}), then the queue report of the whole
 * period per hour and per day (summed by the database, {@link QueueReport}), timed, on PostgreSQL and on H2; and the
 * cost of writing the journal ({@link JdbcJournal#emit}: the forced outbox append, the batch insert behind it) at
 * 1,000 calls per minute. Not a test: run it by hand (docs/benchmarks.md has the command and the figures).
 *
 * <pre>
 * --events N (10000000)  --days D (30)  --db postgres,h2  --runs R (5: report runs after a first one)
 * --write-seconds S (60: the journal-write run at --calls-per-minute, 1000; 0: none)  --memory (also time the in-memory report)
 * --other-days 1,7,30 (the agent, flow and campaign reports over these first days)  --lock FILE (flock(1) held while timing)
 * --reports queue,agent,flow,campaign,funnel (the reports timed)
 * --db-dir DIR (H2 only: the database kept in DIR/h2 and reused by later runs asking for the same events, days and seed)
 * --seed S (20260302: the generator's seed)
 * --reference-days N (all: the ways before and the events read into memory, and the checks against them, only for
 *   the --other-days periods up to N days; at 30 days and 10 M events on H2 they take minutes each)
 * </pre>
 *
 * <p>With {@code --db-dir} the first run generates, loads and back-fills the H2 database in {@code DIR/h2} and writes
 * {@code journal-benchmark.properties} beside it (what was asked and made) once everything is in; a later run with the
 * same {@code --events}, {@code --days} and {@code --seed} reads that database instead of generating it again, and
 * refuses a directory made for other values, one whose generation did not finish, or one whose event count is not the
 * one recorded. The write runs add events, so {@code --write-seconds} must be 0 with it.
 */
public final class JournalBenchmark {
    record Options(long events, int days, List<String> dbs, int runs, int writeSeconds, int callsPerMinute,
                           boolean memory, String lock, List<Integer> otherDays, List<String> reports, Path dbDir,
                           long seed, int referenceDays) {
    }

    /** The file beside a kept database that says what was asked and made ({@code --db-dir}). */
    static final String KEPT = "journal-benchmark.properties";

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        System.out.printf("journal benchmark: %,d events over %d days; report runs %d; journal writes %d s at %,d calls/min%n",
                o.events(), o.days(), o.runs(), o.writeSeconds(), o.callsPerMinute());
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + Runtime.version() + ", load average at start " + load());
        StringBuilder table = new StringBuilder();
        for (String db : o.dbs()) {
            Path dir = o.dbDir() == null ? Files.createTempDirectory("ivr-journal-bench-")
                    : Files.createDirectories(o.dbDir().resolve(db));
            try {
                String url;
                String user;
                String label;
                if (db.equals("postgres")) {
                    PostgresServer pg = PostgresServer.durable();
                    url = pg.newDatabase() + "?reWriteBatchedInserts=true";
                    user = PostgresServer.USER;
                    label = "PostgreSQL " + pg.version();
                } else {
                    url = "";
                    user = "sa";
                    label = "H2 " + org.h2.engine.Constants.VERSION + " (file)";
                }
                run(o, url, user, dir, label, table);
            } finally {
                if (o.dbDir() == null) {
                    delete(dir);
                }
            }
        }
        System.out.println();
        System.out.print(table);
        System.exit(0);
    }

    private static void run(Options o, String url, String user, Path dir, String label, StringBuilder table)
            throws Exception {
        boolean postgres = label.startsWith("PostgreSQL");
        DatabaseConfig served = new DatabaseConfig(url, user, "", 4, 1, Duration.ofSeconds(10));
        // H2 is loaded through a plain file URL on the same file: the server's own (DurableFilePath) makes every write
        // O_DSYNC, and a bulk load through it waits on the disk; the reports then read it opened as the server opens it
        String loadUrl = postgres ? url : Database.effectiveUrl(served, dir).replace("jdbc:h2:durable:", "jdbc:h2:file:")
                .replace(";WRITE_DELAY=0", "");
        Instant first = Instant.parse("2026-03-02T00:00:00Z");
        KpiRules rules = new KpiRules(Duration.ofSeconds(20), Duration.ofSeconds(5), Map.of("vip", Duration.ofSeconds(10)));
        JournalSummary summary = new JournalSummary(Dialect.ofUrl(url), rules, Duration.ofDays(7));
        java.util.Properties kept = o.dbDir() == null ? null : kept(o, dir, first);
        Database db;
        long loaded;
        if (kept != null && "ready".equals(kept.getProperty("status"))) {
            db = open(served, dir, label);
            loaded = Long.parseLong(kept.getProperty("loaded"));
            long there = count(db, "journal_events");
            if (there != loaded) {
                db.close();
                throw new IllegalStateException(dir + " holds " + there + " journal events where " + loaded
                        + " were loaded: not the database that was generated; delete the directory to generate it again");
            }
            System.out.printf("%s: reusing the database in %s (made %s): %,d events (%,d calls), %s campaign attempts;"
                            + " load average %s%n", label, dir, kept.getProperty("made"), loaded,
                    Long.parseLong(kept.getProperty("calls")), kept.getProperty("attempts"), load());
        } else {
            db = open(new DatabaseConfig(loadUrl, user, "", 4, 1, Duration.ofSeconds(10)), dir, label);
            try {
                if (kept != null) {
                    kept.setProperty("status", "loading");
                    store(kept, dir);
                }
                long[] made = generate(o, db, label, first, summary);
                loaded = made[0];
                if (kept != null) {
                    kept.setProperty("status", "ready");
                    kept.setProperty("loaded", Long.toString(made[0]));
                    kept.setProperty("calls", Long.toString(made[1]));
                    kept.setProperty("attempts", Long.toString(made[2]));
                    kept.setProperty("made", Instant.now().toString());
                    store(kept, dir);
                }
            } catch (Exception | Error e) {
                db.close();
                throw e;
            }
            if (!postgres) {
                db.close();
                db = open(served, dir, label);
            }
        }
        try {
            explainAgentWindow(db, label, postgres);
            Instant from = first;
            Instant to = first.plus(Duration.ofDays(o.days()));
            AutoCloseable held = lock(o.lock());
            try {
                if (o.reports().contains("queue")) {
                    timeQueueReport(o, db, label, rules, loaded, from, to, table);
                }
                timeOtherReports(o, db, label, rules, loaded, first, table);
            } finally {
                held.close();
            }
            if (o.writeSeconds() <= 0) {
                return;
            }
            String line = writeCost(db, label, summary, first.plus(Duration.ofDays(o.days())));
            System.out.print(line);
            table.append(line);
            line = write(o, db, dir, label, summary);
            System.out.print(line);
            table.append(line);
        } finally {
            db.close();
        }
    }

    /**
     * What a kept database directory says ({@code --db-dir}): a new record of what is asked when the directory is empty;
     * the record there when it was made for the same events, days, first day, seed and agents; otherwise refused.
     */
    static java.util.Properties kept(Options o, Path dir, Instant first) throws java.io.IOException {
        java.util.Properties asked = new java.util.Properties();
        asked.setProperty("events", Long.toString(o.events()));
        asked.setProperty("days", Integer.toString(o.days()));
        asked.setProperty("first", first.toString());
        asked.setProperty("seed", Long.toString(o.seed()));
        asked.setProperty("agents", Integer.toString(agents(o)));
        Path file = dir.resolve(KEPT);
        if (!Files.exists(file)) {
            try (Stream<Path> there = Files.list(dir)) {
                if (there.findAny().isPresent()) {
                    throw new IllegalStateException(dir + " is not empty and has no " + KEPT
                            + ": not a database this benchmark kept; give an empty or new directory");
                }
            }
            return asked;
        }
        java.util.Properties found = new java.util.Properties();
        try (var in = Files.newBufferedReader(file)) {
            found.load(in);
        }
        List<String> differ = new ArrayList<>();
        for (String key : asked.stringPropertyNames().stream().sorted().toList()) {
            if (!asked.getProperty(key).equals(found.getProperty(key))) {
                differ.add(key + " " + found.getProperty(key) + " there, " + asked.getProperty(key) + " asked");
            }
        }
        if (!differ.isEmpty()) {
            throw new IllegalStateException("the database kept in " + dir + " was generated for other values (" + String.join(
                    "; ", differ) + "): refusing to time it; give another --db-dir or delete this one to generate it again");
        }
        if (!"ready".equals(found.getProperty("status"))) {
            throw new IllegalStateException("the database in " + dir + " was not fully generated (status "
                    + found.getProperty("status") + "): delete the directory to generate it again");
        }
        return found;
    }

    private static void store(java.util.Properties p, Path dir) throws java.io.IOException {
        Path tmp = dir.resolve(KEPT + ".tmp");
        try (var out = Files.newBufferedWriter(tmp)) {
            p.store(out, "JournalBenchmark --db-dir: what was asked and made");
        }
        Files.move(tmp, dir.resolve(KEPT), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Generates and loads the events, back-fills every summary, adds the campaign attempts and analyzes the tables:
     * {events loaded, calls, attempts}.
     */
    private static long[] generate(Options o, Database db, String label, Instant first, JournalSummary summary)
            throws Exception {
        {
            long t0 = System.nanoTime();
            long[] calls = {0};
            long loaded = load(db, o, first, calls, label.startsWith("PostgreSQL"));
            double loadS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                summary.rebuild(c);
                c.commit();
            }
            double backfillS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            try (Connection c = db.dataSource().getConnection()) { // the agent part alone (rebuild did it too)
                c.setAutoCommit(false);
                AgentSummary.rebuild(c);
                c.commit();
            }
            System.out.printf("%s: agent summary back-filled (V156, quarters and hours) in %.1f s%n", label,
                    (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            try (Connection c = db.dataSource().getConnection()) {
                c.setAutoCommit(false);
                AgentSummary.rebuildHours(c);
                c.commit();
            }
            System.out.printf("%s: agent summary's hours back-filled (V167) in %.1f s%n", label, (System.nanoTime() - t0) / 1e9);
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                for (String t : List.of(AgentSummary.TABLE, AgentSummary.HOURS)) {
                    try (ResultSet rs = st.executeQuery("select count(*) from " + t)) {
                        rs.next();
                        System.out.printf("%s: %s rows: %d%n", label, t, rs.getLong(1));
                    }
                }
            }
            t0 = System.nanoTime();
            try (Connection c = db.dataSource().getConnection()) { // the flow part alone (rebuild did it too)
                c.setAutoCommit(false);
                FlowSummary.rebuild(c);
                c.commit();
            }
            System.out.printf("%s: flow summary back-filled (V161) in %.1f s%n", label, (System.nanoTime() - t0) / 1e9);
            t0 = System.nanoTime();
            try (Connection c = db.dataSource().getConnection()) { // the funnel part alone (rebuild did it too)
                c.setAutoCommit(false);
                FunnelSummary.rebuild(c);
                c.commit();
            }
            System.out.printf("%s: funnel summary back-filled (V165) in %.1f s, %,d rows%n", label,
                    (System.nanoTime() - t0) / 1e9, count(db, FunnelSummary.TABLE));
            long attempts = attempts(db);
            t0 = System.nanoTime();
            int talked;
            try (Connection c = db.dataSource().getConnection()) { // the attempts were made after the events
                c.setAutoCommit(false);
                talked = CampaignTalk.rebuild(c);
                c.commit();
            }
            System.out.printf("%s: campaign attempts' talk back-filled (V162) in %.1f s, %,d attempts' calls talked%n", label,
                    (System.nanoTime() - t0) / 1e9, talked);
            t0 = System.nanoTime();
            analyze(db, label);
            System.out.printf("%s: loaded %,d events (%,d calls) in %.0f s (%,.0f events/s), summary back-filled in %.0f s"
                            + " (%s), analyzed in %.0f s, %s; load average %s%n", label, loaded, calls[0], loadS, loaded / loadS,
                    backfillS, summaryRows(db), (System.nanoTime() - t0) / 1e9, size(db, label), load());
            System.out.printf("%s: %,d campaign attempts made from a tenth of the calls%n", label, attempts);
            return new long[] {loaded, calls[0], attempts};
        }
    }

    /**
     * The agent summary's rows a report of the period reads (load-independent): every quarter's row, against the
     * quarters' rows at the edges and the whole hours' rows.
     */
    private static void summaryRowsRead(Database db, String label, Instant from, Instant to) throws SQLException {
        long first = from.getEpochSecond() / JournalSummary.QUARTER_S;
        long last = to.getEpochSecond() / JournalSummary.QUARTER_S;
        long h1 = AgentSummary.hour(first + AgentSummary.HOUR_Q - 1);
        long h2 = AgentSummary.hour(last);
        String sql = "select count(*) from %s where quarter >= ? and quarter < ?";
        long[] n = new long[3];
        try (Connection c = db.dataSource().getConnection()) {
            long[][] ranges = {{first, last}, {h1, h2}};
            for (int i = 0; i < 2; i++) {
                try (PreparedStatement ps = c.prepareStatement(sql.formatted(i == 0 ? AgentSummary.TABLE : AgentSummary.HOURS))) {
                    ps.setLong(1, ranges[i][0]);
                    ps.setLong(2, ranges[i][1]);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        n[i] = rs.getLong(1);
                    }
                }
            }
        }
        System.out.printf("%s: the agent summary's rows for %s-%s: %,d quarter rows (every quarter), %,d hour rows (the whole"
                + " hours; the period's edges here fall on hours)%n", label, from, to, n[0], n[1]);
    }

    private static long count(Database db, String table) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Where the agent report's edges went before wave 13 (one query per agent): per agent, the bounded edge query of
     * {@link AgentReport} under EXPLAIN ANALYZE (the database's own planning and execution time, summed over the
     * agents) against the wall time of the same queries run by the report; and the plan of the one query that reads
     * every agent's edges now.
     */
    private static void explainAgentEdges(Database db, String label, Instant from, Instant to) throws SQLException {
        List<String> agents = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select agent_id from journal_agents order by agent_id")) {
            while (rs.next()) {
                agents.add(rs.getString(1));
            }
        }
        String[] parts = {"occurred_at < '%2$s' and occurred_at >= '%3$s' order by occurred_at desc fetch first 2 rows with ties",
            "occurred_at >= '%2$s' and occurred_at < '%4$s' order by occurred_at fetch first 1 rows with ties",
            "occurred_at < '%1$s' and occurred_at >= '%5$s' order by occurred_at desc fetch first 1 rows with ties",
            "occurred_at >= '%1$s' and occurred_at < '%6$s' order by occurred_at fetch first 2 rows with ties"};
        StringBuilder q = new StringBuilder("select * from (");
        for (int i = 0; i < parts.length; i++) {
            q.append(i == 0 ? "(" : " union all (").append("select ").append(JournalSummary.EVENT_COLUMNS).append(", ")
                    .append(i).append(" as part from journal_events where agent_id = '%7$s' and (case when event_type")
                    .append(" like 'AGENT%%' then 1 else 0 end) = 1 and ").append(parts[i]).append(")");
        }
        q.append(") w order by part, occurred_at, seq");
        Duration day = AgentReport.EDGE_WINDOW;
        double planning = 0;
        double execution = 0;
        String plan = "";
        long t0 = System.nanoTime();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String a : agents) {
                String sql = q.toString().formatted(from, to, to.minus(day), to.plus(day), from.minus(day), from.plus(day),
                        a.replace("'", "''"));
                StringBuilder text = new StringBuilder();
                try (ResultSet rs = st.executeQuery("explain (analyze, buffers) " + sql)) {
                    while (rs.next()) {
                        String line = rs.getString(1);
                        text.append(line).append('\n');
                        if (line.startsWith("Planning Time:")) {
                            planning += Double.parseDouble(line.replaceAll("[^0-9.]", ""));
                        } else if (line.startsWith("Execution Time:")) {
                            execution += Double.parseDouble(line.replaceAll("[^0-9.]", ""));
                        }
                    }
                }
                if (plan.isEmpty()) {
                    plan = text.toString();
                }
            }
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        System.out.printf("%s: agent edges %s-%s, one bounded query per agent under EXPLAIN ANALYZE, %d agents: wall %.0f ms,"
                + " the database's planning %.0f ms + execution %.0f ms; load %s; the first agent's plan:%n%s", label, from, to,
                agents.size(), wall, planning, execution, load(), plan);
        StringBuilder lateral = new StringBuilder("explain (analyze, buffers) select w.*, a.agent_id from journal_agents a"
                + " cross join lateral (");
        String[] unbounded = {"occurred_at < '%2$s' order by occurred_at desc fetch first 2 rows with ties",
            "occurred_at >= '%2$s' order by occurred_at fetch first 1 rows with ties",
            "occurred_at < '%1$s' order by occurred_at desc fetch first 1 rows with ties",
            "occurred_at >= '%1$s' order by occurred_at fetch first 2 rows with ties"};
        for (int i = 0; i < unbounded.length; i++) {
            lateral.append(i == 0 ? "(" : " union all (").append("select ").append(JournalSummary.EVENT_COLUMNS)
                    .append(", ").append(i).append(" as part from journal_events where agent_id = a.agent_id and")
                    .append(" event_type like 'AGENT%%' and ").append(unbounded[i]).append(")");
        }
        lateral.append(") w order by a.agent_id, part, occurred_at, seq");
        StringBuilder text = new StringBuilder();
        t0 = System.nanoTime();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("set local jit = off"); // as AgentReport does
            try (ResultSet rs = st.executeQuery(lateral.toString().formatted(from, to))) {
                while (rs.next()) {
                    text.append(rs.getString(1)).append('\n');
                }
            }
            c.commit();
        }
        System.out.printf("%s: every agent's edges by one lateral query under EXPLAIN ANALYZE: wall %.0f ms; load %s:%n%s",
                label, (System.nanoTime() - t0) / 1e6, load(), text);
    }

    private static Database open(DatabaseConfig config, Path dir, String label) {
        Database db = Database.open(config, dir);
        if (!db.awaitReady(Duration.ofSeconds(120))) {
            db.close();
            throw new IllegalStateException(label + ": " + db.health().detail());
        }
        return db;
    }

    private static void timeQueueReport(Options o, Database db, String label, KpiRules rules, long loaded, Instant from,
                                        Instant to, StringBuilder table) throws Exception {
        QueueReport report = new QueueReport(db.dataSource(), db.dialect(), rules, Duration.ofDays(7));
        for (String interval : List.of("60m", "day")) {
            Intervals iv = Intervals.parse(interval, ZoneOffset.UTC);
            long[] ms = new long[o.runs() + 1];
            int rows = 0;
            for (int i = 0; i <= o.runs(); i++) {
                long s = System.nanoTime();
                ReportTable t = report.table(from, to, iv, null);
                ms[i] = (System.nanoTime() - s) / 1_000_000;
                rows = t.rows().size();
            }
            long firstRun = ms[0];
            long[] rest = Arrays.copyOfRange(ms, 1, ms.length);
            Arrays.sort(rest);
            String line = String.format(Locale.ROOT, "| %s | %,d | %d-day queue report per %s (%,d rows) | %,d | %,d | %,d |%n",
                    label, loaded, o.days(), interval, rows, firstRun, rest[rest.length / 2], rest[rest.length - 1]);
            System.out.print(line);
            table.append(line);
        }
        if (label.startsWith("H2")) {
            Intervals day = Intervals.parse("day", ZoneOffset.UTC);
            long s = System.nanoTime();
            ReportTable t = report.table(from, to, day, null, true);
            long ms = (System.nanoTime() - s) / 1_000_000;
            String line = String.format(Locale.ROOT, "| %s | %,d | the same per day, open wrap-ups read per agent (before"
                    + " wave 14b; %,d rows) | %,d | | |%n", label, loaded, t.rows().size(), ms);
            System.out.print(line);
            table.append(line);
            System.out.printf("%s: queue report per day the same with the open wrap-ups read per agent: %s%n", label,
                    t.csv().equals(report.table(from, to, day, null).csv()));
        }
        if (o.memory()) {
            long s = System.nanoTime();
            ReportTable t = report.inMemory(from, to, Intervals.parse("day", ZoneOffset.UTC), null);
            long ms = (System.nanoTime() - s) / 1_000_000;
            String line = String.format(Locale.ROOT, "| %s | %,d | the same per day, events read into memory (%,d rows) | %,d | | |%n",
                    label, loaded, t.rows().size(), ms);
            System.out.print(line);
            table.append(line);
        }
    }

    /**
     * The plan of the summary writer's agent window (an agent's two events before a time) with the type test as it was
     * ({@code event_type in (...)}) and as it is ({@link JournalSummary#AGENT_ONLY}), with the index each takes.
     */
    private static void explainAgentWindow(Database db, String label, boolean postgres) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            String agent;
            try (ResultSet rs = st.executeQuery("select min(agent_id) from journal_agents")) {
                rs.next();
                agent = rs.getString(1);
            }
            if (agent == null) {
                return;
            }
            String types = "event_type in ('AGENT_SIGNED_IN', 'AGENT_SIGNED_OUT', 'AGENT_STATE', 'AGENT_WRAP_UP')";
            String caseType = "(case when event_type like 'AGENT%' then 1 else 0 end) = 1";
            for (String[] q : List.of(new String[] {types, "seq desc fetch first 2 rows only"},
                    new String[] {caseType, "seq desc fetch first 2 rows only"},
                    new String[] {caseType, "fetch first 2 rows with ties"})) {
                String where = q[0] + " ... " + q[1];
                String sql = "select seq, occurred_at from journal_events where agent_id = '" + agent.replace("'", "''")
                        + "' and " + q[0] + " and occurred_at < timestamp '2026-03-20 12:00:00'"
                        + " order by occurred_at desc" + (q[1].startsWith("seq") ? ", " : " ") + q[1];
                StringBuilder plan = new StringBuilder();
                long t0 = System.nanoTime();
                try (ResultSet rs = st.executeQuery((postgres ? "explain (analyze, costs off) " : "explain analyze ") + sql)) {
                    while (rs.next()) {
                        plan.append(rs.getString(1).strip().replaceAll("\\s+", " ")).append(" / ");
                    }
                }
                System.out.printf("%s: agent window, %s: %.1f ms: %s%n", label, where, (System.nanoTime() - t0) / 1e6, plan);
            }
        }
    }

    /**
     * The agent, flow and campaign reports per day over the first N days of the events (each N of --other-days),
     * as the API computes them: once each (the longest periods read millions of events).
     */
    private static void timeOtherReports(Options o, Database db, String label, KpiRules rules, long loaded, Instant first,
                                         StringBuilder table) throws Exception {
        JournalReader reader = new JournalReader(db.dataSource());
        dev.ivr.server.journal.report.Reports reports = new dev.ivr.server.journal.report.Reports(rules, Duration.ofDays(7));
        CampaignReport campaigns = new CampaignReport(db.dataSource());
        Intervals day = Intervals.parse("day", ZoneOffset.UTC);
        FlowReport flows = new FlowReport(db.dataSource(), db.dialect(), reports);
        AgentReport agents = new AgentReport(db.dataSource(), db.dialect(), reports);
        for (int days : o.otherDays()) {
            if (days > o.days()) {
                continue;
            }
            Instant from = first;
            Instant to = first.plus(Duration.ofDays(days));
            Map<String, Report> kinds = new LinkedHashMap<>();
            boolean postgres = label.startsWith("PostgreSQL");
            if (postgres && o.reports().contains("agent")) {
                explainAgentEdges(db, label, from, to);
            }
            // the references (the ways before, the events read) only up to --reference-days: at 30 days and 10 M events
            // on H2 they take minutes each
            boolean ref = days <= o.referenceDays();
            kinds.put("agent report (summed by the database)", () -> agents.summed(from, to, day, null));
            // weeks in a zone whose offset changes in the period (Berlin, March 29, 2026): intervals of unequal lengths
            Intervals berlinWeeks = Intervals.parse("week", java.time.ZoneId.of("Europe/Berlin"));
            kinds.put("agent report per week in Europe/Berlin (unequal intervals: hour rows, wave 15)",
                    () -> agents.summed(from, to, berlinWeeks, null));
            kinds.put("agent report per week in Europe/Berlin (unequal intervals: quarter rows, before)",
                    () -> agents.summed(from, to, berlinWeeks, null, false, false, false));
            if (ref) {
                kinds.put("agent report (quarter-hour rows only: wave 13)", () -> agents.summed(from, to, day, null, false, false, false));
            }
            if (!ref) {
                // nothing more
            } else if (postgres) {
                kinds.put("agent report (edges read per agent, defaults: before)", () -> agents.summed(from, to, day, null, true, true, false));
                kinds.put("agent report (edges by one query, defaults)", () -> agents.summed(from, to, day, null, false, true, false));
            } else {
                kinds.put("agent report (edges read per agent: before wave 14b)", () -> agents.summed(from, to, day, null, true, false, true));
            }
            kinds.put("agent report (summed by the database) again", () -> agents.summed(from, to, day, null));
            kinds.put("agent report per week in Europe/Berlin (unequal intervals: hour rows, wave 15) again",
                    () -> agents.summed(from, to, berlinWeeks, null));
            if (ref) {
                kinds.put("agent report (quarter-hour rows only: wave 13) again", () -> agents.summed(from, to, day, null, false, false, false));
            }
            if (o.reports().contains("agent")) {
                System.out.printf("%s: %d-day agent report per week in Europe/Berlin from the hour rows the same as from the"
                        + " quarter rows: %s%n", label, days, agents.summed(from, to, berlinWeeks, null).csv().equals(
                                agents.summed(from, to, berlinWeeks, null, false, false, false).csv()));
                summaryRowsRead(db, label, from, to);
            }
            if (postgres && o.reports().contains("agent")) {
                for (boolean hours : List.of(false, true)) {
                    System.out.printf("%s: %d-day agent report's summary query, jit off, work_mem 32MB, %s:%n%s", label,
                            days, hours ? "hour rows" : "quarter rows only", agents.explainSummed(from, to, day, false, hours));
                }
            }
            if (ref && o.reports().contains("agent")) {
                System.out.printf("%s: %d-day agent report from the hour rows the same as from the quarter rows: %s%n", label,
                        days, agents.summed(from, to, day, null).csv().equals(
                                agents.summed(from, to, day, null, false, false, false).csv()));
            }
            if (ref && !postgres && o.reports().contains("agent")) {
                System.out.printf("%s: %d-day agent report with the edges near the period's edges the same as read per agent: %s%n",
                        label, days, agents.summed(from, to, day, null).csv().equals(
                                agents.summed(from, to, day, null, true, false, true).csv()));
            }
            if (ref && !postgres && o.reports().contains("agent")) {
                agentEdges(db, label, days, from, to);
                if (days < o.days()) { // midnight to midnight with events on both sides of both edges
                    agentEdges(db, label, days, from.plus(Duration.ofDays(1)), to.plus(Duration.ofDays(1)));
                }
            }
            if (ref && (o.memory() || days <= 7)) {
                kinds.put("agent report (events read, as before)", () -> agents.inMemory(from, to, day, null));
            }
            kinds.put("flow report (from the flow summary)", () -> flows.table(from, to, day, null));
            if (ref) {
                kinds.put("flow report (events summed by the database, before)", () -> flows.fromEvents(from, to, day, null));
            }
            if (ref && (o.memory() || days <= 7)) {
                kinds.put("flow report (events read)", () -> reports.flows(reader.events(from, to), from, to, day, null));
            }
            if (ref && o.reports().contains("flow")) {
                System.out.printf("%s: %d-day flow report from the summary the same as summed from the events: %s%n", label,
                        days, flows.table(from, to, day, null).csv().equals(flows.fromEvents(from, to, day, null).csv()));
            }
            kinds.put("campaign report (from the attempt rows)", () -> campaigns.table(from, to, day, null));
            if (ref) {
                kinds.put("campaign report (rows and agents' events read)", () -> campaigns.inMemory(from, to, day, null));
            }
            if (ref && o.reports().contains("campaign")) {
                System.out.printf("%s: %d-day campaign report from the attempt rows the same as from the events: %s%n", label,
                        days, campaigns.table(from, to, day, null).csv().equals(campaigns.inMemory(from, to, day, null).csv()));
            }
            kinds.put("funnel (from the funnel summary)", () -> flows.funnel(from, to, null));
            if (ref && postgres) { // on H2 the summing query took 101 s a day
                kinds.put("funnel (summed by the database, before)", () -> flows.funnelSummed(from, to, null));
            }
            if (ref && (!postgres || o.memory() || days <= 7)) {
                kinds.put("funnel (events read, as before on H2)", () -> flows.funnelInMemory(from, to, null));
            }
            if (ref && days <= 7 && o.reports().contains("agent")) {
                boolean same = agents.summed(from, to, day, null).csv().equals(agents.inMemory(from, to, day, null).csv());
                System.out.printf("%s: %d-day agent report from the summary the same as read into memory: %s%n", label, days,
                        same);
            }
            Map<String, String> funnels = new LinkedHashMap<>();
            for (Map.Entry<String, Report> k : kinds.entrySet()) {
                if (o.reports().stream().noneMatch(r -> k.getKey().startsWith(r))) {
                    continue;
                }
                String result;
                System.gc();
                long s = System.nanoTime();
                try {
                    ReportTable t = k.getValue().run();
                    result = String.format(Locale.ROOT, "%,d rows | %,d |", t.rows().size(), (System.nanoTime() - s) / 1_000_000);
                    if (k.getKey().startsWith("funnel")) {
                        funnels.put(k.getKey(), t.csv());
                    }
                } catch (OutOfMemoryError e) {
                    result = String.format(Locale.ROOT, "out of memory (heap %,d MB) after %,d ms | |",
                            Runtime.getRuntime().maxMemory() >> 20, (System.nanoTime() - s) / 1_000_000);
                }
                String line = String.format(Locale.ROOT, "| %s | %,d | %d-day %s%s, %s load %s |%n", label, loaded, days,
                        k.getKey(), k.getKey().contains(" per ") ? "" : " per day", result, load());
                System.out.print(line);
                table.append(line);
            }
            String summary = funnels.get("funnel (from the funnel summary)");
            funnels.forEach((name, csv) -> {
                if (summary != null && !csv.equals(summary)) {
                    System.out.printf("%s: %d-day funnel from the summary NOT the same as %s%n", label, days, name);
                } else if (summary != null) {
                    System.out.printf("%s: %d-day funnel from the summary the same as %s: true%n", label, days, name);
                }
            });
        }
    }

    @FunctionalInterface
    private interface Report {
        ReportTable run() throws Exception;
    }

    /**
     * Campaign attempts for a tenth of the generated calls (two campaigns; answered, busy, no answer), started when the
     * call entered, with its call id: the campaign report then reads the agents' talk and wrap-up on them.
     */
    private static long attempts(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            return st.executeUpdate("insert into campaign_attempts (campaign, customer_id, attempt_no, phone, started_at,"
                    + " ended_at, result, call_id) select case when mod(seq, 20) = 0 then 'renewal' else 'winback' end, call_id, 1,"
                    + " '+3612345678', occurred_at, occurred_at, case when mod(seq, 70) = 10 then 'busy'"
                    + " when mod(seq, 70) = 30 then 'no-answer' else 'answered' end, call_id"
                    + " from journal_events where event_type = 'CALL_ENTERED' and mod(seq, 10) = 0");
        }
    }

    /**
     * Holds {@code flock(1)} on the file (the suite lock) until closed: a child {@code flock -o FILE sh -c 'echo; cat'}
     * that keeps it while its input is open. Nothing when {@code file} is null.
     */
    private static AutoCloseable lock(String file) throws Exception {
        if (file == null) {
            return () -> { };
        }
        System.out.println("waiting for the lock " + file);
        Process p = new ProcessBuilder("flock", "-o", file, "sh", "-c", "echo locked; exec cat > /dev/null")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8)).readLine();
        if (!"locked".equals(line)) {
            throw new IllegalStateException("flock " + file + " failed");
        }
        System.out.println("holding the lock, load average " + load());
        return () -> {
            p.getOutputStream().close();
            p.waitFor();
        };
    }

    private static long load(Database db, Options o, Instant first, long[] calls, boolean copy) throws Exception {
        // enough agents for the calls (about 90 a day each), so that waits stay minutes, not hours
        int agents = agents(o);
        // 11 events a call when spreading them: whole days then reach --events (13 made 8.6 M of 10 M asked)
        JournalGenerator gen = new JournalGenerator(o.seed(), agents, Math.max(1000, (int) (o.events() / 40)),
                EVENTS_PER_CALL);
        if (copy) {
            return copy(db, o, first, calls, gen);
        }
        return csvRead(db, o, first, calls, gen);
    }

    /** The events a call is taken to make when the generator spreads a day's calls (it makes about 11.2). */
    private static final double EVENTS_PER_CALL = 11;

    private static int agents(Options o) {
        return (int) Math.max(20, o.events() / o.days() / EVENTS_PER_CALL * 0.6 / 60);
    }

    /** PostgreSQL: the events by COPY (a bulk load, as a restore would), in chunks of 20,000 rows. */
    private static long copy(Database db, Options o, Instant first, long[] calls, JournalGenerator gen) throws Exception {
        String sql = "copy journal_events (event_id, occurred_at, event_day, event_type, call_id, flow, flow_node, queue,"
                + " agent_id, duration_ms, detail, reason, server, customer_id) from stdin with (format csv)";
        long[] n = {0};
        StringBuilder buf = new StringBuilder();
        try (Connection c = db.dataSource().getConnection()) {
            org.postgresql.copy.CopyManager copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
            long made = gen.generate(first, o.days(), o.events(), e -> {
                csv(buf, e);
                if (++n[0] % 20_000 == 0) {
                    flushCopy(copy, sql, buf);
                }
                if (n[0] % 1_000_000 == 0) {
                    System.out.printf("  %,d events, load average %s%n", n[0], load());
                }
            });
            flushCopy(copy, sql, buf);
            calls[0] = gen.calls();
            return made;
        }
    }

    /** The columns of a generated event in the CSV files and COPY, in order. */
    private static final String CSV_COLUMNS = "event_id, occurred_at, event_day, event_type, call_id, flow, flow_node, queue,"
            + " agent_id, duration_ms, detail, reason, server, customer_id";
    /**
     * The journal's secondary indexes (V40, V110, V135, V151; V154 and V168 dropped two, V170 made the call index the
     * unique constraint's), dropped while H2 loads and made again after.
     */
    private static final Map<String, String> H2_INDEXES = new LinkedHashMap<>();

    static {
        H2_INDEXES.put("journal_events_by_time", "(occurred_at)");
        H2_INDEXES.put("journal_events_by_type_time", "(event_type, occurred_at)");
        H2_INDEXES.put("journal_events_by_agent", "(agent_id, occurred_at)");
        H2_INDEXES.put("journal_events_by_customer_type", "(customer_id, event_type, occurred_at)");
    }

    /**
     * H2: each day's events written to a CSV file and loaded by one {@code INSERT ... SELECT ... FROM CSVREAD}, with
     * the table's indexes and unique constraint dropped during the load and made again after (H2 builds an index of
     * a filled table by sorting; row by row, the random event ids make every insert a walk of a deep B-tree).
     */
    private static long csvRead(Database db, Options o, Instant first, long[] calls, JournalGenerator gen) throws Exception {
        Path file = Files.createTempFile("ivr-journal-day-", ".csv");
        long made = 0;
        long insertNs = 0;
        long t0 = System.nanoTime();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("alter table journal_events drop constraint journal_events_call_event");
            for (String index : H2_INDEXES.keySet()) {
                st.execute("drop index " + index);
            }
            String insert = "insert into journal_events (" + CSV_COLUMNS + ") select event_id,"
                    + " cast(occurred_at as timestamp with time zone), cast(event_day as date), event_type, call_id, flow,"
                    + " flow_node, queue, agent_id, cast(duration_ms as bigint), detail, reason, server, customer_id"
                    + " from csvread('" + file.toAbsolutePath() + "', '" + CSV_COLUMNS.replace(" ", "")
                    + "', 'charset=UTF-8 caseSensitiveColumnNames=true')";
            long perDay = o.events() / o.days();
            for (int d = 0; d < o.days(); d++) {
                StringBuilder buf = new StringBuilder();
                long[] n = {0};
                try (var w = Files.newBufferedWriter(file)) {
                    gen.generate(first.plus(Duration.ofDays(d)), 1, perDay, e -> {
                        csv(buf, e);
                        n[0]++;
                        if (buf.length() > 1 << 20) {
                            write(w, buf);
                        }
                    });
                    write(w, buf);
                }
                long s = System.nanoTime();
                int rows = st.executeUpdate(insert);
                insertNs += System.nanoTime() - s;
                if (rows != n[0]) {
                    throw new IllegalStateException("day " + d + ": " + n[0] + " events written, " + rows + " loaded");
                }
                made += rows;
                System.out.printf("  day %d: %,d events, %,d in all, %.0f s (inserts %.0f s), load average %s%n", d + 1,
                        rows, made, (System.nanoTime() - t0) / 1e9, insertNs / 1e9, load());
            }
            long s = System.nanoTime();
            st.execute("alter table journal_events add constraint journal_events_call_event unique nulls not distinct (call_id, event_id)");
            for (Map.Entry<String, String> index : H2_INDEXES.entrySet()) {
                st.execute("create index " + index.getKey() + " on journal_events " + index.getValue());
            }
            System.out.printf("  indexes made in %.0f s%n", (System.nanoTime() - s) / 1e9);
        } finally {
            Files.deleteIfExists(file);
        }
        calls[0] = gen.calls();
        return made;
    }

    private static void write(java.io.Writer w, StringBuilder buf) {
        try {
            w.append(buf);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        buf.setLength(0);
    }

    private static void flushCopy(org.postgresql.copy.CopyManager copy, String sql, StringBuilder buf) {
        try {
            copy.copyIn(sql, new java.io.StringReader(buf.toString()));
        } catch (java.sql.SQLException | java.io.IOException ex) {
            throw new IllegalStateException(ex);
        }
        buf.setLength(0);
    }

    private static void csv(StringBuilder b, JournalEvent e) {
        Object[] v = {e.id(), e.at(), e.day(), e.type().name(), e.callId(), e.flow(), e.node(), e.queue(), e.agent(),
            e.durationMs(), e.detail(), e.reason(), e.server(), e.customer()};
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            if (v[i] != null) {
                b.append('"').append(v[i].toString().replace("\"", "\"\"")).append('"');
            }
        }
        b.append('\n');
    }

    private static String summaryRows(Database db) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from " + JournalSummary.TABLE)) {
            rs.next();
            return String.format(Locale.ROOT, "%,d summary rows", rs.getLong(1));
        }
    }

    /**
     * The database's share of writing the journal, before and after the summaries: the events of 1,000 further calls
     * written in batches of 200 as the writer's transactions, by the plain insert (as before the summaries), the events
     * of 1,000 more by {@link JournalSummary#write} without the flow summary (insert, duplicates left out, queue and
     * agent rows: before V160), and of 1,000 more with it (as the server writes them), batch by batch in turn.
     */
    private static String writeCost(Database db, String label, JournalSummary summary, Instant day) throws Exception {
        List<JournalEvent> events = new ArrayList<>();
        JournalGenerator gen = new JournalGenerator(11, 60, 100_000);
        gen.generate(day, 1, 3_000 * 13, events::add);
        List<List<JournalEvent>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        Map<String, Integer> callOf = new LinkedHashMap<>();
        for (JournalEvent e : events) {
            if (e.callId() != null) {
                callOf.putIfAbsent(e.callId(), callOf.size());
            }
            parts.get(e.callId() == null ? 0 : callOf.get(e.callId()) % 4).add(e);
        }
        JournalSummary noFlows = summary.withoutFlowSummary();
        JournalSummary noFunnel = summary.withoutFunnelSummary();
        long[] ns = new long[4];
        int most = parts.stream().mapToInt(List::size).max().orElse(0);
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            // the four take turns, batch by batch, so that none has the warmer database or cache to itself
            for (int i = 0; i < most; i += 200) {
                for (int h = 0; h < 4; h++) {
                    List<JournalEvent> list = parts.get(h);
                    if (i >= list.size()) {
                        continue;
                    }
                    long s = System.nanoTime();
                    List<JournalEvent> batch = list.subList(i, Math.min(list.size(), i + 200));
                    if (h == 0) {
                        try (PreparedStatement ps = c.prepareStatement(JdbcJournal.INSERT)) {
                            for (JournalEvent e : batch) {
                                JdbcJournal.bind(ps, e);
                                ps.addBatch();
                            }
                            ps.executeBatch();
                        }
                    } else {
                        (h == 1 ? noFlows : h == 2 ? noFunnel : summary).write(c, batch);
                    }
                    c.commit();
                    ns[h] += System.nanoTime() - s;
                }
            }
        }
        double calls = callOf.size() / 4.0;
        return String.format(Locale.ROOT, "| %s | database time per call, batches of 200 events: plain insert %.2f ms (%,d events),"
                        + " insert + queue and agent summaries %.2f ms (%,d events), + flow summary %.2f ms (%,d events),"
                        + " + funnel summary %.2f ms (%,d events) | load %s |%n", label, ns[0] / 1e6 / calls,
                parts.get(0).size(), ns[1] / 1e6 / calls, parts.get(1).size(), ns[2] / 1e6 / calls, parts.get(2).size(),
                ns[3] / 1e6 / calls, parts.get(3).size(), load());
    }

    private static void analyze(Database db, String label) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            if (label.startsWith("PostgreSQL")) {
                st.execute("vacuum analyze journal_events");
                st.execute("vacuum analyze " + JournalSummary.TABLE);
            } else {
                st.execute("analyze");
            }
        }
    }

    private static String size(Database db, String label) throws Exception {
        if (!label.startsWith("PostgreSQL")) {
            return "";
        }
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select pg_size_pretty(pg_total_relation_size('journal_events'))")) {
            rs.next();
            return "table with indexes " + rs.getString(1);
        }
    }

    /**
     * Emits the events of generated calls at the given rate through a real {@link JdbcJournal} (outbox on this disk,
     * batches to the database) and measures each emit's time, and the JVM's CPU per call while it runs.
     */
    private static String write(Options o, Database db, Path dir, String label, JournalSummary summary) throws Exception {
        Map<String, List<JournalEvent>> byCall = new LinkedHashMap<>();
        int callsNeeded = o.callsPerMinute() * o.writeSeconds() / 60;
        new JournalGenerator(7, 60, 100_000).generate(Instant.parse("2026-05-04T00:00:00Z"), 1,
                (long) callsNeeded * 16, e -> {
                    if (e.callId() != null) {
                        byCall.computeIfAbsent(e.callId(), k -> new ArrayList<>()).add(e);
                    }
                });
        List<List<JournalEvent>> calls = new ArrayList<>(byCall.values()).subList(0, Math.min(callsNeeded, byCall.size()));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] emitNs = new long[calls.stream().mapToInt(List::size).sum()];
        long[] perCallNs = new long[calls.size()];
        int k = 0;
        long events = 0;
        long gapNs = 60_000_000_000L / o.callsPerMinute();
        long drainMs;
        long cpu0;
        long cpu1;
        try (JdbcJournal journal = new JdbcJournal(db.dataSource(), db.dialect(), db::isReady, dir.resolve("journal-outbox"),
                Duration.ofMillis(250), new SimpleMeterRegistry())) {
            journal.summarize(summary.rules(), summary.fcrWindow());
            cpu0 = os.getProcessCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < calls.size(); i++) {
                long due = start + i * gapNs;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                long callStart = System.nanoTime();
                for (JournalEvent e : calls.get(i)) {
                    long s = System.nanoTime();
                    journal.emit(e);
                    emitNs[k++] = System.nanoTime() - s;
                    events++;
                }
                perCallNs[i] = System.nanoTime() - callStart;
            }
            long endEmit = System.nanoTime();
            while (journal.pending() > 0 && System.nanoTime() - endEmit < 60_000_000_000L) {
                Thread.sleep(10);
            }
            drainMs = (System.nanoTime() - endEmit) / 1_000_000;
            cpu1 = os.getProcessCpuTime();
        }
        Arrays.sort(emitNs, 0, k);
        Arrays.sort(perCallNs);
        double cpuPerCallMs = (cpu1 - cpu0) / 1e6 / calls.size();
        return String.format(Locale.ROOT, "| %s | journal writes: %,d calls (%,d events) at %,d calls/min | per event p50 %.2f ms, p99 %.2f ms;"
                        + " per call (its events) p50 %.1f ms, p99 %.1f ms; JVM CPU %.2f ms per call; all in the database %,d ms after the last |%n",
                label, calls.size(), events, o.callsPerMinute(), emitNs[k / 2] / 1e6, emitNs[(int) (k * 0.99)] / 1e6,
                perCallNs[perCallNs.length / 2] / 1e6, perCallNs[(int) (perCallNs.length * 0.99)] / 1e6, cpuPerCallMs, drainMs);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static Options parse(String[] args) {
        long events = 10_000_000;
        int days = 30;
        List<String> dbs = List.of("postgres", "h2");
        int runs = 5;
        int writeSeconds = 60;
        int cpm = 1000;
        boolean memory = false;
        String lock = null;
        List<Integer> otherDays = List.of(1, 7, 30);
        List<String> reports = List.of("queue", "agent", "flow", "campaign", "funnel");
        Path dbDir = null;
        long seed = 20_260_302L;
        int referenceDays = Integer.MAX_VALUE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--events" -> events = Long.parseLong(args[++i].replace("_", ""));
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--db" -> dbs = List.of(args[++i].split(","));
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--write-seconds" -> writeSeconds = Integer.parseInt(args[++i]);
                case "--calls-per-minute" -> cpm = Integer.parseInt(args[++i]);
                case "--memory" -> memory = true;
                case "--lock" -> lock = args[++i];
                case "--other-days" -> otherDays = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                case "--reports" -> reports = List.of(args[++i].split(","));
                case "--db-dir" -> dbDir = Path.of(args[++i]).toAbsolutePath();
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--reference-days" -> referenceDays = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dbDir != null && dbs.contains("postgres")) {
            throw new IllegalArgumentException("--db-dir keeps the H2 database only (PostgreSQL runs as a throwaway server):"
                    + " run PostgreSQL without it");
        }
        if (dbDir != null && writeSeconds > 0) {
            throw new IllegalArgumentException("--db-dir needs --write-seconds 0: the write runs add events to the kept database");
        }
        return new Options(events, days, dbs, Math.max(1, runs), writeSeconds, cpm, memory, lock, otherDays, reports, dbDir,
                seed, referenceDays);
    }

    private static void delete(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * The H2 agent report's edges alone (wave 14c): how many agents have events near both edges (the near read), then
     * every agent's edges from the per-hour summary's hint (AgentReport.aroundHinted) against one query per agent
     * (AgentReport.around, before wave 14c for agents without events near the edges), the same parts checked.
     */
    private static void agentEdges(dev.ivr.server.db.Database db, String label, int days, Instant from, Instant to)
            throws Exception {
        try (java.sql.Connection c = db.dataSource().getConnection()) {
            List<String> names = new java.util.ArrayList<>();
            try (var ps = c.prepareStatement("select agent_id from journal_agents order by agent_id");
                 var rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            Map<String, List<JournalSummary.Stored>> near = AgentReport.near(c, from, to);
            long complete = names.stream().filter(a -> java.util.stream.IntStream.range(0, 4).allMatch(i ->
                    AgentReport.nearPart(near.getOrDefault(a, List.of()), i, from, to) != null)).count();
            long t0 = System.nanoTime();
            Map<String, List<List<JournalSummary.Stored>>> hinted = AgentReport.aroundHinted(c, names, from, to);
            long t1 = System.nanoTime();
            Map<String, List<List<JournalSummary.Stored>>> own = new java.util.HashMap<>();
            for (String a : names) {
                own.put(a, AgentReport.around(c, a, from, to));
            }
            long t2 = System.nanoTime();
            System.out.printf("%s: %d-day agent report's edges from %s: %d of %d agents with events near both edges; every agent's"
                    + " from the hour rows' hint %d ms, one query per agent %d ms, the same: %s%n", label, days, from, complete,
                    names.size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, hinted.equals(own));
        }
    }
}
