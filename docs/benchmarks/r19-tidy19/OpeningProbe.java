import dev.ivr.server.call.CallInfo;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.engine.FlowEngine;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.tools.CallerSteps;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.flow.tools.SimulatedChannel;
import dev.ivr.server.flow.tools.TranscriptAudio;
import dev.ivr.server.speech.SpeechModels;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a new call costs the flow engine on its own thread, from the checkpoint claim to its end, with a store that
 * claims (as the cluster's does: one putIfAbsent, here a map): the load generator's simple flow (play, menu, collect 4
 * digits, say, set, hang up) driven by a simulated caller who presses 1 and types 1234. Bytes the thread allocated
 * (com.sun.management.ThreadMXBean, exact) and its CPU time per call, after warm-up; rounds of 2,000 calls, the
 * median round printed. The channel and the store do next to nothing: the difference between two jars is the engine's.
 * Run against a jar of main and one of this branch, from the repository's root:
 * java -cp "ivr-server/target/JAR:ivr-server/target/lib/*" docs/benchmarks/r19-tidy19/OpeningProbe.java [rounds (15)]
 */
public class OpeningProbe {
    /** A store that claims, in memory: loadOrClaim saves {@code first} when it holds nothing. */
    static final class Claiming implements Checkpoints {
        final Map<String, String> held = new HashMap<>();
        long saves;

        @Override
        public void save(String callId, String state) {
            held.put(callId, state);
            saves++;
        }

        @Override
        public Optional<String> load(String callId) {
            return Optional.ofNullable(held.get(callId));
        }

        @Override
        public Optional<String> loadOrClaim(String callId, String first) {
            return Optional.ofNullable(held.putIfAbsent(callId, first));
        }

        @Override
        public boolean claims() {
            return true;
        }

        @Override
        public void delete(String callId) {
            held.remove(callId);
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int perRound = 2_000;
        FlowLoader.Loaded loaded = FlowLoader.load(new FlowLoader.Sources(Path.of("loadgen/src/main/resources/bench/flows"),
                Path.of("loadgen/src/main/resources/bench/prompts"), Path.of("config/calendars.yaml"), SpeechModels.SIMULATED));
        if (loaded.hasErrors()) {
            throw new IllegalStateException(loaded.problems().toString());
        }
        FlowSet flows = loaded.flowSet();
        Claiming store = new Claiming();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long me = Thread.currentThread().threadId();
        long[] bytes = new long[rounds];
        long[] cpu = new long[rounds];
        long call = 0;
        int warmup = 10;
        for (int r = 0; r < rounds + warmup; r++) {
            ScriptedCrm crm = new ScriptedCrm(List.of(), false); // keeps what it records: a new one a round
            FlowEngine engine = new FlowEngine(() -> flows, new TranscriptAudio(), crm, CallRouter.NONE, store,
                    Clock.systemUTC(), "node-a");
            long saves0 = store.saves;
            long b0 = threads.getThreadAllocatedBytes(me);
            long c0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++, call++) {
                SimulatedChannel ch = new SimulatedChannel(new CallInfo("1764900000." + call, "simple", Map.of(), List.of(),
                        "+15551230000", "", "1000", "SIP/pbx-0000" + call, "en", "ivr", "1000", "127.0.0.1"),
                        CallerSteps.parse("1, 1234"), null, x -> { });
                engine.run(ch, "simple");
            }
            if (r >= warmup) {
                bytes[r - warmup] = threads.getThreadAllocatedBytes(me) - b0;
                cpu[r - warmup] = threads.getCurrentThreadCpuTime() - c0;
                if (r == warmup) {
                    System.out.printf("checkpoint saves per call (besides the claim): %.2f%n",
                            (store.saves - saves0) / (double) perRound);
                }
            }
        }
        java.util.Arrays.sort(bytes);
        java.util.Arrays.sort(cpu);
        System.out.printf("per call, median of %d rounds of %d: %.2f KB allocated (min %.2f, max %.2f), %.1f µs thread CPU"
                        + " (min %.1f, max %.1f)%n", rounds, perRound,
                bytes[rounds / 2] / 1024.0 / perRound, bytes[0] / 1024.0 / perRound, bytes[rounds - 1] / 1024.0 / perRound,
                cpu[rounds / 2] / 1000.0 / perRound, cpu[0] / 1000.0 / perRound, cpu[rounds - 1] / 1000.0 / perRound);
    }
}
