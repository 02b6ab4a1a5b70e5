package dev.ivr.server.cli;

import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.outbound.DncCsv;
import dev.ivr.server.outbound.DncList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@code ivr-server dnc add|remove|check|import|export|count}: the do-not-call list the dialer
 * checks before every call (docs/outbound.md).
 */
@Command(name = "dnc", mixinStandardHelpOptions = true,
        description = {"The do-not-call list: numbers (any format, stored E.164) no campaign calls, or one campaign",
                "does not (--campaign). Checked by the dialer just before every call."},
        subcommands = {DncCommand.Add.class, DncCommand.Remove.class, DncCommand.Check.class, DncCommand.Import.class,
                DncCommand.Export.class, DncCommand.Count.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done (check: the number is listed)", "1:refused (a bad number; check: not listed) or the database is unreachable",
                "2:bad usage or configuration"})
public final class DncCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    interface Work {
        int run(DncList dnc, PrintWriter out, PrintWriter err) throws Exception;
    }

    static int with(ConfigOption option, CommandLine.Model.CommandSpec spec, Work work) {
        return CrmDatabase.withDatabase(option, spec, (cfg, db, out, err) -> {
            try {
                return work.run(new DncList(db.dataSource(), new PhoneNumbers(cfg.crm().region())), out, err);
            } catch (IllegalArgumentException e) {
                err.println("ivr-server: " + e.getMessage());
                return 1;
            }
        });
    }

    abstract static class Base extends ConfigCommand {
        @Option(names = "--campaign", paramLabel = "NAME", description = "The list of one campaign (default: every campaign's).")
        String campaign;

        String scopeText() {
            return DncList.scope(campaign).equals(DncList.ALL) ? "every campaign" : "campaign " + campaign;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Put numbers on the list.")
    static final class Add extends Base {
        @Parameters(paramLabel = "NUMBER", arity = "1..*", description = "Numbers in any format (+36 1 555 0001, 06 1 555 0001).")
        List<String> numbers;
        @Option(names = "--reason", description = "Why (kept with the entry).")
        String reason;

        @Override
        public Integer call() {
            return with(config, spec, (dnc, out, err) -> {
                int n = dnc.addAll(numbers, campaign, DncList.Origin.of("cli", reason, System.getProperty("user.name")), Instant.now());
                out.printf("%d number(s) added to the do-not-call list of %s (%d already there)%n", n, scopeText(), numbers.size() - n);
                return 0;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Take a number off the list.")
    static final class Remove extends Base {
        @Parameters(paramLabel = "NUMBER")
        String number;

        @Override
        public Integer call() {
            return with(config, spec, (dnc, out, err) -> {
                if (dnc.remove(number, campaign)) {
                    out.println(dnc.normalise(number) + " removed from the do-not-call list of " + scopeText());
                    return 0;
                }
                err.println("ivr-server: " + dnc.normalise(number) + " is not on the do-not-call list of " + scopeText());
                return 1;
            });
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Whether a number is listed, and by whom.")
    static final class Check extends ConfigCommand {
        @Parameters(paramLabel = "NUMBER")
        String number;

        @Override
        public Integer call() {
            return with(config, spec, (dnc, out, err) -> {
                var entries = dnc.lookup(number);
                if (entries.isEmpty()) {
                    out.println(dnc.normalise(number) + ": not on the do-not-call list");
                    return 1;
                }
                for (DncList.Entry e : entries) {
                    out.printf("%s: %s since %s (%s%s%s)%n", e.e164(), DncList.ALL.equals(e.scope()) ? "every campaign" : "campaign " + e.scope(),
                            e.addedAt(), e.source(), e.reason() == null ? "" : ": " + e.reason(),
                            e.callId() == null ? "" : ", call " + e.callId());
                }
                return 0;
            });
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Add the numbers of a file, one a line (a CSV's first column; a header line and # comments are skipped). All or none.")
    static final class Import extends Base {
        @Parameters(paramLabel = "FILE")
        Path file;
        @Option(names = "--reason", description = "Why (kept with every entry).")
        String reason;

        @Override
        public Integer call() {
            return with(config, spec, (dnc, out, err) -> {
                List<String> numbers = DncCsv.numbers(Files.readAllLines(file, StandardCharsets.UTF_8));
                int n = dnc.addAll(numbers, campaign, DncList.Origin.of("import", reason == null ? file.getFileName().toString() : reason,
                        System.getProperty("user.name")), Instant.now());
                out.printf("%s: %d number(s) read, %d added to the do-not-call list of %s%n", file, numbers.size(), n, scopeText());
                return 0;
            });
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Write the list as CSV (to a file, or standard output).")
    static final class Export extends Base {
        @Option(names = "--all-scopes", description = "Every list (every campaign's and each campaign's), with a scope column.")
        boolean allScopes;
        @Parameters(paramLabel = "FILE", arity = "0..1")
        Path file;

        @Override
        public Integer call() {
            return with(config, spec, (dnc, out, err) -> {
                StringBuilder csv = new StringBuilder(DncCsv.HEADER).append('\n');
                for (DncList.Entry e : dnc.list(allScopes ? null : DncList.scope(campaign), Integer.MAX_VALUE)) {
                    csv.append(DncCsv.line(e)).append('\n');
                }
                if (file == null) {
                    out.print(csv);
                } else {
                    Files.writeString(file, csv, StandardCharsets.UTF_8);
                    out.println(file + " written");
                }
                return 0;
            });
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true, description = "How many numbers are on the list.")
    static final class Count extends Base {
        @Override
        public Integer call() {
            return with(config, spec, (dnc, out, err) -> {
                out.println(dnc.count(DncList.scope(campaign)) + " number(s) on the do-not-call list of " + scopeText());
                return 0;
            });
        }
    }
}
