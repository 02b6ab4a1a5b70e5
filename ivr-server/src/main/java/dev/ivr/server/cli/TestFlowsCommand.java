package dev.ivr.server.cli;

import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.tools.FlowTests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ivr-server test-flows}: runs the flow tests ({@code flows/*.test.yaml}) with no PBX and
 * no server; reports failures and node/branch coverage; exit 1 when a test fails.
 */
@Command(name = "test-flows", mixinStandardHelpOptions = true,
        description = "Run the flow tests (flows/*.test.yaml) without a PBX; report failures and coverage.")
public final class TestFlowsCommand implements Callable<Integer> {
    @Mixin
    FlowSources sources;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Test files (default: every flows/*.test.yaml).")
    List<Path> files = List.of();

    @Override
    public Integer call() throws Exception {
        ToolLogging.quiet();
        FlowLoader.Sources src = sources.resolve();
        FlowLoader.Loaded loaded = FlowLoader.load(src);
        List<Path> tests = files.isEmpty() ? FlowTests.files(src.flowsDir()) : files;
        if (tests.isEmpty()) {
            System.err.println("no flow tests (*.test.yaml) in " + src.flowsDir());
            return 1;
        }
        FlowTests.Report r = FlowTests.run(loaded.flowSet(), tests, System.out::println, name -> {
            var result = loaded.flows().get(name);
            if (result == null) {
                return List.of();
            }
            List<String> errors = result.problems().stream().filter(dev.ivr.server.flow.yaml.Problem::isError)
                    .map(Object::toString).toList();
            // a flow that did not load because of the catalogs or calendars: their problems
            return errors.isEmpty() ? loaded.problems().stream().filter(dev.ivr.server.flow.yaml.Problem::isError)
                    .map(Object::toString).toList() : errors;
        });
        r.errors().forEach(e -> System.out.println("ERROR " + e));
        System.out.println();
        System.out.println("coverage:");
        r.coverage().forEach(c -> System.out.println("  " + c.line()));
        long failed = r.failed();
        long passed = r.cases().stream().filter(FlowTests.CaseResult::passed).count();
        System.out.println();
        System.out.println("flow tests: " + passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }
}
