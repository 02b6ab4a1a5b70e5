package dev.ivr.server.cli;

import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.segment.SegmentException;
import dev.ivr.server.crm.segment.Segments;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.time.ZoneId;

/**
 * {@code ivr-server segment save|count|list|delete|check}: named, saved filters over customers
 * and their attributes, in the flows' expression language (docs/outbound.md). The same as the
 * REST API ({@code /api/segments}).
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Segments: saved filters over customers and their typed attributes, e.g.",
                "  attr.contract_end <= today() + duration(\"30d\") && !attr.do_not_call",
                "An H2 file database has one user at a time: stop the server first, or use the REST API (/api/segments)."},
        subcommands = {SegmentCommand.Save.class, SegmentCommand.Count.class, SegmentCommand.ListSegments.class,
                SegmentCommand.Delete.class, SegmentCommand.Check.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:refused (a bad expression, an unknown segment) or the database is unreachable",
                "2:bad usage or configuration"})
public final class SegmentCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    interface Work {
        int run(Segments segments, PrintWriter out, PrintWriter err) throws SegmentException;
    }

    /**
     * Runs {@code work} on the configured database's segments; a {@link SegmentException} (a bad expression) is
     * printed after {@code subject} (what it is about: {@code "segment NAME"}, {@code "expression"}) and exits with 1.
     */
    static int withSegments(ConfigCommand command, String subject, Work work) {
        return CrmDatabase.withDatabase(command.config, command.spec, (cfg, db, out, err) -> {
            try {
                return work.run(new Segments(db.dataSource(), AttributeSchema.of(cfg.crm().attributes()),
                        Clock.system(ZoneId.systemDefault())), out, err);
            } catch (SegmentException e) {
                err.println(subject + ":" + e.getMessage());
                return 1;
            }
        });
    }

    @Command(name = "save", mixinStandardHelpOptions = true, description = "Check and save (create or replace) a segment.")
    static final class Save extends ConfigCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "EXPRESSION", description = "In the flows' expression language (quote it for the shell).")
        String expression;
        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Override
        public Integer call() {
            return withSegments(this, "segment " + name, (segments, out, err) -> {
                segments.save(name, expression, description, "cli:" + System.getProperty("user.name", "?"));
                out.println("saved segment " + name);
                return 0;
            });
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Check an expression (and count it) without saving.")
    static final class Check extends ConfigCommand {
        @Parameters(index = "0", paramLabel = "EXPRESSION")
        String expression;
        @Option(names = "--sample", paramLabel = "N", description = "How many matching customers to list (default 5, at most 100).")
        int sample = 5;

        @Override
        public Integer call() {
            return withSegments(this, "expression", (segments, out, err) -> {
                print(out, segments.countExpression(expression, sample));
                return 0;
            });
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true, description = "How many customers a saved segment has now, with a sample.")
    static final class Count extends ConfigCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--sample", paramLabel = "N", description = "How many matching customers to list (default 5, at most 100).")
        int sample = 5;

        @Override
        public Integer call() {
            return withSegments(this, "segment " + name, (segments, out, err) -> {
                Optional<Segments.Count> c;
                try {
                    c = segments.count(name, sample);
                } catch (SegmentException e) {
                    err.println("segment " + name + ":" + e.getMessage() + " (the declared attributes changed since it was"
                            + " saved: save it again)");
                    return 1;
                }
                if (c.isEmpty()) {
                    err.println("ivr-server: no segment '" + name + "'" + dev.ivr.server.text.DidYouMean.suffix(name,
                            segments.list().stream().map(Segments.Segment::name).toList()));
                    return 1;
                }
                out.println("segment " + name + ": " + c.get().expression());
                print(out, c.get());
                return 0;
            });
        }
    }

    static void print(PrintWriter out, Segments.Count c) {
        out.println(c.total() + " customer(s) on " + c.today());
        for (Segments.Member m : c.sample()) {
            out.println("  " + m.id() + "  " + String.join(" ", java.util.stream.Stream.of(m.firstName(), m.lastName())
                    .filter(s -> s != null && !s.isBlank()).toList()));
        }
        if (c.total() > c.sample().size() && !c.sample().isEmpty()) {
            out.println("  ... and " + (c.total() - c.sample().size()) + " more");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The saved segments.")
    static final class ListSegments extends ConfigCommand {
        @Override
        public Integer call() {
            return withSegments(this, "segments", (segments, out, err) -> {
                var all = segments.list();
                if (all.isEmpty()) {
                    out.println("no segments (save one with: segment save NAME EXPRESSION)");
                }
                for (Segments.Segment s : all) {
                    out.println(s.name() + "  " + s.expression() + (s.description() == null ? "" : "  # " + s.description()));
                }
                return 0;
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a saved segment.")
    static final class Delete extends ConfigCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return withSegments(this, "segments", (segments, out, err) -> {
                if (!segments.delete(name)) {
                    err.println("ivr-server: no segment '" + name + "'");
                    return 1;
                }
                out.println("deleted segment " + name);
                return 0;
            });
        }
    }
}
