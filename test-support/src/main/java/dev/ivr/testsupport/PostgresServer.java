package dev.ivr.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real, throwaway PostgreSQL server for tests: {@code initdb} and {@code pg_ctl} from the
 * installed binaries ({@code /usr/lib/postgresql/<version>/bin}, or {@code $IVR_TEST_PG_BIN}),
 * in a temporary directory, on a free loopback port, stopped and deleted when the JVM exits.
 * One per test JVM; each test takes a database of its own ({@link #newDatabase}).
 *
 * <p>PostgreSQL refuses to run as root: as root, the server runs as the {@code postgres}
 * user (the Debian package creates it) through {@code runuser}. Without the binaries the
 * tests are skipped with a message, except on CI ({@code CI=true}), where that is a failure.
 */
public final class PostgresServer {
    /** The database user the tests connect as (no password: trust on loopback). */
    public static final String USER = "ivr";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static PostgresServer instance;
    private static PostgresServer durable;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final List<String> asUser;

    private PostgresServer(Path bin, Path dir, int port, List<String> asUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asUser = asUser;
    }

    /** The running server, started on first use; skips (or on CI fails) the test when PostgreSQL is not installed. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = start(false);
        }
        return instance;
    }

    /**
     * A server with PostgreSQL's default durability (fsync, synchronous commit), for benchmarks;
     * {@link #get()}'s server trades that for speed, as tests may.
     */
    public static synchronized PostgresServer durable() {
        if (durable == null) {
            durable = start(true);
        }
        return durable;
    }

    private static PostgresServer start(boolean durable) {
        Path bin = findBinaries();
        if (bin == null) {
            String msg = "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin"
                    + " or $IVR_TEST_PG_BIN; install Debian's postgresql package (.ci/setup does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(msg + " -- CI must run the PostgreSQL tests, not skip them");
            }
            Assumptions.abort(msg + "; skipping the PostgreSQL tests");
        }
        try {
            return start(bin, durable);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot start a test PostgreSQL server: " + e.getMessage(), e);
        }
    }

    private static Path findBinaries() {
        String env = System.getenv("IVR_TEST_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Files.isExecutable(Path.of(env, "initdb")) ? Path.of(env) : null;
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int version(String s) {
        try {
            return Integer.parseInt(s.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static PostgresServer start(Path bin, boolean durable) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("ivr-pg-");
        List<String> asUser = List.of();
        if (root) {
            UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, postgres);
            asUser = List.of("runuser", "-u", "postgres", "--");
        }
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = FreePorts.pick();
            PostgresServer s = new PostgresServer(bin, dir, port, asUser);
            try {
                if (attempt == 0) {
                    s.run(120, "initdb", "-D", dir.resolve("data").toString(), "-U", USER, "-A", "trust", "-E", "UTF8",
                            "--locale=C", "--no-sync");
                }
                s.run(120, "pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
                        "-w", "-t", "90", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                                + " -c max_connections=300" + (durable ? " -c shared_buffers=512MB"
                                : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"),
                        "start");
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(s::stop));
                return s;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private void run(int timeoutSeconds, String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(asUser);
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("LC_ALL", "C");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(tool + " did not finish in " + timeoutSeconds + "s");
        }
        if (p.exitValue() != 0) {
            String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
            throw new IOException(tool + " failed (" + p.exitValue() + "): " + new String(out, Charset.defaultCharset()) + log);
        }
    }

    private void stop() {
        try {
            run(60, "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } catch (IOException | InterruptedException e) {
            System.err.println("test PostgreSQL did not stop: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp dir; best effort
        }
    }

    /** The server's version, e.g. "15.18". */
    public String version() {
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
             Statement st = c.createStatement(); var rs = st.executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1).replaceAll(" .*", "");
        } catch (SQLException e) {
            return "?";
        }
    }

    /** The port the server listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** A new empty database; its JDBC URL. */
    public String newDatabase() {
        String name = "ivr_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
             Statement st = c.createStatement()) {
            st.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database: " + e.getMessage(), e);
        }
        return url(name);
    }

    /** The URL of a database on this server, through another port (a proxy in front of {@link #port()}). */
    public static String url(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private String url(String database) {
        return url(port, database);
    }
}
