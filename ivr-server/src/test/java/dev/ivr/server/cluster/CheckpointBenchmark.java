package dev.ivr.server.cluster;

import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.TestConfigs;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * What a node's checkpoint costs the step that writes it, per durability, for docs/benchmarks.md:
 * two cluster members on loopback in this JVM (backup count 1, so every checkpoint has its backup
 * on the other member), {@code callers} virtual threads each saving a checkpoint of a realistic
 * size ({@code size} bytes of JSON) for its own call id, {@code saves} times, {@code interval} ms
 * apart on average (as a call's nodes are, waiting for prompts and keys). Reports the time
 * {@code save} takes (what the next AGI command waits) and the process CPU per save (both
 * members).
 * <pre>
 * ./ivr mvn -q -pl ivr-server -am test-compile
 * ./ivr mvn -q -pl ivr-server exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.ivr.server.cluster.CheckpointBenchmark [-Dcallers=1000 -Dsaves=40 -Dinterval=250 -Dsize=1500]
 * </pre>
 */
public final class CheckpointBenchmark {
    public static void main(String[] args) throws Exception {
        int callers = Integer.getInteger("callers", 1000);
        int saves = Integer.getInteger("saves", 40);
        long interval = Long.getLong("interval", 250);
        int size = Integer.getInteger("size", 1500);
        Path dir = Files.createTempDirectory("checkpoint-bench");
        var cluster = TestConfigs.server(dir, Map.of("IVR_CLUSTER_NAME", "checkpoint-bench-" + UUID.randomUUID())).cluster();
        try (ClusterMember a = ClusterMember.start(cluster, "a", dir.resolve("a"));
             ClusterMember b = ClusterMember.start(TestConfigs.joining(cluster, a), "b", dir.resolve("b"))) {
            while (b.hazelcast().getCluster().getMembers().size() < 2 || !a.hazelcast().getPartitionService().isClusterSafe()) {
                Thread.sleep(100);
            }
            String state = "{\"v\":1,\"pad\":\"" + "x".repeat(Math.max(0, size - 20)) + "\"}";
            for (HazelcastCheckpoints.Durability d : List.of(HazelcastCheckpoints.Durability.ASYNC,
                    HazelcastCheckpoints.Durability.BACKUP_ACK, HazelcastCheckpoints.Durability.ASYNC,
                    HazelcastCheckpoints.Durability.BACKUP_ACK)) {
                run(new HazelcastCheckpoints(a.hazelcast(), Duration.ofMinutes(5), d, OffCallThreads.SHARED), d, callers, saves, interval, state);
            }
        }
    }

    private CheckpointBenchmark() {
    }

    static void run(HazelcastCheckpoints cp, HazelcastCheckpoints.Durability d, int callers, int saves, long interval,
                    String state)
            throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[][] times = new long[callers][saves];
        CountDownLatch done = new CountDownLatch(callers);
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        for (int c = 0; c < callers; c++) {
            int me = c;
            Thread.ofVirtual().start(() -> {
                String id = "call-" + UUID.randomUUID();
                for (int s = 0; s < saves; s++) {
                    long start = System.nanoTime();
                    cp.save(id, state);
                    times[me][s] = System.nanoTime() - start;
                    try {
                        Thread.sleep(interval / 2 + (long) (Math.random() * interval)); // a node's prompt or input
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                cp.delete(id);
                done.countDown();
            });
        }
        done.await();
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long[] all = Arrays.stream(times).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("%-10s callers=%d saves=%d: save p50 %.3f ms, p99 %.3f ms, max %.3f ms; %.0f saves/s;"
                        + " CPU %.1f us per save (both members)%n", d, callers, all.length, pct(all, 0.50), pct(all, 0.99),
                all[all.length - 1] / 1e6, all.length / (wall / 1e9), cpu / 1e3 / all.length);
    }

    static double pct(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))] / 1e6;
    }
}
