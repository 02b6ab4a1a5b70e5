package dev.ivr.server.cli;

import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.text.DidYouMean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ivr-server validate}: checks every flow (schema, node types, references to nodes,
 * prompts, calendars and flows, reachability, endless loops, expressions) and lints it; each
 * problem as file:line:column: message. Exit 1 on any error (or warning with --strict); notes
 * never fail. Speech models are checked as the server would: {@code speech.models} of the
 * configuration, on disk.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check the flows, prompt catalogs and calendars; print each problem as file:line:column: message.")
public final class ValidateCommand implements Callable<Integer> {
    @Mixin
    FlowSources sources;

    @Option(names = "--strict", description = "Warnings (lint) fail too.")
    boolean strict;

    @Parameters(paramLabel = "FLOW", arity = "0..*",
            description = "Flow names or files to report on (default: all). All flows are read either way: they refer to each other.")
    List<String> only = List.of();

    @Override
    public Integer call() {
        ToolLogging.quiet();
        FlowLoader.Sources src = sources.resolveAsServer();
        FlowLoader.Loaded loaded = FlowLoader.load(src);
        List<String> unknown = only.stream().filter(o -> !loaded.flows().containsKey(name(o))).toList();
        if (!unknown.isEmpty()) { // said first and alone: "0 error(s)" and exit 1 read as a contradiction
            for (String o : unknown) {
                System.err.println("ivr-server: no flow named '" + name(o) + "' in " + src.flowsDir()
                        + DidYouMean.suffix(name(o), loaded.flows().keySet()) + " (flows: "
                        + String.join(", ", loaded.flows().keySet()) + ")");
            }
            return 2;
        }
        List<Problem> problems = loaded.allProblems().stream().filter(this::selected).toList();
        problems.forEach(p -> System.out.println(p));
        long errors = problems.stream().filter(Problem::isError).count();
        long warnings = problems.stream().filter(p -> p.severity() == Problem.Severity.WARNING).count();
        long notes = problems.size() - errors - warnings;
        int checked = only.isEmpty() ? loaded.flows().size() : only.size();
        System.err.println(checked + " flow(s) checked in " + src.flowsDir() + ": " + errors + " error(s), "
                + warnings + " warning(s)" + (notes == 0 ? "" : ", " + notes + " note(s)"));
        return errors > 0 || strict && warnings > 0 ? 1 : 0;
    }

    private boolean selected(Problem p) {
        if (only.isEmpty()) {
            return true;
        }
        String file = p.file().getFileName().toString();
        return only.stream().anyMatch(o -> file.equals(name(o) + ".yaml"));
    }

    private static String name(String o) {
        String f = Path.of(o).getFileName().toString();
        return f.endsWith(".yaml") ? f.substring(0, f.length() - 5) : f;
    }
}
