package dev.ivr.server.desk.exits;

import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.engine.CallSummary;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.testing.TestConfigs;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What counting the calls' ends costs the cluster's partition threads (docs/benchmarks.md, issue 16, eleventh round):
 * one member, {@code calls} calls ending {@code rate} a second on virtual threads, each counted as the server counts
 * it. {@code each}: one entry processor per call, waited for on the call's thread (what the server did before this
 * round: {@link IvrExits#call}); {@code together}: through the call's observer (counts added up and sent together).
 * Prints the entry processors run (the entry's change events), the partition threads' CPU time and bytes allocated
 * (load-independent: those threads' own counters), per call.
 * <pre>
 * ./ivr mvn -q -o -pl ivr-server test-compile
 * J=$(./ivr java-home)/bin/java; CP="ivr-server/target/test-classes:ivr-server/target/classes:test-support/target/test-support-0.1.0-SNAPSHOT.jar:ivr-server/target/lib/*"
 * $J -cp "$CP" dev.ivr.server.desk.exits.ExitsProbe each 3000 200
 * $J -cp "$CP" dev.ivr.server.desk.exits.ExitsProbe together 3000 200
 * </pre>
 */
public final class ExitsProbe {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int calls = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        Path dir = Files.createTempDirectory("exits-probe");
        var cluster = TestConfigs.server(dir).cluster(); // as IvrExitsIT
        try (ClusterMember member = ClusterMember.start(cluster, "a", dir.resolve("a"))) {
            IvrExits exits = new IvrExits(member.hazelcast(), Duration.ofHours(1), Clock.systemUTC());
            AtomicLong changes = new AtomicLong();
            exits.listen(changes::incrementAndGet);
            run(exits, mode, 500, rate); // warm-up
            while (exits.snapshot().totalCalls() < 500) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
            long changes0 = changes.get();
            long[] before = partitionThreads();
            run(exits, mode, calls, rate);
            while (exits.snapshot().totalCalls() < 500 + calls) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
            long[] after = partitionThreads();
            long n = changes.get() - changes0;
            System.out.printf("%s: %d calls at %d/s: %d entry processors (%.3f per call); partition threads: %.1f us CPU"
                            + " and %.0f bytes allocated per call%n", mode, calls, rate, n, n / (double) calls,
                    (after[0] - before[0]) / 1e3 / calls, (after[1] - before[1]) / (double) calls);
        }
        System.exit(0);
    }

    private static void run(IvrExits exits, String mode, int calls, int rate) throws InterruptedException {
        long gap = 1_000_000_000L / rate;
        long start = System.nanoTime();
        Thread[] threads = new Thread[calls];
        for (int i = 0; i < calls; i++) {
            long due = start + i * gap;
            while (System.nanoTime() < due) {
                Thread.sleep(Duration.ofNanos(Math.max(0, due - System.nanoTime())));
            }
            String id = "call-" + i;
            threads[i] = Thread.ofVirtual().start(() -> {
                if (mode.equals("each")) {
                    exits.call("simple");
                } else {
                    var observer = exits.observer();
                    observer.node("simple", new Node.Hangup(new Node.Info("goodbye", "hangup", null, null, null), null));
                    observer.ended(new CallSummary(List.of(), Map.of(), Map.of(), null, null, new Interaction(id,
                            "+3612345678", "1000", "simple", "1", Instant.now(), Instant.now(), List.of("goodbye"),
                            Map.of(), null, null, null, null, null, null, Interaction.Outcome.SELF_SERVED, "n1")));
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** The partition operation threads' CPU time (ns) and bytes allocated, summed. */
    private static long[] partitionThreads() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpu = 0;
        long bytes = 0;
        for (var info : mx.dumpAllThreads(false, false)) {
            if (info.getThreadName().contains("partition-operation")) {
                cpu += mx.getThreadCpuTime(info.getThreadId());
                bytes += mx.getThreadAllocatedBytes(info.getThreadId());
            }
        }
        return new long[]{cpu, bytes};
    }

    private ExitsProbe() {
    }
}
