package dev.ivr.server.crm.bench;

import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.CrmConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.crm.store.JdbcCrmStore;
import dev.ivr.server.db.Database;
import dev.ivr.server.db.Dialect;
import dev.ivr.testsupport.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Round trips per second of the CRM store's identify and authenticate, on H2 and on PostgreSQL,
 * with a million customers. Not a test: run it by hand (docs/benchmarks.md has the command).
 *
 * <p>Loads N customers (each with one phone number, one account, one attribute) by JDBC batches,
 * then for each operation runs T threads for S seconds after a warm-up and reports
 * round trips per second and p50/p99 latency. Authenticate uses the default Argon2id cost
 * (crm.pin-hash); every account shares one PIN hash, which costs the same to verify as
 * distinct ones. PostgreSQL runs with its default durability (fsync on); H2 as the server opens its default
 * database (WRITE_DELAY=0, writes through to the device: a commit is on disk when it returns).
 * Logging is set to WARN (the store logs one INFO line per call, which on a console would be
 * measured instead).
 *
 * <pre>
 * --customers N (1000000)  --seconds S (15)  --warmup S (5)  --db h2,postgres
 * --threads T (8: callers at once for identify and record)
 * --auth-threads A (the number of cores: Argon2 is CPU-bound, more threads only queue)
 * </pre>
 */
public final class CrmBenchmark {
    private static final String PIN = "2468";

    private record Options(int customers, int seconds, int warmup, int threads, int authThreads, List<String> dbs) {
    }

