package dev.ivr.server.cli;

import dev.ivr.server.config.ConfigException;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.Redaction;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.crm.pin.PinPepper;
import dev.ivr.server.crm.store.JdbcCrmStore;
import dev.ivr.server.db.Database;
import dev.ivr.server.crm.NoCrmStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The CRM a simulation reads: the configured database, read only (authentication decides as a
 * server would and rolls its counting back, nothing is recorded), or none with the reason when
 * it cannot be used (not created yet, open in a running server, unreachable).
 */
final class ReadOnlyCrm implements AutoCloseable {
    private final CrmStore store;
    private final String note;
    private final Database db;
    private final Path scratch;

    private ReadOnlyCrm(CrmStore store, String note, Database db, Path scratch) {
        this.store = store;
        this.note = note;
        this.db = db;
        this.scratch = scratch;
    }

    CrmStore store() {
        return store;
    }

    /** What the simulation's customers are, for its first line. */
    String note() {
        return note;
    }

    static ReadOnlyCrm open(ConfigOption option) {
        IvrConfig cfg;
        try {
            cfg = option.load();
        } catch (ConfigException e) {
            return none("no customers: the configuration has problems (" + String.join("; ", e.problems()) + ")");
        }
        Path h2 = Database.h2File(cfg.database(), cfg.dataDir());
        if (h2 != null && !Files.isRegularFile(h2)) {
            return none("no customers: there is no database yet in " + cfg.dataDir().resolve("db")
                    + " (./ivr import-customers config/sample-customers.csv loads the samples; or --customers FILE)");
        }
        var inUse = Preflight.h2InUse(cfg);
        if (inUse.isPresent()) {
            return none("no customers: " + inUse.get() + "; or --customers FILE");
        }
        Path pepperFile = cfg.crm().pinPepperFile() == null || cfg.crm().pinPepperFile().isBlank()
                ? cfg.dataDir().resolve("pin-pepper") : Path.of(cfg.crm().pinPepperFile());
        PinHasher pins;
        if (Files.isRegularFile(pepperFile)) {
            try {
                pins = new PinHasher(cfg.crm().pinHash(), PinPepper.load(pepperFile.toString(),
                        cfg.crm().pinOldPepperFiles(), cfg.dataDir()));
            } catch (IllegalStateException e) {
                return none("no customers: " + e.getMessage());
            }
        } else {
            return none("no customers: no PIN pepper at " + pepperFile + " (the database was never used here)");
        }
        Database db = Database.open(cfg.database(), cfg.dataDir());
        Duration wait = cfg.database().connectTimeout().multipliedBy(2);
        if (!db.awaitReady(wait.compareTo(Duration.ofSeconds(5)) > 0 ? wait : Duration.ofSeconds(5))) {
            String why = db.health().detail();
            db.close();
            return none("no customers: cannot reach the database " + Redaction.url(Database.effectiveUrl(cfg.database(),
                    cfg.dataDir())) + " (" + why + ")");
        }
        try {
            Path scratch = Files.createTempDirectory("ivr-simulate");
            JdbcCrmStore store = JdbcCrmStore.readOnly(db, cfg.crm(), pins, scratch, new SimpleMeterRegistry());
            return new ReadOnlyCrm(store, "customers from the configured database " + Redaction.url(
                    Database.effectiveUrl(cfg.database(), cfg.dataDir())).replaceAll(";.*", "") + ", read only", db, scratch);
        } catch (IOException e) {
            db.close();
            return none("no customers: " + e.getMessage());
        }
    }

    private static ReadOnlyCrm none(String why) {
        return new ReadOnlyCrm(new NoCrmStore(), why, null, null);
    }

    @Override
    public void close() {
        if (store instanceof JdbcCrmStore j) {
            j.close();
        }
        if (db != null) {
            db.close();
        }
        if (scratch != null) {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind
            }
        }
    }
}
