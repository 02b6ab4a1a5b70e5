package dev.ivr.server.cluster;

import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.TestConfigs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * How long a lone member's held checkpoints take to reach the cluster when a second member joins (docs/benchmarks.md,
 * issue 16, twenty-eighth round, lone32): member a alone on loopback in this JVM, {@code calls} calls claimed, each
 * with {@code steps} held checkpoints of {@code size} characters; then member b joins, and the probe reports, from
 * the moment a's membership says two members: when a's {@code ivr-checkpoint-hold} thread has handed every held state
 * over, when every write is acknowledged (with its synchronous backup, async durability), and when the cluster is
 * safe (the join's partition migration over). Polled every millisecond.
 * <pre>
 * java -cp "ivr-server/target/test-classes:ivr-server/target/classes:$(cat target/lone32-test-cp.txt)" \
 *     dev.ivr.server.cluster.HeldFlushProbe [calls=2000] [steps=3] [size=1500] [rounds=3]
 * </pre>
 */
public final class HeldFlushProbe {
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 1500;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        for (int round = 1; round <= rounds; round++) {
            round(round, calls, steps, size);
        }
        System.exit(0);
    }

    private static void round(int round, int calls, int steps, int size) throws Exception {
        Path dir = Files.createTempDirectory("held-flush-probe");
        var cluster = TestConfigs.server(dir, Map.of("IVR_CLUSTER_NAME", "held-flush-" + UUID.randomUUID())).cluster();
        try (ClusterMember a = ClusterMember.start(cluster, "a", dir.resolve("a"))) {
            HazelcastCheckpoints onA = new HazelcastCheckpoints(a.hazelcast(), Duration.ofMinutes(30), OffCallThreads.SHARED);
            until(onA::holding);
            String pad = "x".repeat(Math.max(0, size - 40));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                String id = "probe-" + i + "-" + UUID.randomUUID();
                onA.loadOrClaim(id, "{\"step\":0,\"pad\":\"" + pad + "\"}");
                ids.add(id);
            }
            for (int s = 1; s <= steps; s++) {
                for (String id : ids) {
                    onA.save(id, "{\"step\":" + s + ",\"pad\":\"" + pad + "\"}");
                }
            }
            if (onA.heldOnly() != calls) {
                throw new IllegalStateException("held " + onA.heldOnly() + " of " + calls);
            }
            try (ClusterMember b = ClusterMember.start(TestConfigs.joining(cluster, a), "b", dir.resolve("b"))) {
                until(() -> a.hazelcast().getCluster().getMembers().size() == 2);
                long t0 = System.nanoTime();
                until(() -> onA.heldOnly() == 0);
                long handed = System.nanoTime();
                until(() -> onA.writesOnTheirWay() == 0);
                long acknowledged = System.nanoTime();
                until(() -> a.hazelcast().getPartitionService().isClusterSafe());
                long safe = System.nanoTime();
                int found = 0;
                for (String id : ids) {
                    if (b.hazelcast().getMap(HazelcastCheckpoints.MAP).get(id) instanceof HazelcastCheckpoints.Checkpoint c
                            && c.state().startsWith("{\"step\":" + steps + ",")) {
                        found++;
                    }
                }
                System.out.printf("round %d: %d calls x %d held steps of %d chars: handed over %.1f ms, acknowledged %.1f ms,"
                                + " cluster safe %.1f ms after a saw b; newest step in the map for %d of %d%n", round, calls,
                        steps, size, (handed - t0) / 1e6, (acknowledged - t0) / 1e6, (safe - t0) / 1e6, found, calls);
                onA.close();
            }
        }
    }

    private static void until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within 2 minutes");
            }
            Thread.sleep(1);
        }
    }
}
