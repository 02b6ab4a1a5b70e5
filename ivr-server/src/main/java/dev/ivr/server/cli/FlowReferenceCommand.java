package dev.ivr.server.cli;

import dev.ivr.server.flow.load.FlowReference;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code ivr-server flow-reference}: every key of a flow file and of each node type, from the flow schema. */
@Command(name = "flow-reference", mixinStandardHelpOptions = true,
        description = "Print the flow language reference (Markdown), generated from the flow schema.")
public final class FlowReferenceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(FlowReference.markdown());
        return 0;
    }
}
