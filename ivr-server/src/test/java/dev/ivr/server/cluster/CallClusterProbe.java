package dev.ivr.server.cluster;

import dev.ivr.fakepbx.CallResult;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * What a call of the load generator's simple flow costs the cluster member (docs/benchmarks.md, issue 16, twelfth
 * round): one server in this JVM ({@link SimpleFlowCalls}, checkpoint durability {@code async} as the benchmark runs
 * it), the fake PBX calling it {@code calls} times, {@code parallel} calls at once, each prompt playing
 * {@code promptMs} (with 20 ms, as in the command below, a call's checkpoints are mostly acknowledged before the
 * next, as with the benchmark's 2 s prompts, and seldom coalesced: 3.8 writes of 4; with 0 most are). Prints per
 * call: Hazelcast's operations by map and kind (the member's own statistics), the CPU time and bytes allocated of the partition operation threads, of the other Hazelcast threads and of the common pool's workers (their own counters:
 * load-independent), and the bytes allocated by every platform thread of the JVM, carriers of the calls' virtual
 * threads included (this includes the fake PBX's side, the same before and after a change of the server).
 * <pre>
 * ./ivr mvn -q -o -pl ivr-server test-compile
 * cd ivr-server &amp;&amp; $(../ivr java-home)/bin/java -cp "target/test-classes:target/classes:../test-support/target/test-support-0.1.0-SNAPSHOT.jar:../fake-pbx/target/fake-pbx-0.1.0-SNAPSHOT.jar:target/lib/*" \
 *     dev.ivr.server.cluster.CallClusterProbe 3000 20 20
 * </pre>
 * (run from ivr-server/: the simple flow is read from ../loadgen).
 */
public final class CallClusterProbe {
    public static void main(String[] args) throws Exception {
        int calls = Integer.parseInt(args[0]);
        int parallel = Integer.parseInt(args[1]);
        java.time.Duration prompt = java.time.Duration.ofMillis(Integer.parseInt(args[2]));
        try (SimpleFlowCalls server = new SimpleFlowCalls(Files.createTempDirectory("call-cluster-probe"), "async")) {
            run(server, 500, parallel, prompt); // warm-up
            settle(server);
            Map<String, Long> ops0 = server.counts();
            long[] before = threads();
            run(server, calls, parallel, prompt);
            settle(server);
            long[] after = threads();
            Map<String, Long> ops = SimpleFlowCalls.delta(ops0, server.counts());
            StringBuilder perCall = new StringBuilder();
            ops.forEach((k, v) -> perCall.append(String.format("%n  %-40s %.3f", k, v / (double) calls)));
            System.out.printf("%d calls, %d at once, prompts of %d ms; Hazelcast operations per call:%s%n", calls, parallel,
                    prompt.toMillis(), perCall);
            System.out.printf("per call: partition threads %.1f us CPU, %.0f bytes; other hz threads %.1f us CPU, %.0f bytes;"
                            + " common pool %.1f us CPU, %.0f bytes; all platform threads %.0f bytes allocated%n",
                    (after[0] - before[0]) / 1e3 / calls, (after[1] - before[1]) / (double) calls,
                    (after[2] - before[2]) / 1e3 / calls, (after[3] - before[3]) / (double) calls,
                    (after[5] - before[5]) / 1e3 / calls, (after[6] - before[6]) / (double) calls,
                    (after[4] - before[4]) / (double) calls);
        }
        System.exit(0);
    }

    private static void run(SimpleFlowCalls server, int calls, int parallel, java.time.Duration prompt) throws Exception {
        Semaphore slots = new Semaphore(parallel);
        List<Future<CallResult>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < calls; i++) {
                String code = String.format("%04d", i % 10_000);
                slots.acquire();
                Callable<CallResult> call = () -> {
                    try {
                        return server.call(code, prompt);
                    } finally {
                        slots.release();
                    }
                };
                results.add(pool.submit(call));
            }
        }
        for (Future<CallResult> r : results) {
            if (r.get().variable("BENCH_CODE") == null) {
                throw new IllegalStateException("a call did not run the flow to its end: " + r.get().commands());
            }
        }
    }

    /** Until every call's checkpoint is deleted and the calls' ends are sent (IvrExits sends every 250 ms). */
    private static void settle(SimpleFlowCalls server) throws InterruptedException {
        while (server.checkpointsHeld() > 0) {
            Thread.sleep(20);
        }
        Thread.sleep(600);
    }

    /**
     * CPU ns and bytes of the partition threads, of the other hz.* threads, bytes of every platform thread, CPU ns and
     * bytes of {@code ForkJoinPool.commonPool}'s workers (where Hazelcast runs callbacks given no executor; a worker idle
     * for a minute ends, and its counts with it: the runs here are shorter).
     */
    private static long[] threads() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] out = new long[7];
        for (var info : mx.dumpAllThreads(false, false)) {
            long id = info.getThreadId();
            long bytes = Math.max(0, mx.getThreadAllocatedBytes(id));
            out[4] += bytes;
            if (info.getThreadName().contains("partition-operation")) {
                out[0] += mx.getThreadCpuTime(id);
                out[1] += bytes;
            } else if (info.getThreadName().startsWith("hz.")) {
                out[2] += mx.getThreadCpuTime(id);
                out[3] += bytes;
            } else if (info.getThreadName().startsWith("ForkJoinPool.commonPool")) {
                out[5] += mx.getThreadCpuTime(id);
                out[6] += bytes;
            }
        }
        return out;
    }

    private CallClusterProbe() {
    }
}
