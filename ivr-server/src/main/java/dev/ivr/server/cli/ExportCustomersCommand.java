package dev.ivr.server.cli;

import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.crm.csv.CustomerExport;
import dev.ivr.server.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

/** {@code ivr-server export-customers [FILE]}: every customer as CSV, in the import format. */
@Command(name = "export-customers", mixinStandardHelpOptions = true,
        description = {"Export every customer from the CRM database as CSV, in the format import-customers reads.",
                "PINs are never exported (only their hashes, with --with-pin-hashes)."})
public final class ExportCustomersCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "Where to write (default: standard output).")
    Path file;

    @Option(names = "--with-pin-hashes", description = "Add a pin_hashes column, so that a re-import keeps the PINs.")
    boolean withPinHashes;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        IvrConfig cfg = CrmDatabase.config(config, err);
        if (cfg == null) {
            return 2;
        }
        boolean toStdout = file == null || file.toString().equals("-");
        CrmDatabase.quietLogs(toStdout);
        Database db = CrmDatabase.open(cfg, err);
        if (db == null) {
            return 1;
        }
        try (db) {
            CustomerExport export = new CustomerExport(db.dataSource());
            if (toStdout) {
                Writer w = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                long n = export.run(w, withPinHashes);
                w.flush();
                err.println("exported " + n + " customer(s)");
                return 0;
            }
            Path abs = file.toAbsolutePath();
            Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".part");
            try {
                long n;
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    n = export.run(w, withPinHashes);
                }
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                err.println("exported " + n + " customer(s) to " + file);
                return 0;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
