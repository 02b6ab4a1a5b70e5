package dev.ivr.server.cli;

import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.crm.pin.PinPepper;
import dev.ivr.server.db.Database;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code ivr-server import-customers FILE.csv}: customers, numbers, accounts and PINs from CSV, all or nothing. */
@Command(name = "import-customers", mixinStandardHelpOptions = true,
        description = {"Import customers from CSV into the CRM database, in one transaction: every row or none.",
                "Columns: id, first_name, last_name, language, tier, phones, accounts, pins, pin_hashes, statuses,"
                        + " attr.NAME (see README, 'CRM store'). A row for an existing id replaces that customer.",
                "PINs are hashed (Argon2id) and never printed. Rejected rows are listed with their line numbers."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:imported (or, with --dry-run, all rows valid)", "1:rows rejected or the import failed; nothing changed",
                "2:bad usage or configuration"})
public final class ImportCustomersCommand implements Callable<Integer> {
    /** Files with more records than this get a progress bar. */
    static final long PROGRESS_FROM = 1000;

    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "FILE.csv", description = "The CSV file (UTF-8, header row first).")
    Path file;

    @Option(names = "--skip-invalid", description = "Import the valid rows even when others are rejected.")
    boolean skipInvalid;

    @Option(names = "--dry-run", description = "Check every row against the database, then change nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        IvrConfig cfg = CrmDatabase.config(config, err);
        if (cfg == null) {
            return 2;
        }
        if (!Files.isRegularFile(file)) {
            err.println("ivr-server: " + file + ": no such file");
            return 2;
        }
        CrmDatabase.quietLogs(false);
        PinPepper pepper;
        try {
            pepper = PinPepper.load(cfg.crm().pinPepperFile(), cfg.crm().pinOldPepperFiles(), cfg.dataDir());
        } catch (IllegalStateException e) {
            err.println("ivr-server: " + e.getMessage());
            return 2;
        }
        Database db = CrmDatabase.open(cfg, err);
        if (db == null) {
            return 1;
        }
        try (db) {
            CustomerImport importer = new CustomerImport(db.dataSource(), new PhoneNumbers(cfg.crm().region()),
                    new PinHasher(cfg.crm().pinHash(), pepper), Clock.systemUTC(),
                    dev.ivr.server.crm.attributes.AttributeSchema.of(cfg.crm().attributes()));
            CustomerImport.Report r = importer.run(file, new CustomerImport.Options(skipInvalid, dryRun), new Bar());
            for (CustomerImport.Rejection rej : r.rejected()) {
                out.println(file + ": line " + rej.line() + ": " + rej.problem());
            }
            int valid = r.created() + r.updated();
            if (dryRun) {
                out.printf("dry run: %d record(s) read, %d valid (%d new, %d updated), %d rejected; nothing changed%n",
                        r.records(), valid, r.created(), r.updated(), r.rejected().size());
                return r.rejected().isEmpty() ? 0 : 1;
            }
            if (!r.committed()) {
                out.printf("nothing imported: %d row(s) rejected (fix them, or use --skip-invalid to import the %d valid"
                        + " row(s))%n", r.rejected().size(), valid);
                return 1;
            }
            out.printf("imported %d customer(s) from %s: %d new, %d updated%s%n", valid, file, r.created(), r.updated(),
                    r.rejected().isEmpty() ? "" : ", " + r.rejected().size() + " row(s) rejected and skipped");
            return 0;
        } catch (CustomerImport.ImportFailed e) {
            err.println("ivr-server: " + e.getMessage() + " (nothing imported)");
            return 1;
        }
    }

    /** A progress bar on stderr for large files: redrawn in place on a terminal, a line every few seconds otherwise. */
    private static final class Bar implements CustomerImport.Progress {
        private ProgressBar bar;

        @Override
        public void start(long expectedRecords) {
            if (expectedRecords < PROGRESS_FROM) {
                return;
            }
            boolean terminal = Terminal.console() != null;
            bar = new ProgressBarBuilder().setTaskName("Importing").setInitialMax(expectedRecords).setUnit(" rows", 1)
                    .setStyle(ProgressBarStyle.ASCII).showSpeed()
                    .setUpdateIntervalMillis(terminal ? 250 : 5000)
                    .setConsumer(terminal ? new ConsoleProgressBarConsumer(System.err, 100)
                            : new DelegatingProgressBarConsumer(System.err::println, 100))
                    .build();
        }

        @Override
        public void step() {
            if (bar != null) {
                bar.step();
            }
        }

        @Override
        public void finish() {
            if (bar != null) {
                bar.stepTo(bar.getMax());
                bar.close();
                bar = null;
            }
        }
    }
}
