package dev.ivr.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.config.Redaction;
import dev.ivr.server.health.Health;
import dev.ivr.server.secrets.PrivateFiles;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The database: a HikariCP pool and Flyway migrations (one set of scripts in
 * {@code db/migration}, for H2 and PostgreSQL). An unreachable database does not stop the
 * server: migrations are retried in the background and {@link #health()} says DOWN until
 * they succeed, while calls go on without the database.
 *
 * <p>Two pools: one for calls ({@link #dataSource()}, {@code database.pool-size}) and one for
 * the HTTP side ({@link #httpDataSource()}, {@code database.http-pool-size}), so that no number
 * of HTTP requests can take the connections calls need.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final HikariDataSource pool;
    private final HikariDataSource httpPool;
    private final Dialect dialect;
    private volatile boolean migrated;
    private volatile String lastError = "not connected yet";
    private volatile Thread migrator;
    private volatile boolean closed;
    /** The directory of the default H2 file database, or null for any other database. */
    private final Path h2Dir;
    private final WriteFailures writeFailures = new WriteFailures();

    private Database(HikariDataSource pool, HikariDataSource httpPool, Dialect dialect, Path h2Dir) {
        this.pool = pool;
        this.httpPool = httpPool;
        this.dialect = dialect;
        this.h2Dir = h2Dir;
    }

    /**
     * Opens the pool and migrates the schema. If the database cannot be reached, retries in
     * the background; use {@link #awaitReady} to wait.
     */
    public static Database open(DatabaseConfig config, Path dataDir) {
        String url = effectiveUrl(config, dataDir);
        Dialect dialect = Dialect.ofUrl(url);
        Path h2Dir = null;
        if (url.startsWith(H2_FILE)) {
            h2Dir = privateH2Directory(dataDir);
        }
        HikariDataSource calls = pool("ivr-db", url, config, config.poolSize());
        // the embedded H2 file database is opened in this process: a second pool on it would open
        // it a second time after H2 closed it on a failed write, and find its file locked. The HTTP
        // side then shares the calls' pool (bounded by desk.max-concurrent-sign-ins, and no
        // connection is held during a password check).
        HikariDataSource http = h2Dir != null ? calls : pool("ivr-db-http", url, config, config.httpPoolSize());
        Database db = new Database(calls, http, dialect, h2Dir);
        LOG.info("database {}", Redaction.url(url));
        if (!db.tryMigrate()) {
            db.retryInBackground();
        }
        return db;
    }

    /**
     * The configured URL, or the default H2 file database in the data directory. The default
     * database is on {@link DurableFilePath} with {@code WRITE_DELAY=0}: H2 writes every commit
     * before the statement returns (its default keeps commits in memory for up to 500 ms and
     * writes them from a background thread, so a full disk or a crash loses them unseen), and
     * the write reaches the device.
     *
     * <p>Every H2 URL, the default and one the operator configures, gets {@code OPTIMIZE_REUSE_RESULTS=0} unless it
     * sets that itself: H2 otherwise hands a statement run again on the same connection its previous result while the
     * tables' modification counter has not moved, and a commit makes its rows visible (and releases its row locks)
     * before it moves that counter. A transaction woken by that commit from a {@code select ... for update} could then
     * count the rows of before the commit: two servers' campaign claims both saw max-concurrent free
     * ({@code CampaignClaimRaceIT}).
     */
    public static String effectiveUrl(DatabaseConfig config, Path dataDir) {
        if (config.url() != null && !config.url().isBlank()) {
            return withoutResultReuse(config.url());
        }
        Path file = dataDir.resolve("db").resolve("ivr").toAbsolutePath();
        // DB_CLOSE_ON_EXIT=FALSE: the server closes the database itself, after draining calls
        return H2_FILE + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;QUERY_CACHE_SIZE=" + QUERY_CACHE + NO_RESULT_REUSE;
    }

    /**
     * Parsed statements H2 keeps per connection of the default database (H2's default: 8). The journal writer's batch
     * prepares about as many texts as 8 (its inserts, row numbers, the summaries' reads and upserts), and other work
     * on the same pooled connection more: with 8, one more statement in the batch had its upserts parsed anew at every
     * batch (issue 16, twenty-first round, js25). H2 clears the cache when the schema changes, as with 8.
     */
    static final int QUERY_CACHE = 64;

    private static final String NO_RESULT_REUSE = ";OPTIMIZE_REUSE_RESULTS=0";

    /**
     * {@code url}, with H2's result reuse turned off when it is an H2 URL that does not set it (see {@link #effectiveUrl});
     * IllegalArgumentException for a database other than H2 and PostgreSQL ({@link Dialect#ofUrl}).
     */
    static String withoutResultReuse(String url) {
        if (Dialect.ofUrl(url) != Dialect.H2
                || url.toUpperCase(java.util.Locale.ROOT).contains("OPTIMIZE_REUSE_RESULTS")) {
            return url;
        }
        return url + NO_RESULT_REUSE;
    }

    private static final String H2_FILE = "jdbc:h2:" + DurableFilePath.SCHEME + ":";

    /** The file of the default H2 database of this configuration, or null when it names another database. */
    public static Path h2File(DatabaseConfig config, Path dataDir) {
        return config.url() != null && !config.url().isBlank() ? null
                : dataDir.resolve("db").resolve("ivr.mv.db").toAbsolutePath();
    }

    /**
     * Whether a process (a running server, an import) has this H2 database file open: H2 holds a
     * lock on the file while it has it open, and a second process cannot open it. False when the
     * file does not exist.
     */
    public static boolean h2FileInUse(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return false;
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock lock = ch.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return true; // this process has it open
        } catch (IOException e) {
            return false; // unreadable: opening it says why
        }
    }

    /** The default database's directory, 0700, its files 0600 (also those an older version left readable). */
    private static Path privateH2Directory(Path dataDir) {
        DurableFilePath.register();
        Path dir = dataDir.resolve("db");
        try {
            PrivateFiles.directory(dir);
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    PrivateFiles.file(f);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot make the database directory {} private: {}", dir, e.toString());
        }
        return dir.toAbsolutePath();
    }

    /**
     * Told by the writers (the CRM store) how their writes went: while the last one failed,
     * {@link #health()} is DEGRADED with the reason, even when a new connection still answers
     * (H2 reopens a database whose last write failed; reads work, writes do not).
     */
    public WriteFailures writes() {
        return writeFailures;
    }

    private static HikariDataSource pool(String name, String url, DatabaseConfig config, int size) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setJdbcUrl(url);
        hc.setUsername(config.user());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(Math.min(2, size));
        hc.setConnectionTimeout(config.connectTimeout().toMillis());
        hc.setValidationTimeout(Math.min(1000, config.connectTimeout().toMillis()));
        hc.setInitializationFailTimeout(-1); // start without the database; connect when it is there
        return new HikariDataSource(hc);
    }

    private boolean tryMigrate() {
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(false)
                    .load();
            MigrateResult r = flyway.migrate();
            migrated = true;
            lastError = null;
            LOG.info("database schema at version {} ({} migration(s) applied now)",
                    r.targetSchemaVersion == null ? flyway.info().current() == null ? "empty"
                            : flyway.info().current().getVersion() : r.targetSchemaVersion, r.migrationsExecuted);
            return true;
        } catch (RuntimeException e) {
            lastError = Redaction.url(rootMessage(e));
            LOG.warn("database not ready: {}", lastError);
            return false;
        }
    }

    private void retryInBackground() {
        migrator = Thread.ofVirtual().name("db-migrate").start(() -> {
            long delay = 1000;
            while (!migrated && !closed) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    return;
                }
                if (!closed && tryMigrate()) {
                    LOG.info("database is back");
                }
                delay = Math.min(delay * 2, 30_000);
            }
        });
    }

    /** Waits until the schema is migrated; false on timeout. */
    public boolean awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!migrated && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return migrated;
    }

    /** Connections for calls (and migrations, tools). */
    public DataSource dataSource() {
        return pool;
    }

    /** Connections for the HTTP side: sign-in, users, the CRM API. */
    public DataSource httpDataSource() {
        return httpPool;
    }

    public boolean isReady() {
        return migrated;
    }

    /** H2 or PostgreSQL: for the few statements that differ (known from the URL, also while the database is down). */
    public Dialect dialect() {
        return dialect;
    }

    public Health health() {
        if (!migrated) {
            return Health.down(lastError == null ? "migrating" : lastError);
        }
        Health connected;
        try (Connection c = pool.getConnection()) {
            if (!c.isValid(1)) {
                return Health.down("connection not valid");
            }
            connected = Health.up(dialect.product() + ", pool "
                    + pool.getHikariPoolMXBean().getActiveConnections() + "/" + pool.getMaximumPoolSize() + " in use"
                    + (httpPool == pool ? " (shared by the HTTP side)" : ", HTTP pool "
                    + httpPool.getHikariPoolMXBean().getActiveConnections() + "/" + httpPool.getMaximumPoolSize()));
        } catch (SQLException e) {
            return Health.down(Redaction.url(rootMessage(e)));
        }
        String failing = writeFailures.describe();
        if (failing != null) {
            return Health.degraded(failing);
        }
        if (h2Dir != null) {
            try {
                long free = Files.getFileStore(h2Dir).getUsableSpace();
                if (free < LOW_DISK_BYTES) {
                    return Health.degraded("only " + free / 1024 + " KiB free on the disk of " + h2Dir
                            + ": writes will fail when it is full");
                }
            } catch (IOException e) {
                return Health.degraded("cannot read the free space of " + h2Dir + ": " + e.getMessage());
            }
        }
        return connected;
    }

    /** Below this much free space on the default database's disk, health says DEGRADED. */
    static final long LOW_DISK_BYTES = 64L * 1024 * 1024;

    @Override
    public void close() {
        closed = true;
        if (migrator != null) {
            migrator.interrupt();
        }
        if (httpPool != pool) {
            httpPool.close();
        }
        if (dialect == Dialect.H2 && migrated) {
            try (Connection c = pool.getConnection(); var st = c.createStatement()) {
                st.execute("SHUTDOWN");
            } catch (SQLException e) {
                LOG.debug("H2 shutdown: {}", e.getMessage());
            }
        }
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
