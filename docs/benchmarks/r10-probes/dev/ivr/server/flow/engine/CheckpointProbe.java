package dev.ivr.server.flow.engine;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.speech.SpeechModels;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one checkpoint's JSON costs ({@code CallState.toJson}), measured alone: the simple flow's state as it is
 * checkpointed before its {@code confirm} node (path welcome, main-menu, enter-code; inputs choice and code), written
 * {@code n} times on this platform thread after as many of warm-up; the thread's own CPU time and bytes allocated
 * (ThreadMXBean), per checkpoint. Bytes are deterministic; CPU time is this thread's only (other processes do not
 * count in it, but they do slow the caches). In the package of CallState (package-private), on the class path
 * before the server's jar:
 * javac -cp "JAR:LIB/*" -d OUT docs/benchmarks/r10-probes/dev/ivr/server/flow/engine/CheckpointProbe.java
 * java -cp "OUT:JAR:LIB/*" dev.ivr.server.flow.engine.CheckpointProbe 200000
 */
public class CheckpointProbe {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        Path dir = Files.createTempDirectory("checkpointprobe");
        Files.writeString(dir.resolve("simple.yaml"), """
                description: the load generator's simple flow, with texts instead of recordings
                start: welcome
                languages: [en]
                nodes:
                  welcome:
                    type: say
                    text: Welcome to the load test.
                    next: main-menu
                  main-menu:
                    type: menu
                    text: Press 1 or 2.
                    options: {"1": enter-code, "2": enter-code}
                    timeout: 5s
                    retries: 1
                    fallback: goodbye
                    into: choice
                  enter-code:
                    type: collect
                    text: Enter your code.
                    into: code
                    min-length: 4
                    max-length: 4
                    timeout: 5s
                    fallback: goodbye
                    next: confirm
                  confirm:
                    type: say
                    text: Thank you.
                    next: goodbye
                  goodbye:
                    type: hangup
                    outcome: self-served
                """);
        FlowLoader.Loaded loaded = FlowLoader.load(new FlowLoader.Sources(dir, Path.of("prompts"),
                Path.of("config/calendars.yaml"), SpeechModels.SIMULATED));
        if (loaded.hasErrors()) {
            throw new IllegalStateException(loaded.problems().toString());
        }
        Flow flow = loaded.flowSet().flow("simple").orElseThrow();
        CallInfo info = new CallInfo("1796420843.6932", "simple", Map.of(), List.of(), "+3612345678", "", "1000",
                "PJSIP/loadgen-00001b15", "en", "bench", "1000", "127.0.0.1");
        CallState st = new CallState(info, Instant.parse("2026-12-04T22:00:00Z"));
        st.position.enter(new CallState.Frame(flow, flow.start(), new LinkedHashMap<>(flow.variables()), null));
        for (String node : List.of("welcome", "main-menu", "enter-code")) {
            st.position.visit(st.frame(), node);
        }
        st.position.moveTo("confirm");
        st.inputs.values.put("choice", "1");
        st.inputs.values.put("code", "4711");
        System.out.println(st.toJson("ivr-1"));
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 2; round++) {
            long b0 = mx.getCurrentThreadAllocatedBytes(), c0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                sink += st.toJson("ivr-1").length();
            }
            long b = mx.getCurrentThreadAllocatedBytes() - b0, c = mx.getCurrentThreadCpuTime() - c0;
            System.out.printf("%s: %d checkpoints, %.0f bytes allocated and %.2f µs CPU per checkpoint%n",
                    round == 0 ? "warm-up" : "measured", n, (double) b / n, c / 1000.0 / n);
        }
        System.out.println(sink > 0 ? "" : "?");
    }
}
