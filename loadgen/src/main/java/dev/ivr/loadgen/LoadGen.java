package dev.ivr.loadgen;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code loadgen compare}: the ivr server and the stock Asterisk-Java DefaultAgiServer (its pool
 * raised to the level, and as it ships), same scenario, same machine, one after the other, each
 * pinned to its own CPUs away from the load generator; {@code loadgen setup}: the highest rate of
 * new calls one node takes through the opening of a call; {@code loadgen run}: load on a server
 * already running; {@code loadgen soak}: a long plateau with churn, sampled over time.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, description = "FastAGI load generator for ivr.",
        subcommands = {LoadGen.Compare.class, LoadGen.Setup.class, LoadGen.Run.class, LoadGen.Soak.class, LoadGen.Redraw.class,
                LoadGen.Profile.class, LoadGen.Chaos.class, LoadGen.Day.class})
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

        @Option(names = "--ramp", defaultValue = "400",
                description = "New calls per second at most while ramping and replacing calls that ended (default ${DEFAULT-VALUE}).")
        int ramp;

        @Option(names = "--steady-ramp", description = "Reach each level at the rate its calls will be replaced at (the level "
                + "÷ the mean call length so far, at most --ramp), so that the level's calls do not start together and come "
                + "back in waves; --ramp then only caps the replacement of ended calls (default: off, every level at --ramp).")
        boolean steadyRamp;

        @Option(names = "--hold", defaultValue = "30s", description = "How long each plateau is measured (default ${DEFAULT-VALUE}).")
        String hold;

        @Option(names = "--out", defaultValue = "target/loadgen", description = "Directory for CSV, PNG and Markdown.")
        Path out;

        @Option(names = "--agents", defaultValue = "500", description = "Agents logged in and ready (default ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--wrap-up", defaultValue = "3s", description = "Agents' wrap-up after each call (default ${DEFAULT-VALUE}).")
        String wrapUp;

        @Option(names = "--talk", defaultValue = "20s-40s", description = "How long agents talk, min-max (default ${DEFAULT-VALUE}).")
        String talk;

        @Option(names = "--customers", defaultValue = "1000000",
                description = "Customers in the CRM for the opening scenario and the setup command (default ${DEFAULT-VALUE}).")
        int customers;

        Scenario scenario() {
            return switch (scenario) {
                case CustomerServiceScenario.NAME -> {
                    String[] t = talk.split("-");
                    yield new CustomerServiceScenario(duration(t[0]), duration(t[t.length - 1]));
                }
                case OpeningScenario.NAME -> new OpeningScenario(customers);
                default -> Scenarios.byName(scenario);
            };
        }

        Duration duration(String s) {
            return dev.ivr.loadgen.Durations.parse(s);
        }
    }

    /** Options of the commands that start the servers themselves. */
    static class Managed extends Common {
        @Option(names = "--checkpoint-durability", defaultValue = "async",
                description = "ivr's flows.checkpoint-durability: async or backup-ack (default ${DEFAULT-VALUE}).")
        String checkpointDurability;

        @Option(names = "--call-threads", defaultValue = "virtual",
                description = "ivr's agi.call-threads: virtual or platform (default ${DEFAULT-VALUE}).")
        String callThreads;

        @Option(names = "--ivr-jar", defaultValue = "ivr-server/target/ivr-server.jar")
        Path ivrJar;

        @Option(names = "--server-heap", defaultValue = "2g", description = "-Xms and -Xmx of each server: the whole heap from the start,"
                + " as the distribution's unit file gives ivr (default ${DEFAULT-VALUE}).")
        String heap;

        @Option(names = "--server-jvm-opt", description = "A further JVM option for the servers (repeatable), e.g. a JFR recording.")
        List<String> serverJvmOptions = new ArrayList<>();

        @Option(names = "--work", defaultValue = "target/loadgen-work",
                description = "The servers' data, configuration and logs (default ${DEFAULT-VALUE}); --out gets the results only.")
        Path work;

        @Option(names = "--warmup", defaultValue = "120s",
                description = "Load before anything is measured, for the JIT (default ${DEFAULT-VALUE}).")
        String warmup;

        @Option(names = "--warmup-calls", defaultValue = "1000",
                description = "Calls in progress during the warm-up (default ${DEFAULT-VALUE}).")
        int warmupCalls;

        @Option(names = "--pin", defaultValue = "auto",
                description = "auto: the load generator and the server each on their own CPUs with taskset when it works; off (default ${DEFAULT-VALUE}).")
        String pin;

        @Option(names = "--loadgen-cpus", description = "CPUs of the load generator (default: the first online CPU).")
        String loadgenCpus;

        @Option(names = "--server-cpus", description = "CPUs of the server (default: the other online CPUs).")
        String serverCpus;

        List<String> jvm() {
            List<String> j = new ArrayList<>(List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"));
            j.addAll(serverJvmOptions);
            return j;
        }

        /** Decides and applies the CPU split: pins this process, returns what the servers are started with. */
        Affinity.Plan affinity() throws IOException {
            List<Integer> online = Affinity.online();
            Affinity.Plan plan = pin.equals("off") ? new Affinity.Plan(null, null, "--pin off")
                    : Affinity.plan(online, Affinity.tasksetWorks(online), loadgenCpus, serverCpus);
            if (plan.pinned()) {
                Affinity.pin(ProcessHandle.current().pid(), plan.loadgenCpus());
            }
            System.out.println("CPUs: " + plan.describe() + " (load generator now allowed on "
                    + Affinity.allowed(ProcessHandle.current().pid()) + ")");
            return plan;
        }

        /** A line about the machine and the set-up, for the results. */
        String runInfo(Affinity.Plan plan) {
            // the generator's own JVM too: its collector's pauses are in every reply it times
            return String.format("%s; %d CPUs online; %s; Java %s; server %s; load generator %s; load average at start %.1f; %s",
                    Instant.now(), Affinity.online().size(), plan.describe(), Runtime.version(), String.join(" ", jvm()),
                    String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                    Measurement.loadAverage(), "scenario " + scenario + ", prompts " + promptTime + ", hold " + hold
                            + ", ramp " + ramp + (steadyRamp ? " (steady: each level at its calls' replacement rate)" : ""));
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = "Start each server in turn (ivr, the stock server with its pool raised, as it ships), load it with the "
                    + "same scenario, find the most calls it holds with p99 under 20 ms, write the comparison.")
    static final class Compare extends Managed implements Callable<Integer> {
        @Option(names = "--servers", defaultValue = "ivr,stock-raised,stock-default", split = ",",
                description = "Servers to run, in order: ivr, stock-raised, stock-default (default ${DEFAULT-VALUE}).")
        List<String> servers;

        @Option(names = "--levels", defaultValue = "1000,2000,5000,10000", split = ",",
                description = "Calls in progress measured on ivr and stock-raised (default ${DEFAULT-VALUE}).")
        List<Integer> levels;

        @Option(names = "--stock-default-levels", defaultValue = "1000", split = ",",
                description = "Levels for the stock server as it ships (default ${DEFAULT-VALUE}).")
        List<Integer> defaultLevels;

        @Option(names = "--settle", defaultValue = "5s",
                description = "How long a level runs after it is reached before its plateau is measured: the last calls of the "
                        + "ramp get past their opening (default ${DEFAULT-VALUE}; customer-service at 10,000 calls: 30s).")
        String settle;

        @Option(names = "--search-steps", defaultValue = "3",
                description = "Further levels to find the most calls held with p99 ≤ 20 ms (0: none; default ${DEFAULT-VALUE}).")
        int searchSteps;

        @Option(names = "--search-cap", defaultValue = "18000",
                description = "The highest level the search tries (each call is a socket on both sides: mind ulimit -n; default ${DEFAULT-VALUE}).")
        int searchCap;

        @Option(names = "--name", defaultValue = "compare", description = "Base name of the result files (default ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--jfr", description = "Record each measured plateau of the servers with JFR (profile settings) into this directory.")
        Path jfr;

        @Option(names = "--histogram", description = "After each plateau's full GC, write the server's class histogram "
                + "(jcmd GC.class_histogram) into this directory.")
        Path histogram;

        @Option(names = "--timeline", description = "Write each plateau's replies per wall-clock second (UTC), with how many "
                + "took over 5 and 50 ms, into this directory (to line slow commands up with a GC log decorated with time), "
                + "and beside it each reply over --slow-ms (NAME-slow.csv: when it arrived and was sent, epoch ms to the "
                + "microsecond, and its command) and each wake-up of the load generator's lag tickers over 0.5 ms late "
                + "(NAME-lag.csv).")
        Path timeline;

        @Option(names = "--slow-ms", defaultValue = "5", description = "With --timeline: list each reply slower than this "
                + "(ms, default ${DEFAULT-VALUE}) in NAME-slow.csv.")
        double slowMs;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(out);
            Files.createDirectories(work);
            Affinity.Plan plan = affinity();
            String info = runInfo(plan) + ", settle " + settle;
            Scenario sc = scenario();
            List<StepResult> rows = new ArrayList<>();
            List<Measurement.CommandRow> commandRows = new ArrayList<>();
            int poolMax = (int) (Math.max(searchSteps > 0 ? searchCap : 0, levels.stream().mapToInt(Integer::intValue).max().orElse(0))
                    * 1.2) + 100;
            for (String server : servers) {
                int port = freePort();
                int httpPort = freePort();
                Path log = work.resolve(server + "-server.log");
                boolean ivr = server.equals("ivr");
                ServerProcess sp = switch (server) {
                    case "ivr" -> ServerProcess.ivr(ivrJar, BenchDeployment.writeConfig(work, Path.of("").toAbsolutePath(), port,
                            httpPort, duration(wrapUp), checkpointDurability, callThreads), port, jvm(), log, plan.serverPrefix());
                    case "stock-raised" -> ServerProcess.baseline(server, port, String.valueOf(poolMax), agents, duration(wrapUp),
                            jvm(), log, plan.serverPrefix());
                    case "stock-default" -> ServerProcess.baseline(server, port, "default", agents, duration(wrapUp), jvm(), log,
                            plan.serverPrefix());
                    default -> throw new IllegalArgumentException("unknown server " + server + " (ivr, stock-raised, stock-default)");
                };
                try (sp) {
                    sp.awaitListening(Duration.ofMinutes(3));
                    if (ivr) {
                        awaitPrerender(sp); // prompts are pre-rendered at start (not measured)
                        if (sc instanceof CustomerServiceScenario) {
                            BenchDeployment.agents(httpPort, work.resolve("ivr-data"), agents);
                        }
                    }
                    List<Integer> mine = server.equals("stock-default") ? defaultLevels : levels;
                    CeilingSearch search = server.equals("stock-default") || searchSteps <= 0 ? null
                            : new CeilingSearch(mine, 1.5, searchCap, 0.1, 500, mine.size() + searchSteps);
                    try (LagMonitor lag = new LagMonitor()) {
                        Measurement m = new Measurement(new ProcessProbe(sp.pid()), ivr ? ServerMetrics.of(httpPort,
                                work.resolve("ivr-data")) : null, lag);
                        if (jfr != null) {
                            m.recordInto(jfr);
                        }
                        if (histogram != null) {
                            m.histogramsInto(histogram);
                        }
                        if (timeline != null) {
                            m.timelinesInto(timeline);
                        }
                        rows.addAll(levels(sp, sc, m, mine, search));
                        commandRows.addAll(m.commandRows());
                    }
                }
                write(rows, commandRows, info); // after each server: a long run's results are never lost
            }
            System.out.println(Files.readString(out.resolve(name + ".md")));
            return 0;
        }

        private void write(List<StepResult> rows, List<Measurement.CommandRow> commandRows, String info) throws IOException {
            Report.csv(rows, out.resolve(name + ".csv"));
            List<String> lines = new ArrayList<>(List.of(Measurement.CommandRow.CSV_HEADER));
            commandRows.forEach(c -> lines.add(c.csv()));
            Files.write(out.resolve(name + "-commands.csv"), lines);
            Report.png(rows, out.resolve(name + ".png"));
            Files.writeString(out.resolve(name + ".md"), compareMarkdown(rows, info));
        }

        private List<StepResult> levels(ServerProcess sp, Scenario sc, Measurement m, List<Integer> mine, CeilingSearch search)
                throws Exception {
            List<StepResult> rows = new ArrayList<>();
            int highest = mine.stream().mapToInt(Integer::intValue).max().orElse(0);
            try (LoadRunner runner = new LoadRunner("127.0.0.1", sp.port(), sc, duration(promptTime), ramp,
                    Duration.ofMinutes(40)).steadyRamp(steadyRamp)) {
                runner.stats().timeline().slowOver((long) (slowMs * 1_000_000));
                runner.target(Math.min(warmupCalls, highest));
                Thread.sleep(duration(warmup)); // JIT, caches: not measured
                List<Integer> todo = new ArrayList<>(mine);
                while (true) {
                    int level;
                    if (!todo.isEmpty()) {
                        level = todo.removeFirst();
                    } else if (search != null && (level = search.next()) > 0) {
                        System.out.printf("%s: searching the most calls held with p99 ≤ 20 ms: %,d%n", sp.name(), level);
                    } else {
                        break;
                    }
                    StepResult r = level(sp, m, runner, level);
                    rows.add(r);
                    if (search != null) {
                        search.result(level, r.holds(Report.P99_BOUND_MICROS));
                    }
                    if (r.failed() > Math.max(10, r.started() / 2)) {
                        System.out.printf("%s: more than half the calls fail at %,d; not going higher%n", sp.name(), level);
                        break;
                    }
                }
                runner.stop(Duration.ofSeconds(90));
            }
            return rows;
        }

        private StepResult level(ServerProcess sp, Measurement m, LoadRunner runner, int level) throws Exception {
            runner.target(level);
            runner.awaitAtMost(level, Duration.ofMinutes(10)); // down from a higher level: calls end by themselves
            int reached = runner.awaitTarget(Duration.ofSeconds(level / Math.max(1, ramp) + 60));
            Thread.sleep(duration(settle)); // the new calls past their first commands (their opening, with --settle 30s)
            StepResult r = m.plateau(sp.name(), scenario, level, runner, duration(hold));
            System.out.printf("%s %,d calls: reached %,d, %d failed %s, %.0f commands/s, p99 %.2f ms (in server: %s), "
                            + "CPU %.0f%% = %.0f ms per 1,000 commands (JIT compilers %.0f), heap/call %.1f KB, lag p99 %.2f ms, other processes' CPU %.0f%%%n",
                    sp.name(), level, Math.max(reached, r.reached()), r.failed(), r.failures(), r.commandsPerSecond(),
                    r.p99Micros() / 1000.0, r.serverP99Micros() < 0 ? "-" : r.serverP99Micros() == Long.MAX_VALUE ? "beyond the last bucket"
                            : "≤ " + r.serverP99Micros() / 1000.0 + " ms",
                    r.serverCpuPercent(), r.cpuMillisPer1000Commands(), r.jitMillisPer1000Commands(), r.heapPerCall() / 1024.0, r.lagP99Micros() / 1000.0,
                    r.otherCpuPercent());
            return r;
        }
    }

    /** The comparison's Markdown: the set-up, every plateau, ratios at equal load, the most calls held. */
    static String compareMarkdown(List<StepResult> rows, String info) {
        StringBuilder md = new StringBuilder();
        if (info != null) {
            md.append("Run: ").append(info).append("\n\n");
        }
        md.append(Report.markdown(rows)).append('\n');
        for (String reference : List.of("stock-raised", "stock-default")) {
            if (rows.stream().anyMatch(r -> r.server().equals(reference)) && rows.stream().anyMatch(r -> r.server().equals("ivr"))) {
                md.append("ivr ÷ ").append(reference).append(" at equal load:\n\n").append(Report.ratios(rows, "ivr", reference))
                        .append('\n');
            }
        }
        md.append(Report.ceilings(rows));
        return md.toString();
    }

    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = "The call-setup rate: new calls per second through the opening of a call (answer, identify in a CRM of "
                    + "--customers, greeting, menu), ramped up until p99 passes 20 ms.")
    static final class Setup extends Managed implements Callable<Integer> {
        @Option(names = "--rates", defaultValue = "50,100,200,300", split = ",",
                description = "New calls per second measured first, in order while they hold (default ${DEFAULT-VALUE}); "
                        + "then higher, then between the highest held and the lowest not held.")
        List<Integer> rates;

        @Option(names = "--search-cap", defaultValue = "1500", description = "The highest rate tried (default ${DEFAULT-VALUE}).")
        int cap;

        @Option(names = "--search-steps", defaultValue = "5", description = "Rates measured after --rates at most (default ${DEFAULT-VALUE}).")
        int searchSteps;

        @Option(names = "--warmup-rate", defaultValue = "30", description = "New calls per second during the warm-up (default ${DEFAULT-VALUE}).")
        int warmupRate;

        @Option(names = "--warmup-quiet", defaultValue = "15s",
                description = "The warm-up (at least --warmup) ends when the server's prompt misses (greetings not rendered yet) "
                        + "and the failed calls have not grown for this long (default ${DEFAULT-VALUE}).")
        String warmupQuiet;

        @Option(names = "--warmup-max", defaultValue = "10m",
                description = "A warm-up not settled by then is reported as such and nothing is measured (default ${DEFAULT-VALUE}).")
        String warmupMax;

        @Option(names = "--max-other-cpu", defaultValue = "25",
                description = "A plateau in which the machine's other processes used more than this %% of one CPU stops the search "
                        + "with no figure: a busy machine, not the set-up, decided it (default ${DEFAULT-VALUE}; a negative value: "
                        + "no limit).")
        double maxOtherCpu;

        @Option(names = "--jfr", description = "Record each measured plateau of the server with JFR (profile settings) into this directory.")
        Path jfr;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(out);
            Path dir = work.resolve("setup");
            Files.createDirectories(dir);
            int port = freePort();
            int httpPort = freePort();
            Path config = BenchDeployment.writeConfig(dir, Path.of("").toAbsolutePath(), port, httpPort, duration(wrapUp),
                    checkpointDurability, callThreads);
            Path marker = dir.resolve("ivr-data").resolve("crm-" + customers + ".imported");
            if (!Files.exists(marker)) {
                Path csv = dir.resolve("customers.csv");
                System.out.printf("writing %,d customers to %s and importing them (once; kept in %s)%n", customers, csv, dir);
                CrmPopulation.writeCsv(csv, customers);
                long t0 = System.nanoTime();
                ServerProcess.importCustomers(ivrJar, config, csv, dir.resolve("import.log"));
                Files.delete(csv);
                Files.writeString(marker, customers + " customers imported in " + (System.nanoTime() - t0) / 1_000_000_000 + " s\n");
            }
            Affinity.Plan plan = affinity();
            String info = runInfo(plan);
            List<StepResult> rows = new ArrayList<>();
            int exit = 0;
            try (ServerProcess sp = ServerProcess.ivr(ivrJar, config, port, jvm(), dir.resolve("server.log"), plan.serverPrefix());
                 LagMonitor lag = new LagMonitor()) {
                sp.awaitListening(Duration.ofMinutes(3));
                awaitPrerender(sp);
                // the file of the generic welcome, said in place of a greeting by name not rendered in time
                String fallback = OpeningScenario.fallbackFile(new dev.ivr.fakepbx.FakePbx("127.0.0.1", port), Duration.ofMinutes(1));
                Scenario sc = new OpeningScenario(customers, fallback);
                ServerMetrics metrics = ServerMetrics.of(httpPort, dir.resolve("ivr-data"));
                Measurement m = new Measurement(new ProcessProbe(sp.pid()), metrics, lag);
                if (jfr != null) {
                    m.recordInto(jfr);
                }
                try (LoadRunner runner = new LoadRunner("127.0.0.1", port, sc, duration(promptTime), ramp, Duration.ofMinutes(5))) {
                    runner.rate(warmupRate); // JIT, and each first name's greeting synthesised once: not measured
                    WarmupSettle settle = warmUp(metrics, runner);
                    String warm = settle.describe() + "; in it the server's prompt misses " + misses(metrics)
                            + ", the load generator's failures " + runner.stats().failures();
                    System.out.println(warm);
                    String spoiled = null;
                    CeilingSearch search = new CeilingSearch(rates, 1.33, cap, 0.1, 10, rates.size() + searchSteps);
                    if (settle.state() != WarmupSettle.State.SETTLED) {
                        spoiled = "nothing measured";
                        exit = 2;
                    }
                    for (int rate; spoiled == null && (rate = search.next()) > 0; ) {
                        runner.rate(rate);
                        Thread.sleep(Duration.ofSeconds(8)); // the calls of the previous rate end, the new ones are in their opening
                        StepResult r = m.plateau("ivr", OpeningScenario.NAME, rate, runner, duration(hold));
                        boolean held = r.holds(Report.P99_BOUND_MICROS) && r.callsPerSecond() >= rate * 0.95;
                        search.result(rate, held);
                        rows.add(r);
                        System.out.printf("%d new calls/s offered: %.1f started/s, %,d in progress, %d failed %s, p99 %.2f ms, "
                                        + "CPU %.0f%%, lag p99 %.2f ms, other processes' CPU %.0f%%: %s%n", rate, r.callsPerSecond(),
                                r.reached(), r.failed(), r.failures(), r.p99Micros() / 1000.0, r.serverCpuPercent(),
                                r.lagP99Micros() / 1000.0, r.otherCpuPercent(), held ? "held" : "not held");
                        spoiled = spoiled(r, maxOtherCpu);
                        if (spoiled != null) {
                            exit = 2;
                        }
                        writeSetup(rows, info, warm, search, spoiled);
                    }
                    writeSetup(rows, info, warm, search, spoiled);
                    runner.stop(Duration.ofSeconds(60));
                }
            }
            System.out.println(Files.readString(out.resolve("setup.md")));
            return exit;
        }

        /**
         * Why a measured plateau cannot stand for the set-up rate, or null when it can: callers heard the fallback
         * greeting or waited for theirs (the server was still rendering greetings; this and any lower rate would measure
         * the renders), or the machine's other processes took more than {@code maxOtherCpu}% of a CPU (a negative limit:
         * none).
         */
        static String spoiled(StepResult r, double maxOtherCpu) {
            long fallbacks = r.failures().getOrDefault("scenario_" + OpeningScenario.GREETING_FALLBACK, 0L);
            long waited = r.failures().getOrDefault("scenario_" + OpeningScenario.GREETING_WAITED, 0L);
            if (fallbacks + waited > 0) {
                return String.format(java.util.Locale.ROOT, "%,d callers at %d/s heard the fallback greeting and %,d waited for "
                        + "theirs (the server was still rendering greetings by name): the search stopped", fallbacks, r.target(), waited);
            }
            if (maxOtherCpu >= 0 && r.otherCpuPercent() > maxOtherCpu) {
                return String.format(java.util.Locale.ROOT, "at %d/s the machine's other processes used %.0f%% of a CPU (more "
                        + "than --max-other-cpu %.0f%%): the search stopped", r.target(), r.otherCpuPercent(), maxOtherCpu);
            }
            return null;
        }

        /** Warms up until the server has nothing left to render ({@link WarmupSettle}), reading its figures each second. */
        private WarmupSettle warmUp(ServerMetrics metrics, LoadRunner runner) throws InterruptedException {
            WarmupSettle settle = new WarmupSettle(duration(warmup), duration(warmupQuiet), duration(warmupMax));
            long t0 = System.nanoTime();
            while (settle.observe(Duration.ofNanos(System.nanoTime() - t0), progress(metrics, runner)) == WarmupSettle.State.WARMING) {
                Thread.sleep(1000);
            }
            return settle;
        }

        private static String misses(ServerMetrics metrics) throws InterruptedException {
            try {
                return String.format(java.util.Locale.ROOT, "%,d", metrics.promptMisses());
            } catch (IOException e) {
                return "unknown (" + e.getMessage() + ")";
            }
        }

        private static long progress(ServerMetrics metrics, LoadRunner runner) throws InterruptedException {
            try {
                return metrics.promptMisses() + runner.stats().failed();
            } catch (IOException e) {
                return -1;
            }
        }

        private void writeSetup(List<StepResult> rows, String info, String warm, CeilingSearch search, String spoiled)
                throws IOException {
            Report.csv(rows, out.resolve("setup.csv"));
            if (!rows.isEmpty()) {
                Report.setupPng(rows, out.resolve("setup.png"));
            }
            String figure = spoiled != null ? "**no figure**: " + spoiled
                    : String.format("%s%s", search.highestHeld() < 0 ? "none" : search.highestHeld() + " new calls/s",
                    search.lowestFailed() < 0 ? "" : "; not held at " + search.lowestFailed() + "/s");
            Files.writeString(out.resolve("setup.md"), "Run: " + info + "\n\n" + capitalise(warm) + ".\n\n"
                    + Report.setupMarkdown(rows)
                    + String.format("%nHighest rate held (p99 ≤ 20 ms, none failed, no fallback greeting, at least 95%% of the "
                    + "offered calls started): %s%n", figure));
        }

        private static String capitalise(String s) {
            return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Load a server that is already running.")
    static final class Run extends Common implements Callable<Integer> {
        @Option(names = "--host", defaultValue = "127.0.0.1")
        String host;

        @Option(names = "--port", defaultValue = "4573")
        int port;

        @Option(names = "--pid", description = "The server's process id, to read its memory and CPU (optional).")
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
            List<StepResult> rows = new ArrayList<>();
            try (LagMonitor lag = new LagMonitor();
                 LoadRunner runner = new LoadRunner(host, port, sc, duration(promptTime), ramp, Duration.ofMinutes(10))
                         .steadyRamp(steadyRamp)) {
                Measurement m = new Measurement(pid == null ? null : new ProcessProbe(pid), metrics, lag);
                for (int level : levels) {
                    runner.target(level);
                    runner.awaitTarget(Duration.ofSeconds(level / Math.max(1, ramp) + 60));
                    rows.add(m.plateau("server", scenario, level, runner, duration(hold)));
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
                    List.of("-Xmx1g", "-XX:+UseG1GC"), dir.resolve("server.log"), List.of());
                 LagMonitor lag = new LagMonitor()) {
                sp.awaitListening(Duration.ofMinutes(3));
                awaitPrerender(sp);
                BenchDeployment.agents(httpPort, dir.resolve("ivr-data"), agents);
                Measurement m = new Measurement(new ProcessProbe(sp.pid()), ServerMetrics.of(httpPort, dir.resolve("ivr-data")), lag);
                Instant start = Instant.now();
                try (LoadRunner runner = new LoadRunner("127.0.0.1", port, sc, duration(promptTime), ramp, Duration.ofMinutes(10))) {
                    runner.target(calls);
                    runner.awaitTarget(Duration.ofMinutes(2));
                    long end = System.nanoTime() + duration(length).toNanos();
                    while (System.nanoTime() < end) {
                        StepResult r = m.plateau("ivr", scenario, calls, runner, duration(sample));
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
            description = "Draw the plots and the tables of a run again from its CSV (after a change to the report).")
    static final class Redraw implements Callable<Integer> {
        @picocli.CommandLine.Parameters(paramLabel = "CSV", description = "compare.csv, setup.csv or run.csv")
        Path csv;

        @Override
        public Integer call() throws Exception {
            List<StepResult> rows = Report.readCsv(csv);
            String name = csv.getFileName().toString().replaceFirst("\\.csv$", "");
            Path dir = csv.toAbsolutePath().getParent();
            String md;
            if (rows.stream().allMatch(r -> OpeningScenario.NAME.equals(r.scenario()))) {
                Report.setupPng(rows, dir.resolve(name + ".png"));
                md = Report.setupMarkdown(rows);
            } else {
                Report.png(rows, dir.resolve(name + ".png"));
                md = compareMarkdown(rows, null);
            }
            Files.writeString(dir.resolve(name + ".md"), md);
            System.out.println(md);
            return 0;
        }
    }

    @Command(name = "profile", mixinStandardHelpOptions = true,
            description = "Summarise a JFR recording of a plateau (compare --jfr): CPU and allocation by component, by the closest "
                    + "ivr method and by top frame; file writes, pinned virtual threads, GC pauses, exceptions.")
    static final class Profile implements Callable<Integer> {
        @picocli.CommandLine.Parameters(paramLabel = "JFR")
        Path jfr;

        @Option(names = "--top", defaultValue = "15", description = "Rows per table (default ${DEFAULT-VALUE}).")
        int top;

        @Override
        public Integer call() throws Exception {
            System.out.print(JfrSummary.markdown(jfr, top));
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

    /**
     * The commands that start their own servers for a scenario of their own (chaos, day) and end with a report: their
     * {@code --ivr-jar}, {@code --work} (target/NAME-work) and {@code --out} (target/NAME, where NAME.md goes), and the
     * report itself.
     */
    abstract static class OwnRun implements Callable<Integer> {
        private final String name;

        @Option(names = "--ivr-jar", description = "The server's packaged jar (default ${DEFAULT-VALUE}).")
        Path ivrJar = Path.of("ivr-server/target/ivr-server.jar");

        @Option(names = "--work", description = "The servers' configuration, data and logs (default ${DEFAULT-VALUE}).")
        Path work;

        @Option(names = "--out", description = "Where the report goes, as NAME.md, and what else the run keeps "
                + "(default ${DEFAULT-VALUE}).")
        Path out;

        OwnRun(String name) {
            this.name = name;
            this.work = Path.of("target", name + "-work"); // picocli takes a field's first value as its default
            this.out = Path.of("target", name);
        }

        /** When, the machine's CPUs and load average now, and Java: the start of the report's run line. */
        static String machine() {
            return String.format(java.util.Locale.ROOT, "%s; %d CPUs; load average at start %.1f; Java %s", Instant.now(),
                    Runtime.getRuntime().availableProcessors(), Measurement.loadAverage(), Runtime.version());
        }

        /**
         * Writes the report to {@code out/NAME.md} and prints it: the title, the run line, the table, then {@code ok} or
         * the {@code failedHeading} and the list of what failed, then {@code more}.
         *
         * @return the exit status: 0 when nothing failed, else 1
         */
        int report(String title, String run, String table, List<String> failed, String ok, String failedHeading,
                   String more) throws IOException {
            String md = title + "\n\n" + run + "\n\n" + table + "\n"
                    + (failed.isEmpty() ? ok + "\n" : failedHeading + "\n\n" + list(failed)) + more;
            Files.createDirectories(out);
            Files.writeString(out.resolve(name + ".md"), md, java.nio.charset.StandardCharsets.UTF_8);
            System.out.println(md);
            return failed.isEmpty() ? 0 : 1;
        }

        /** A Markdown list, a line an item. */
        static String list(List<?> items) {
            return String.join("", items.stream().map(v -> "- " + v + "\n").toList());
        }
    }

    @Command(name = "chaos", mixinStandardHelpOptions = true,
            description = "Three ivr servers on PostgreSQL (through a proxy that cuts it), the fake PBX with AMI: calls and "
                    + "agents for --duration while a server is SIGKILLed and restarted and the database is cut; then the "
                    + "invariants (one interaction per call, no double offer, no agent left reserved, every callback dialled "
                    + "once, every caller reached an agent). Exit status 1 when one does not hold.")
    static final class Chaos extends OwnRun {
        @Option(names = "--duration", defaultValue = "10m", description = "How long calls keep coming (default ${DEFAULT-VALUE}).")
        String length;

        @Option(names = "--calls", defaultValue = "1000", description = "Calls in progress at once (default ${DEFAULT-VALUE}).")
        int calls;

        @Option(names = "--agents", defaultValue = "250", description = "Agents (default ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--kills", defaultValue = "9",
                description = "Servers SIGKILLed (and restarted), evenly spread: 9 in 10 minutes is one a minute (default ${DEFAULT-VALUE}).")
        int kills;

        @Option(names = "--db-cuts", defaultValue = "2", description = "Database cuts (default ${DEFAULT-VALUE}).")
        int dbCuts;

        @Option(names = "--db-cut", defaultValue = "10s", description = "How long each cut lasts (default ${DEFAULT-VALUE}).")
        String dbCut;

        @Option(names = "--callbacks", defaultValue = "50", description = "Callbacks scheduled through the API (default ${DEFAULT-VALUE}).")
        int callbacks;

        @Option(names = "--talk", defaultValue = "2s-6s", description = "How long agents talk, min-max (default ${DEFAULT-VALUE}).")
        String talk;

        @Option(names = "--server-heap", defaultValue = "1g", description = "-Xmx of each server (default ${DEFAULT-VALUE}).")
        String heap;

        @Option(names = "--restart-after", defaultValue = "5s",
                description = "How long a killed server stays dead before it is started again (default ${DEFAULT-VALUE}).")
        String restartAfter;

        Chaos() {
            super("chaos");
        }

        @Override
        public Integer call() throws Exception {
            String[] t = talk.split("-");
            ChaosRun.Plan plan = new ChaosRun.Plan(Durations.parse(length), calls, agents, kills, dbCuts, Durations.parse(dbCut),
                    callbacks, Durations.parse(t[0]), Durations.parse(t[t.length - 1]), work.toAbsolutePath(),
                    ivrJar.toAbsolutePath(), heap, Durations.parse(restartAfter));
            String machine = machine();
            ChaosRun.Result r = new ChaosRun(plan).run();
            return report("# Chaos run", machine + "; " + plan + String.format(java.util.Locale.ROOT,
                    "; load average at the end %.1f", Measurement.loadAverage()), r.table(), r.violations(),
                    "Every invariant held.", "Invariants that did not hold:", "");
        }
    }

    @Command(name = "day", mixinStandardHelpOptions = true,
            description = "A contact center's day through a real ivr server (packaged jar, H2 file database) whose clock runs "
                    + "--speed times faster under libfaketime: calls with a morning and an afternoon peak, agents on shifts "
                    + "with breaks, self-service, transfers, abandons, callbacks; then the server's reports are compared "
                    + "with the load generator's own tally and the dashboard and reports pages are photographed in "
                    + "headless Chromium. Exit status 1 when a figure differs.")
    static final class Day extends OwnRun {
        @Option(names = "--date", defaultValue = "2026-11-30", description = "The day (UTC; default ${DEFAULT-VALUE}).")
        String date;

        @Option(names = "--open", defaultValue = "07:00", description = "First call (default ${DEFAULT-VALUE}).")
        String open;

        @Option(names = "--close", defaultValue = "20:00", description = "Last call (default ${DEFAULT-VALUE}).")
        String close;

        @Option(names = "--speed", defaultValue = "60",
                description = "How many times faster the server's clock runs (default ${DEFAULT-VALUE}: 13 hours in 13 minutes).")
        int speed;

        @Option(names = "--calls", defaultValue = "1500", description = "Calls in the day (default ${DEFAULT-VALUE}).")
        int calls;

        @Option(names = "--agents", defaultValue = "24", description = "Agents on three shifts (default ${DEFAULT-VALUE}).")
        int agents;

        @Option(names = "--seed", defaultValue = "20261130", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--no-screenshots", description = "Skip the Chromium screenshots.")
        boolean noScreenshots;

        @Option(names = "--late-rings", defaultValue = "0", description = "In how many of a hundred queue calls the "
                + "agent's phone rings past the reservation's time to live before the agent answers (late answers; "
                + "default ${DEFAULT-VALUE}).")
        int lateRings;

        Day() {
            super("day");
        }

        @Override
        public Integer call() throws Exception {
            DayRun.Plan plan = new DayRun.Plan(java.time.LocalDate.parse(date), java.time.LocalTime.parse(open),
                    java.time.LocalTime.parse(close), speed, calls, agents, seed, work.toAbsolutePath(),
                    ivrJar.toAbsolutePath(), noScreenshots ? null : out.toAbsolutePath(), lateRings);
            String machine = machine();
            DayRun.Result r = new DayRun(plan).run();
            return report("# Simulated day", machine + String.format(java.util.Locale.ROOT,
                    "; load average at the end %.1f; %s from %s to %s at x%d, %d calls, %d agents, seed %d: %d s real time",
                    Measurement.loadAverage(), date, open, close, speed, calls, agents, seed, r.realTime().toSeconds()),
                    r.table(), r.mismatches(), "The reports agree with the load generator.", "Figures that differ:",
                    r.screenshots().isEmpty() ? "" : "\nScreenshots:\n\n" + list(r.screenshots()));
        }

    }
}