    private record Result(String op, int threads, long ops, double perSecond, double p50ms, double p99ms) {
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        // a log line per call to the console would measure the console: warnings only
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        System.out.printf("CRM store benchmark: %,d customers, %ds per operation after %ds warm-up%n",
                o.customers(), o.seconds(), o.warmup());
        System.out.println("machine: " + machine());
        CrmConfig crm = ConfigLoader.load(Map.of()).crm();
        System.out.printf("PIN hash: Argon2id m=%d KiB, t=%d, p=%d (the defaults)%n", crm.pinHash().memory(),
                crm.pinHash().iterations(), crm.pinHash().parallelism());
        StringBuilder table = new StringBuilder();
        table.append("| database | operation | threads | round trips/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n");
        for (String db : o.dbs()) {
            Path dir = Files.createTempDirectory("ivr-crm-bench-");
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
                for (Result r : run(o, crm, url, user, dir, label)) {
                    table.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %.2f | %.2f |%n", label, r.op(),
                            r.threads(), r.perSecond(), r.p50ms(), r.p99ms()));
                }
            } finally {
                delete(dir);
            }
        }
        System.out.println();
        System.out.print(table);
        System.exit(0);
    }

    private static List<Result> run(Options o, CrmConfig crm, String url, String user, Path dir, String label)
            throws Exception {
        try (Database db = Database.open(new DatabaseConfig(url, user, "", Math.max(10, o.threads() + 2), 2,
                Duration.ofSeconds(5)), dir)) {
            if (!db.awaitReady(Duration.ofSeconds(60))) {
                throw new IllegalStateException(label + ": " + db.health().detail());
            }
            long t0 = System.nanoTime();
            load(db, o.customers(), new PinHasher(crm.pinHash()).hash(PIN));
            System.out.printf("%s: loaded %,d customers (with numbers, accounts, attributes) in %.0f s%n", label,
                    o.customers(), (System.nanoTime() - t0) / 1e9);
            List<Result> results = new ArrayList<>();
            PinHasher hasher = new PinHasher(crm.pinHash());
            String hash = hasher.hash(PIN);
            try (JdbcCrmStore store = new JdbcCrmStore(db.dataSource(), db::isReady, crm, dir.resolve("outbox"), "bench",
                    Clock.systemUTC(), new SimpleMeterRegistry())) {
                int n = o.customers();
                results.addAll(measure(o, o.threads(), List.of("identify"), i -> {
                    Identification id = store.identify(ani(ThreadLocalRandom.current().nextInt(n)));
                    return id.status() == Identification.Status.IDENTIFIED ? 0 : -1;
                }));
                results.addAll(measure(o, o.authThreads(), List.of("PIN check alone (Argon2id, no database)"),
                        i -> hasher.verify(PIN, hash) ? 0 : -1));
                results.addAll(measure(o, o.authThreads(), List.of("authenticate (right PIN)"), i -> store.authenticate(
                        account(ThreadLocalRandom.current().nextInt(n)), PIN, "bench-" + i).status()
                        == Authentication.Status.OK ? 0 : -1));
                results.addAll(measure(o, o.authThreads(), List.of("identify + authenticate (one caller)"), i -> {
                    int k = ThreadLocalRandom.current().nextInt(n);
                    return store.identify(ani(k)).status() == Identification.Status.IDENTIFIED
                            && store.authenticate(account(k), PIN, "bench-" + i).status() == Authentication.Status.OK ? 0 : -1;
                }));
                // interleaved, so that both meet the same conditions: does the time tell whether an account exists?
                AtomicLong wrong = new AtomicLong();
                results.addAll(measure(o, o.authThreads(),
                        List.of("authenticate (wrong PIN, existing account)", "authenticate (unknown account)"), i -> {
                            if (i % 2 == 0) {
                                return store.authenticate(account((int) (wrong.getAndIncrement() % n)), "1357", "bench-" + i)
                                        .status() == Authentication.Status.FAILED ? 0 : -1;
                            }
                            return store.authenticate("9" + (900_000_000L + i), "1357", "bench-" + i).status()
                                    == Authentication.Status.FAILED ? 1 : -1;
                        }));
                Instant start = Instant.now();
                results.addAll(measure(o, o.threads(), List.of("record interaction"), i -> {
                    store.store(new Interaction("bench-" + System.nanoTime() + "-" + i, ani((int) (i % n)), "1000",
                            "customer-service", "1", start, start.plusSeconds(60), List.of("welcome", "identify", "menu"),
                            Map.of("menu", "2"), customer((int) (i % n)), "OK", "billing", "agent-1",
                            Duration.ofSeconds(10), Duration.ofSeconds(50), Interaction.Outcome.ROUTED, "bench"));
                    return 0;
                }));
            }
            for (Result r : results) {
                System.out.printf(Locale.ROOT, "%s: %-45s %d threads %,10.0f/s  p50 %7.2f ms  p99 %7.2f ms  (%,d)%n", label,
                        r.op(), r.threads(), r.perSecond(), r.p50ms(), r.p99ms(), r.ops());
            }
            return results;
        }
    }

    /**
     * Runs op on T threads: a warm-up, then S measured seconds. op gets a unique sequence number
     * and answers which of the named operations it did (an index into names), or -1 for an
     * unexpected answer (the benchmark then stops: it measures working calls only).
     */
    private static List<Result> measure(Options o, int threads, List<String> names, Function<Long, Integer> op)
            throws InterruptedException {
        AtomicLong seq = new AtomicLong();
        runFor(threads, Duration.ofSeconds(o.warmup()), seq, names.size(), op);
        long t0 = System.nanoTime();
        List<long[]> samples = runFor(threads, Duration.ofSeconds(o.seconds()), seq, names.size(), op);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        List<Result> out = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            long[] all = samples.get(k);
            Arrays.sort(all);
            out.add(new Result(names.get(k), threads, all.length, all.length / elapsed, pct(all, 0.50), pct(all, 0.99)));
        }
        return out;
    }

    /** Latencies (ns) per operation kind. */
    private static List<long[]> runFor(int threads, Duration d, AtomicLong seq, int kinds, Function<Long, Integer> op)
            throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        AtomicLong failures = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        List<long[][]> perThread = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long[][] mine = new long[kinds][1024];
            int[] size = new int[kinds];
            Thread w = Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end && failures.get() == 0) {
                    long s = System.nanoTime();
                    int kind = op.apply(seq.getAndIncrement());
                    long took = System.nanoTime() - s;
                    if (kind < 0) {
                        failures.incrementAndGet();
                        break;
                    }
                    if (size[kind] == mine[kind].length) {
                        mine[kind] = Arrays.copyOf(mine[kind], size[kind] * 2);
                    }
                    mine[kind][size[kind]++] = took;
                }
                long[][] done = new long[kinds][];
                for (int k = 0; k < kinds; k++) {
                    done[k] = Arrays.copyOf(mine[k], size[k]);
                }
                synchronized (perThread) {
                    perThread.add(done);
                }
            });
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException("an operation gave an unexpected answer");
        }
        List<long[]> out = new ArrayList<>();
        for (int k = 0; k < kinds; k++) {
            int kk = k;
            out.add(perThread.stream().flatMapToLong(a -> Arrays.stream(a[kk])).toArray());
        }
        return out;
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    // ------------------------------------------------------------------ data

    static String customer(int i) {
        return String.format("C%07d", i);
    }

    static String account(int i) {
        return Long.toString(10_000_000L + i);
    }

    /** The caller's number in one of the formats a PBX sends: +3620..., 3620..., 06 20 ... */
    static String ani(int i) {
        String national = String.format("20%07d", i);
        return switch (i % 3) {
            case 0 -> "+36" + national;
            case 1 -> "36" + national;
            default -> "06 " + national.substring(0, 2) + " " + national.substring(2, 5) + " " + national.substring(5);
        };
    }

    /** Bulk load by JDBC batches, 5,000 customers per transaction. */
    private static void load(Database db, int n, String pinHash) throws SQLException {
        var now = Instant.now().atOffset(ZoneOffset.UTC);
        String[] tiers = {"standard", "silver", "gold", "platinum"};
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement cu = c.prepareStatement("insert into customers (id, first_name, last_name, language, tier,"
                    + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement ph = c.prepareStatement("insert into phone_numbers (e164, customer_id) values (?, ?)");
                 PreparedStatement ac = c.prepareStatement("insert into accounts (account_number, customer_id, pin_hash,"
                         + " status, created_at, updated_at) values (?, ?, ?, 'active', ?, ?)");
                 PreparedStatement at = c.prepareStatement(
                         "insert into customer_attributes (customer_id, attr_name, attr_value) values (?, 'segment', ?)")) {
                for (int i = 0; i < n; i++) {
                    String id = customer(i);
                    cu.setString(1, id);
                    cu.setString(2, "First" + i);
                    cu.setString(3, "Last" + i);
                    cu.setString(4, i % 2 == 0 ? "hu" : "en");
                    cu.setString(5, tiers[i % 4]);
                    cu.setObject(6, now);
                    cu.setObject(7, now);
                    cu.addBatch();
                    ph.setString(1, "+3620" + String.format("%07d", i));
                    ph.setString(2, id);
                    ph.addBatch();
                    ac.setString(1, account(i));
                    ac.setString(2, id);
                    ac.setString(3, pinHash);
                    ac.setObject(4, now);
                    ac.setObject(5, now);
                    ac.addBatch();
                    at.setString(1, id);
                    at.setString(2, i % 5 == 0 ? "business" : "retail");
                    at.addBatch();
                    if ((i + 1) % 5000 == 0 || i == n - 1) {
                        cu.executeBatch();
                        ph.executeBatch();
                        ac.executeBatch();
                        at.executeBatch();
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) { // statistics / data on disk before measuring
                st.execute(db.dialect() == Dialect.POSTGRESQL ? "analyze" : "checkpoint sync");
            }
        }
    }

    // ------------------------------------------------------------------ misc

    private static Options parse(String[] args) {
        int customers = 1_000_000;
        int seconds = 15;
        int warmup = 5;
        int threads = 8;
        int authThreads = Runtime.getRuntime().availableProcessors();
        List<String> dbs = List.of("h2", "postgres");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--customers" -> customers = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--auth-threads" -> authThreads = Integer.parseInt(args[i + 1]);
                case "--db" -> dbs = List.of(args[i + 1].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Options(customers, seconds, warmup, threads, authThreads, dbs);
    }

    private static String machine() {
        String cpu = "?";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceAll(".*:\\s*", "")).orElse("?");
        } catch (IOException e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB heap, Java " + Runtime.version();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
