package dev.ivr.server.cli;

import ch.qos.logback.classic.Level;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.Redaction;
import dev.ivr.server.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.time.Duration;

/** What the customer import and export commands share: configuration, quiet logs, the database. */
final class CrmDatabase {
    private CrmDatabase() {
    }

    /** The configuration, or null after printing its problems. */
    static IvrConfig config(ConfigOption option, PrintWriter err) {
        return option.loadOrReport(err);
    }

    /** Server log lines would mix with the command's output: only warnings, or nothing at all. */
    static void quietLogs(boolean silent) {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(silent ? Level.OFF : Level.WARN);
        }
    }

    /** Opens the database and waits for its schema; null after printing why it cannot be reached. */
    static Database open(IvrConfig config, PrintWriter err) {
        var inUse = Preflight.h2InUse(config);
        if (inUse.isPresent()) {
            err.println("ivr-server: " + inUse.get());
            return null;
        }
        Database db = Database.open(config.database(), config.dataDir());
        Duration wait = config.database().connectTimeout().multipliedBy(5).compareTo(Duration.ofSeconds(10)) > 0
                ? config.database().connectTimeout().multipliedBy(5) : Duration.ofSeconds(10);
        if (db.awaitReady(wait)) {
            return db;
        }
        String why = db.health().detail();
        db.close();
        err.println("ivr-server: cannot reach the database "
                + Redaction.url(Database.effectiveUrl(config.database(), config.dataDir())) + ": " + why);
        if (why != null && (why.contains("is locked") || why.contains("already in use"))) {
            err.println("ivr-server: an H2 file database has one user at a time: stop the server first,"
                    + " or run the server on PostgreSQL (database.url)");
        }
        return null;
    }

    /** A command's work on the database. */
    interface Work {
        int run(IvrConfig config, Database db, PrintWriter out, PrintWriter err) throws Exception;
    }

    /**
     * Loads the configuration, opens the database, runs the work and closes it: 2 for a broken
     * configuration, 1 when the database cannot be reached or the work throws (its message printed).
     */
    static int withDatabase(ConfigOption option, picocli.CommandLine.Model.CommandSpec spec, Work work) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IvrConfig cfg = config(option, err);
        if (cfg == null) {
            return 2;
        }
        quietLogs(false);
        Database db = open(cfg, err);
        if (db == null) {
            return 1;
        }
        try (db) {
            return work.run(cfg, db, out, err);
        } catch (java.sql.SQLException e) {
            err.println("ivr-server: the database failed (" + e.getSQLState() + ")");
            return 1;
        } catch (Exception e) {
            err.println("ivr-server: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
