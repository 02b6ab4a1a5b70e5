package dev.ivr.loadgen;

import dev.ivr.fakepbx.AgiCommand;
import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.DialedLeg;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.loadgen.baseline.BaselineServer;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline is only fair if the stock server's scripts send what ivr sends: the same callers,
 * scripted, against the packaged ivr server (with the benchmark's own configuration) and against
 * the stock DefaultAgiServer with the hand-written scripts, must produce the same AGI commands
 * with the same arguments in the same order. Differences that are not the script's: prompt files
 * (ivr names them by content in its cache; a file must map to the same file all along), the call
 * ids and their signatures, and how long a waiting caller's waits for a key were and how many it took (timing:
 * each lasts until the next announcement, a cut one is followed by the same NOOP on both).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("integration")
@Isolated // alone: its servers use both cores (the simulated days run side by side, see loadgen/pom.xml)
class ScriptEquivalenceIT {
    @TempDir
    static Path work;
    static ServerProcess ivr;
    static DefaultAgiServer stock;
    static int ivrPort;
    static int stockPort;
    static final int CUSTOMERS = 30;
    /** The agent's wrap-up on both servers (the same on each; short, as the cases wait it out between calls). */
    static final Duration WRAP_UP = Duration.ofSeconds(1);
    /** How an opening call goes while its greeting by name is not rendered yet. */
    static final List<String> NOT_RENDERED_YET = List.of("scenario_greeting_skipped", "scenario_greeting_fallback",
            "scenario_greeting_waited");
    /** Long enough for the wrap-up to end and the agent to be ready again on either server. */
    static final long WRAP_UP_OVER_MS = WRAP_UP.toMillis() + 1500;

    @BeforeAll
    static void start() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path jar = repo.resolve("ivr-server/target/ivr-server.jar");
        assertThat(jar).as("the packaged server (./ivr build, or the reactor build before this module)").exists();
        ivrPort = LoadGen.freePort();
        int httpPort = LoadGen.freePort();
        Path config = BenchDeployment.writeConfig(work, repo, ivrPort, httpPort, WRAP_UP);
        Path csv = work.resolve("customers.csv");
        CrmPopulation.writeCsv(csv, CUSTOMERS);
        ServerProcess.importCustomers(jar, config, csv, work.resolve("import.log"));
        ivr = ServerProcess.ivr(jar, config, ivrPort, List.of("-Xmx512m"), work.resolve("ivr.log"), List.of());
        ivr.awaitListening(Duration.ofSeconds(180));
        assertThat(ivr.awaitLog("pre-rendered ", Duration.ofMinutes(5))).as("prompts pre-rendered").isTrue();
        BenchDeployment.agents(httpPort, work.resolve("ivr-data"), 1);

