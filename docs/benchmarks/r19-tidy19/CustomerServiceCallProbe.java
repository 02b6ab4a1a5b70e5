import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.ScriptedRouter;
import dev.ivr.server.flow.tools.Simulation;
import dev.ivr.server.flow.tools.Transcript;
import dev.ivr.server.speech.SpeechModels;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a call of the shipped customer-service flow costs the flow engine on its thread: the first case of
 * flows/customer-service.test.yaml (a known caller greeted by name, billing, account and PIN verified in the verify-caller
 * subflow, routed with context: 12 nodes, a dozen templates and expressions on customer.*, auth.*, inputs.*), run with
 * the simulator ({@link Simulation}: scripted CRM and router, no checkpoints, no PBX). Bytes the thread allocated
 * (com.sun.management.ThreadMXBean, exact) and its CPU time per call, after warm-up; rounds of 500 calls, the median
 * round printed. The simulator's own work (transcript, scripted CRM) is the same for every build.
 * Run against a jar of main and one of this branch, from the repository's root:
 * java -cp "ivr-server/target/JAR:ivr-server/target/lib/*" docs/benchmarks/r19-tidy19/CustomerServiceCallProbe.java [rounds (30)]
 */
public class CustomerServiceCallProbe {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int perRound = 500;
        FlowLoader.Loaded loaded = FlowLoader.load(new FlowLoader.Sources(Path.of("flows"), Path.of("prompts"),
                Path.of("config/calendars.yaml"), SpeechModels.SIMULATED));
        if (loaded.hasErrors()) {
            throw new IllegalStateException(loaded.problems().toString());
        }
        FlowSet flows = loaded.flowSet();
        List<Map<String, Object>> customers = List.of(Map.of("id", "C-1001", "first-name", "Anna", "last-name", "Kovacs",
                "tier", "gold", "language", "en", "phones", List.of("+3612345678"),
                "accounts", List.of(Map.of("number", "12345678", "pin", "4321"))));
        Map<String, Map<String, Object>> routing = Map.of("billing", Map.of("result", "connected", "agent", "agent-7"));
        Instant time = Instant.parse("2025-06-02T08:00:00Z"); // a Monday morning: open
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        long[] bytes = new long[rounds];
        long[] cpu = new long[rounds];
        int warmup = 20;
        String lastPath = null;
        for (int r = 0; r < rounds + warmup; r++) {
            ScriptedCrm crm = new ScriptedCrm(customers, false); // keeps what it records: a new one a round
            long b0 = threads.getThreadAllocatedBytes(me);
            long c0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++) {
                Transcript t = Simulation.run(flows, new Simulation.Call("customer-service", "+3612345678", "1000", "en",
                        List.of(), time, CallerSteps.parse("1, 12345678#, 4321#"), null, crm, new ScriptedRouter(routing)),
                        x -> { });
                lastPath = String.valueOf(t.summary() == null ? null : t.summary().path());
            }
            if (r >= warmup) {
                bytes[r - warmup] = threads.getThreadAllocatedBytes(me) - b0;
                cpu[r - warmup] = threads.getCurrentThreadCpuTime() - c0;
            }
        }
        java.util.Arrays.sort(bytes);
        java.util.Arrays.sort(cpu);
        System.out.println("path: " + lastPath);
        System.out.printf("per call, median of %d rounds of %d: %.2f KB allocated (min %.2f, max %.2f), %.1f µs thread CPU"
                        + " (min %.1f, max %.1f)%n", rounds, perRound,
                bytes[rounds / 2] / 1024.0 / perRound, bytes[0] / 1024.0 / perRound, bytes[rounds - 1] / 1024.0 / perRound,
                cpu[rounds / 2] / 1000.0 / perRound, cpu[0] / 1000.0 / perRound, cpu[rounds - 1] / 1000.0 / perRound);
    }
}
