package dev.ivr.server.cli;

import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.tools.FlowGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ivr-server graph}: draws flows as SVG (ELK layout), or prints Mermaid or DOT text. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Draw a flow: SVG picture, or Mermaid / DOT text, with node types and labelled edges.")
public final class GraphCommand implements Callable<Integer> {
    enum Format { svg, mermaid, dot }

    @Mixin
    FlowSources sources;

    @Parameters(paramLabel = "FLOW", arity = "0..*", description = "Flows to draw (default with --out-dir: all).")
    List<String> names = new ArrayList<>();

    @Option(names = {"-f", "--format"}, defaultValue = "svg", description = "svg, mermaid or dot (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-o", "--out-dir"}, paramLabel = "DIR", description = "Write NAME.svg/.mmd/.dot files here instead of printing.")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        ToolLogging.quiet();
        FlowLoader.Loaded loaded = FlowLoader.load(sources.resolve());
        FlowSet set = loaded.flowSet();
        List<String> todo = names.isEmpty() && outDir != null ? new ArrayList<>(set.flows().keySet()) : names;
        if (todo.isEmpty()) {
            System.err.println("name a flow, or give --out-dir to draw them all");
            return 2;
        }
        int status = 0;
        for (String name : todo.stream().sorted().toList()) {
            Flow f = set.flow(name).orElse(null);
            if (f == null) {
                var r = loaded.flows().get(name);
                if (r == null) {
                    System.err.println("ivr-server: no flow named '" + name + "'"
                            + dev.ivr.server.text.DidYouMean.suffix(name, loaded.flows().keySet()) + " (flows: "
                            + String.join(", ", loaded.flows().keySet()) + ")");
                } else {
                    System.err.println("ivr-server: flow '" + name + "' has errors (./ivr validate " + name + "):");
                    r.problems().stream().filter(Problem::isError).forEach(p -> System.err.println("  " + p));
                }
                status = 1;
                continue;
            }
            String text = switch (format) {
                case svg -> FlowGraph.svg(f);
                case mermaid -> FlowGraph.mermaid(f);
                case dot -> FlowGraph.dot(f);
            };
            if (outDir == null) {
                System.out.print(text);
            } else {
                Files.createDirectories(outDir);
                Path file = outDir.resolve(name + switch (format) {
                    case svg -> ".svg";
                    case mermaid -> ".mmd";
                    case dot -> ".dot";
                });
                Files.writeString(file, text);
                System.err.println("wrote " + file);
            }
        }
        return status;
    }
}