        stockPort = LoadGen.freePort();
        stock = BaselineServer.create(stockPort, "default", 1, WRAP_UP, "bench");
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                stock.startup();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ServerProcess.awaitPort(stockPort, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stock != null) {
            stock.shutdown();
        }
        if (ivr != null) {
            ivr.close();
        }
    }

    /** Every case, in the same order on each server (the routing state carries over from one to the next). */
    static List<CallResult> calls(int port) throws Exception {
        FakePbx pbx = new FakePbx("127.0.0.1", port);
        pbx.answerGosub("ivr-agent-answered", "agent-answered");
        List<CallResult> out = new ArrayList<>();
        // support, waiting behind another call for the only agent: announcement with place and wait, music, ticks
        FakeCall first = call(pbx, "customer-service", Caller.script().press("1").press("2")
                .dial(Caller.DialOutcome.ANSWER, Duration.ofSeconds(3)).thenSilence()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (first.snapshot().stream().noneMatch(c -> c.isExec("Dial")) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        CallResult waiting = call(pbx, "customer-service", Caller.script().press("1").press("2")
                .dial(Caller.DialOutcome.ANSWER, Duration.ofMillis(300)).thenSilence()).run(Duration.ofSeconds(60));
        out.add(first.await(Duration.ofSeconds(30)));
        out.add(waiting);
        Thread.sleep(WRAP_UP_OVER_MS); // the agent's wrap-up
        // sales, the agent free: straight to the agent
        out.add(call(pbx, "customer-service", Caller.script().press("1").press("3")
                .dial(Caller.DialOutcome.ANSWER, Duration.ofMillis(300)).thenSilence()).run(Duration.ofSeconds(30)));
        Thread.sleep(WRAP_UP_OVER_MS);
        // silence at the language menu, a wrong key at the main menu, then sales
        out.add(call(pbx, "customer-service", Caller.script().silence().press("7").press("3")
                .dial(Caller.DialOutcome.ANSWER, Duration.ofMillis(300)).thenSilence()).run(Duration.ofSeconds(30)));
        // the simple flow: straight through; with a reprompt at the menu and a short code first
        out.add(call(pbx, "simple", Caller.script().press("1").press("1234")).run(Duration.ofSeconds(30)));
        out.add(call(pbx, "simple", Caller.script().silence().press("2").press("12#").press("5678")).run(Duration.ofSeconds(60)));
        out.add(call(pbx, "simple", Caller.script().press("9").silence().silence()).run(Duration.ofSeconds(60)));
        return out;
    }

    private static FakePbx.CallBuilder call(FakePbx pbx, String script, Caller caller) {
        return pbx.call(script).callerId("+3670" + (1_000_000 + (int) (Math.random() * 8_999_999))).caller(caller)
                .promptTime(Duration.ofMillis(20)).realTimeouts();
    }

    @Test
    @Order(1) // first: the estimated wait it hears is the queues' default, before any call was handled
    void theStockScriptsSendWhatTheIvrFlowsSend() throws Exception {
        List<CallResult> a = calls(ivrPort);
        List<CallResult> b = calls(stockPort);
        List<List<String>> ia = normalised(a);
        List<List<String>> sb = normalised(b);
        dump(Path.of("target/script-equivalence-ivr.txt"), ia); // to read when it fails
        dump(Path.of("target/script-equivalence-stock.txt"), sb);
        for (int i = 0; i < ia.size(); i++) {
            assertThat(sb.get(i)).as("call %d: the stock script's commands (ivr's: %s)", i + 1, ia.get(i)).isEqualTo(ia.get(i));
            assertThat(b.get(i).hungUpBy()).as("call %d: who hung up", i + 1).isEqualTo(a.get(i).hungUpBy());
            assertThat(b.get(i).error()).isNull();
        }
        assertThat(a.get(1).commandNames()).as("the second call waited, with music and ticks").contains("SET MUSIC", "WAIT FOR DIGIT");
        assertThat(a.get(0).dials()).singleElement().extracting(DialedLeg::status).isEqualTo("ANSWER");
        assertThat(a.get(4).variable("BENCH_CODE")).isEqualTo("1234");
        assertThat(b.get(5).variable("BENCH_CODE")).isEqualTo("5678");
    }

    @Test
    @Order(2)
    void theLoadScenariosCallersAreServedAlikeAndPassTheirChecks() throws Exception {
        List<Scenario> scenarios = List.of(new SimpleFlowScenario(),
                new CustomerServiceScenario(Duration.ofMillis(200), Duration.ofMillis(400)));
        for (Scenario sc : scenarios) {
            List<CallResult> both = new ArrayList<>();
            for (int port : new int[]{ivrPort, stockPort}) {
                Thread.sleep(WRAP_UP_OVER_MS); // an agent in wrap-up from an earlier call is ready again
                FakePbx pbx = new FakePbx("127.0.0.1", port);
                sc.configure(pbx);
                CallResult r = pbx.call(sc.script()).callerId(sc.callerId(new java.util.Random(7)))
                        .caller(sc.caller(new java.util.Random(7))).promptTime(Duration.ofMillis(20)).realTimeouts()
                        .run(Duration.ofSeconds(60));
                assertThat(Failures.classify(r, sc)).as("%s on port %d: %s", sc.script(), port, r.commandNames()).isNull();
                both.add(r);
            }
            assertThat(normalised(both.subList(1, 2))).as(sc.script()).isEqualTo(normalised(both.subList(0, 1)));
        }
    }

    @Test
    @Order(3)
    void openingCallersAreIdentifiedByTheirNumberInAnyFormat() throws Exception {
        FakePbx pbx = new FakePbx("127.0.0.1", ivrPort);
        // the generic welcome's file, as an unknown caller hears it: said in place of a greeting by name not ready
        String welcome = OpeningScenario.fallbackFile(pbx, Duration.ofSeconds(60));
        OpeningScenario sc = new OpeningScenario(CUSTOMERS, welcome);
        for (int seed = 1; seed <= 3; seed++) {
            // the first calls of a name may find its greeting not synthesised yet (the fallback, or nothing, is said;
            // the render goes on); a later call has it
            List<String> early = new ArrayList<>();
            for (int attempt = 1; ; attempt++) {
                CallResult r = pbx.call(sc.script()).callerId(sc.callerId(new java.util.Random(seed)))
                        .caller(sc.caller(new java.util.Random(seed))).realTimeouts().run(Duration.ofSeconds(60));
                String failure = Failures.classify(r, sc);
                if (attempt < 10 && failure != null && NOT_RENDERED_YET.contains(failure)) {
                    early.add(failure);
                    continue;
                }
                assertThat(failure).as("call %d.%d (before: %s): %s", seed, attempt, early, r.commands()).isNull();
                assertThat(r.prompts()).as("the greeting by name is not the welcome").doesNotContain(welcome);
                break;
            }
        }
    }

    /**
     * Each call's commands, then those of its agent legs' answer reports, as comparable lines:
     * prompt files numbered by first appearance over all calls, call ids and signatures replaced,
     * a waiting caller's waits for a key (after music on) made one.
     */
    static final String QUIET_STRETCH = "WAIT FOR DIGIT <quiet stretch>";

    static List<List<String>> normalised(List<CallResult> calls) {
        Map<String, String> files = new HashMap<>();
        List<List<String>> out = new ArrayList<>();
        for (CallResult r : calls) {
            List<AgiCommand> all = new ArrayList<>(r.commands());
            List<String> ids = new ArrayList<>(List.of(r.uniqueId()));
            for (DialedLeg leg : r.dials()) {
                if (leg.answerGosub() != null) {
                    all.addAll(leg.answerGosub().commands());
                    ids.add(leg.answerGosub().uniqueId());
                }
            }
            List<String> lines = new ArrayList<>();
            for (AgiCommand c : all) {
                String line = c.raw();
                if (c.name().equals("STREAM FILE") && (c.arg(0, "").startsWith("/") || c.arg(0, "").startsWith("ivr/"))) {
                    String f = c.arg(0, "");
                    String n = files.computeIfAbsent(f, k -> "prompt-" + (files.size() + 1));
                    line = line.replace("\"" + f + "\"", "\"" + n + "\"");
                }
                for (String id : ids) {
                    line = line.replace(id, "<call>");
                }
                line = line.replaceAll(";sig=[A-Za-z0-9_-]+", ";sig=<sig>");
                if (line.startsWith("WAIT FOR DIGIT") && !lines.isEmpty()
                        && (lines.getLast().toUpperCase(java.util.Locale.ROOT).startsWith("SET MUSIC ON")
                        || lines.getLast().equals(QUIET_STRETCH))) {
                    line = QUIET_STRETCH; // a waiting caller's: its length is the time to the next announcement
                    if (lines.getLast().equals(line)) {
                        continue;
                    }
                }
                lines.add(line);
            }
            out.add(lines);
        }
        return out;
    }

    static void dump(Path file, List<List<String>> calls) throws Exception {
        List<String> lines = new ArrayList<>();
        calls.forEach(c -> {
            lines.addAll(c);
            lines.add("----");
        });
        Files.write(file, lines);
    }
}
