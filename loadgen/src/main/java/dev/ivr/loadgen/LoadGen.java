package dev.ivr.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code loadgen compare}: the ivr server and the stock Asterisk-Java DefaultAgiServer, same
 * scenario, same machine, one after the other, in one command; {@code loadgen run}: load on
 * a server already running; {@code loadgen soak}: a long plateau with churn, sampled over time.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, description = "FastAGI load generator for ivr.",
        subcommands = {LoadGen.Compare.class, LoadGen.Run.class, LoadGen.Soak.class, LoadGen.Redraw.class})
public final class LoadGen {

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGen()).execute(args));
    }

    /** Options shared by the commands. */
    static class Common {
        @Option(names = "--scenario", defaultValue = "customer-service",
                description = "What each caller does: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                completionCandidates = Scenarios.Names.class)
        String scenario;

        @Option(names = "--prompt-time", defaultValue = "2s", description = "How long each prompt plays (default ${DEFAULT-VALUE}).")
        String promptTime;

        @Option(names = "--ramp", defaultValue = "400", description = "New calls per second at most while ramping (default ${DEFAULT-VALUE}).")
        int ramp;

        @Option(names = "--hold", defaultValue = "30s", description = "How long each plateau is measured (default ${DEFAULT-VALUE}).")
        String hold;

        @Option(names = "--out", defaultValue = "target/loadgen", description = "Directory for CSV, PNG and Markdown.")
        Path out;

        @Option(names = "--agents", defaultValue = "500", description = "Agents logged in and ready (default ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--wrap-up", defaultValue = "3s", description = "Agents' wrap-up after each call (default ${DEFAULT-VALUE}).")
        String wrapUp;

        @Option(names = "--warmup", defaultValue = "120s",
                description = "Calls at --warmup-calls for this long before anything is measured (default ${DEFAULT-VALUE}).")
        String warmup;

        @Option(names = "--warmup-calls", defaultValue = "1000",
                description = "Calls in progress during the warm-up (default ${DEFAULT-VALUE}): enough work for the JIT to compile the "
                        + "call path before the first level is measured.")
        int warmupCalls;

        @Option(names = "--talk", defaultValue = "20s-40s", description = "How long agents talk, min-max (default ${DEFAULT-VALUE}).")
        String talk;

        Scenario scenario() {
            if (scenario.equals(CustomerServiceScenario.NAME)) {
                String[] t = talk.split("-");
                return new CustomerServiceScenario(duration(t[0]), duration(t[t.length - 1]));
            }
            return Scenarios.byName(scenario);
        }

        Duration duration(String s) {
            return dev.ivr.loadgen.Durations.parse(s);
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Start the ivr server and the baseline, load both with the same scenario, write the comparison.")
    static final class Compare extends Common implements Callable<Integer> {
        @Option(names = "--levels", defaultValue = "100,1000,2000,5000,10000", split = ",",
                description = "Concurrent-call plateaus (default ${DEFAULT-VALUE}).")
        List<Integer> levels;

        @Option(names = "--ivr-jar", defaultValue = "ivr-server/target/ivr-server.jar")
        Path ivrJar;

        @Option(names = "--server-heap", defaultValue = "2g", description = "-Xmx of each server (default ${DEFAULT-VALUE}).")
        String heap;

        @Option(names = "--only", description = "Run one server only: ivr or baseline.")
        String only;

        @Option(names = "--work", defaultValue = "target/loadgen-work",
                description = "The servers' data, configuration and logs (default ${DEFAULT-VALUE}); --out gets the results only.")
        Path work;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(out);
            Files.createDirectories(work);
            Scenario sc = scenario();
            List<StepResult> rows = new ArrayList<>();
            List<String> jvm = List.of("-Xmx" + heap, "-XX:+UseG1GC");
            for (String server : List.of("ivr", "baseline")) {
                if (only != null && !only.equals(server)) {
                    continue;
                }
                int port = freePort();
                int httpPort = freePort();
                Path log = work.resolve(server + "-server.log");
                ServerProcess sp = server.equals("ivr")
                        ? ServerProcess.ivr(ivrJar, BenchDeployment.writeConfig(work, Path.of("").toAbsolutePath(), port,
                        httpPort, duration(wrapUp)), port, jvm, log)
                        : ServerProcess.baseline(port, agents, duration(wrapUp), jvm, log);
                try (sp) {
                    sp.awaitListening(Duration.ofSeconds(180));
                    if (server.equals("ivr")) {
                        // prompts are pre-rendered at start (not measured); agents sign in through the REST API
                        awaitPrerender(sp);
                        BenchDeployment.agents(httpPort, work.resolve("ivr-data"), agents);
                    }
                    rows.addAll(levels(sp, sc, server.equals("ivr") ? ServerMetrics.of(httpPort, work.resolve("ivr-data")) : null));
                }
            }
            Report.csv(rows, out.resolve("compare.csv"));
            Report.png(rows, out.resolve("compare.png"));
            String md = Report.markdown(rows);
            Files.writeString(out.resolve("compare.md"), md);
            System.out.println(md);
            System.out.println("written: " + out.resolve("compare.csv") + ", " + out.resolve("compare.png"));
            return 0;
        }

        private List<StepResult> levels(ServerProcess sp, Scenario sc, ServerMetrics metrics) throws Exception {
            ProcessProbe probe = new ProcessProbe(sp.pid());
            long idleHeap = probe.heapAfterFullGc();
            long idleRss = probe.rss();
            List<StepResult> rows = new ArrayList<>();
            try (LoadRunner runner = new LoadRunner("127.0.0.1", sp.port(), sc, duration(promptTime), ramp,
                    Duration.ofMinutes(40))) {
                runner.target(Math.min(warmupCalls, levels.getLast()));
                Thread.sleep(duration(warmup)); // JIT, caches, first syntheses: not measured
                for (int level : levels) {
                    runner.target(level);
                    runner.awaitAtMost(level, Duration.ofMinutes(10)); // down from the warm-up: calls end by themselves
                    int reached = runner.awaitTarget(Duration.ofSeconds(level / Math.max(1, ramp) + 60));
                    StepResult r = Measurement.plateau(sp.name(), level, runner, probe, metrics, idleHeap, idleRss,
                            duration(hold));
                    rows.add(r);
                    System.out.printf("%s %,d calls: reached %,d, %d failed %s, p99 %.2f ms (in server: %s), heap/call %.1f KB%n",
                            sp.name(), level, Math.max(reached, r.reached()), r.failed(), r.failures(),
                            r.p99Micros() / 1000.0, r.serverP99Micros() < 0 ? "-" : "≤ " + r.serverP99Micros() / 1000.0 + " ms",
                            r.heapPerCall() / 1024.0);
                    if (r.failed() > Math.max(10, r.started() / 2)) {
                        System.out.printf("%s: more than half the calls fail at %,d; not going higher%n", sp.name(), level);
                        break;
                    }
                }
                runner.stop(Duration.ofSeconds(90));
            }
            return rows;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Load a server that is already running.")
    static final class Run extends Common implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1")
        String host;

        @Option(names = "--port", defaultValue = "4573")
        int port;

        @Option(names = "--pid", description = "The server's process id, to read its memory (optional).")
        Long pid;

        @Option(names = "--levels", defaultValue = "100,1000", split = ",")
        List<Integer> levels;

        @Option(names = "--agents-via", paramLabel = "HTTP_PORT:DATA_DIR",
                description = "Create and ready --agents agents first, through this server's REST API (its admin token is in DATA_DIR).")
        String agentsVia;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(out);
            Scenario sc = scenario();
            ServerMetrics metrics = null;
            if (agentsVia != null) {
                String[] p = agentsVia.split(":", 2);
                BenchDeployment.agents(Integer.parseInt(p[0]), Path.of(p[1]), agents);
                metrics = ServerMetrics.of(Integer.parseInt(p[0]), Path.of(p[1]));
            }
            ProcessProbe probe = pid == null ? null : new ProcessProbe(pid);
            long idleHeap = probe == null ? -1 : probe.heapAfterFullGc();
            long idleRss = probe == null ? -1 : probe.rss();
            List<StepResult> rows = new ArrayList<>();
            try (LoadRunner runner = new LoadRunner(host, port, sc, duration(promptTime), ramp, Duration.ofMinutes(10))) {
                for (int level : levels) {
                    runner.target(level);
                    runner.awaitTarget(Duration.ofSeconds(level / Math.max(1, ramp) + 60));
                    rows.add(Measurement.plateau("server", level, runner, probe, metrics, idleHeap, idleRss, duration(hold)));
                }
                runner.stop(Duration.ofSeconds(90));
            }
            Report.csv(rows, out.resolve("run.csv"));
            Report.png(rows, out.resolve("run.png"));
            System.out.println(Report.markdown(rows));
            return rows.stream().anyMatch(r -> r.failed() > 0) ? 1 : 0;
        }
    }

    @Command(name = "soak", mixinStandardHelpOptions = true,
            description = "Hold a number of calls with churn for a long time; sample heap after full GC, threads and files.")
    static final class Soak extends Common implements Callable<Integer> {
        @Option(names = "--calls", defaultValue = "1000")
        int calls;

        @Option(names = "--duration", defaultValue = "1h")
        String length;

        @Option(names = "--sample", defaultValue = "1m")
        String sample;

        @Option(names = "--ivr-jar", defaultValue = "ivr-server/target/ivr-server.jar")
        Path ivrJar;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(out);
            Scenario sc = scenario();
            int port = freePort();
            int httpPort = freePort();
            Path dir = out.resolve("soak");
            List<String> lines = new ArrayList<>();
            lines.add("elapsed_s,active,started,succeeded,failed,p99_us,server_p99_us,heap_after_gc_bytes,rss_bytes,threads,"
                    + "open_files");
            List<StepResult> samples = new ArrayList<>();
            List<double[]> plot = new ArrayList<>();
            try (ServerProcess sp = ServerProcess.ivr(ivrJar,
                    BenchDeployment.writeConfig(dir, Path.of("").toAbsolutePath(), port, httpPort, duration(wrapUp)), port,
                    List.of("-Xmx1g", "-XX:+UseG1GC"), dir.resolve("server.log"))) {
                sp.awaitListening(Duration.ofSeconds(180));
                awaitPrerender(sp);
                BenchDeployment.agents(httpPort, dir.resolve("ivr-data"), agents);
                ProcessProbe probe = new ProcessProbe(sp.pid());
                ServerMetrics metrics = ServerMetrics.of(httpPort, dir.resolve("ivr-data"));
                long idleHeap = probe.heapAfterFullGc();
                long idleRss = probe.rss();
                Instant start = Instant.now();
                try (LoadRunner runner = new LoadRunner("127.0.0.1", port, sc, duration(promptTime), ramp, Duration.ofMinutes(10))) {
                    runner.target(calls);
                    runner.awaitTarget(Duration.ofMinutes(2));
                    long end = System.nanoTime() + duration(length).toNanos();
                    while (System.nanoTime() < end) {
                        StepResult r = Measurement.plateau("ivr", calls, runner, probe, metrics, idleHeap, idleRss,
                                duration(sample));
                        samples.add(r);
                        long elapsed = Duration.between(start, Instant.now()).toSeconds();
                        lines.add(String.join(",", String.valueOf(elapsed), String.valueOf(runner.stats().active()),
                                String.valueOf(runner.stats().started()), String.valueOf(runner.stats().succeeded()),
                                String.valueOf(runner.stats().failed()), String.valueOf(r.p99Micros()), String.valueOf(r.serverP99Micros()),
                                String.valueOf(r.heapBytes()), String.valueOf(r.rssBytes()), String.valueOf(r.threads()),
                                String.valueOf(r.openFiles())));
                        System.out.println(lines.get(lines.size() - 1));
                        Files.write(out.resolve("soak.csv"), lines);
                        plot.add(new double[]{elapsed / 60.0, r.heapBytes() / 1048576.0, r.rssBytes() / 1048576.0,
                                r.threads(), r.openFiles()});
                        Report.soakPng(plot, out.resolve("soak.png"));
                    }
                    runner.stop(Duration.ofSeconds(90));
                }
            }
            long failed = samples.stream().mapToLong(StepResult::failed).sum();
            System.out.println("soak done: " + failed + " failed calls; samples in " + out.resolve("soak.csv"));
            return failed == 0 ? 0 : 1;
        }
    }

    @Command(name = "redraw", mixinStandardHelpOptions = true,
            description = "Draw the plot and the table of a run again from its CSV (after a change to the report).")
    static final class Redraw implements Callable<Integer> {
        @picocli.CommandLine.Parameters(paramLabel = "CSV", description = "compare.csv or run.csv")
        Path csv;

        @Override
        public Integer call() throws Exception {
            List<StepResult> rows = Report.readCsv(csv);
            String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
            Path dir = csv.toAbsolutePath().getParent();
            Report.png(rows, dir.resolve(name + ".png"));
            String md = Report.markdown(rows);
            Files.writeString(dir.resolve(name + ".md"), md);
            System.out.println(md);
            return 0;
        }
    }

    /** The server synthesises its prompts once at start, in the background: the load waits for that. */
    static void awaitPrerender(ServerProcess sp) throws IOException, InterruptedException {
        if (!sp.awaitLog("pre-rendered ", Duration.ofMinutes(10))) {
            System.out.println(sp.name() + ": prompts not pre-rendered after 10 minutes; loading anyway");
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
