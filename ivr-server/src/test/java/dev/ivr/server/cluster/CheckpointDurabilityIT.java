package dev.ivr.server.cluster;

import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Checkpoint durability on a real two-member cluster: with {@code backup-ack}, a step's checkpoint
 * is on the backup member when {@code save} returns, so killing the member that owns it (no
 * graceful leave) right after loses no step. With {@code async}, what is written gets there and
 * the delete at a call's end is not undone by a write still on its way.
 */
@Tag("integration")
class CheckpointDurabilityIT {
    static final int CALLS = 100;
    static final int STEPS = 6;

    @TempDir
    Path dir;
    ClusterMember a;
    ClusterMember b;

    @AfterEach
    void stop() {
        for (ClusterMember m : new ClusterMember[]{b, a}) {
            if (m != null) {
                m.close();
            }
        }
    }

    void twoMembers() {
        ClusterConfig cluster = TestConfigs.server(dir, Map.of("IVR_CLUSTER_NAME", "durability-" + UUID.randomUUID()))
                .cluster();
        assertThat(cluster.backupCount()).as("the checkpoints have a backup").isGreaterThanOrEqualTo(1);
        a = ClusterMember.start(cluster, "a", dir.resolve("a"));
        b = ClusterMember.start(TestConfigs.joining(cluster, a), "b", dir.resolve("b")); // both on port 0
        await().atMost(Duration.ofMinutes(1)).until(() -> a.hazelcast().getCluster().getMembers().size() == 2);
        await().atMost(Duration.ofMinutes(1)).until(() -> b.hazelcast().getPartitionService().isClusterSafe());
    }

    /** Call ids whose checkpoint partition is owned by member a (the one that will die). */
    List<String> callsOwnedByA() {
        List<String> ids = new ArrayList<>();
        while (ids.size() < CALLS) {
            String id = "call-" + UUID.randomUUID();
            if (a.hazelcast().getPartitionService().getPartition(id).getOwner().localMember()) {
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void withBackupAckEveryStepSavedIsFoundAfterItsOwnerIsKilled() {
        twoMembers();
        HazelcastCheckpoints onA = new HazelcastCheckpoints(a.hazelcast(), Duration.ofMinutes(5),
                HazelcastCheckpoints.Durability.BACKUP_ACK, OffCallThreads.SHARED);
        List<String> calls = callsOwnedByA();
        for (int step = 1; step <= STEPS; step++) {
            for (String id : calls) {
                onA.save(id, "{\"step\":" + step + "}");
            }
        }
        // the owner dies at once, no graceful leave: only what its backup acknowledged survives
        a.hazelcast().getLifecycleService().terminate();
        a = null;

        HazelcastCheckpoints onB = new HazelcastCheckpoints(b.hazelcast(), Duration.ofMinutes(5), OffCallThreads.SHARED);
        for (String id : calls) {
            assertThat(onB.load(id)).as(id).contains("{\"step\":" + STEPS + "}");
        }
    }

    @Test
    void asyncWritesArriveInOrderAndTheDeleteAtTheEndIsNotUndone() {
        twoMembers();
        HazelcastCheckpoints onA = new HazelcastCheckpoints(a.hazelcast(), Duration.ofMinutes(5), OffCallThreads.SHARED);
        HazelcastCheckpoints onB = new HazelcastCheckpoints(b.hazelcast(), Duration.ofMinutes(5), OffCallThreads.SHARED);
        List<String> ended = new ArrayList<>();
        List<String> going = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            String id = "call-" + UUID.randomUUID();
            for (int step = 1; step <= STEPS; step++) {
                onA.save(id, "{\"step\":" + step + "}");
            }
            if (i % 2 == 0) {
                onA.delete(id);
                ended.add(id);
            } else {
                going.add(id);
            }
        }
        // the last state of a call still going arrives, whatever was coalesced on the way
        for (String id : going) {
            await().atMost(Duration.ofSeconds(30)).until(() -> onB.load(id).filter(s -> s.equals("{\"step\":" + STEPS + "}"))
                    .isPresent());
        }
        // an ended call's checkpoint is gone for good: no write on its way brought it back
        for (String id : ended) {
            await().atMost(Duration.ofSeconds(30)).until(() -> onB.load(id).isEmpty());
        }
        for (String id : going) {
            onA.delete(id);
        }
        for (String id : going) {
            await().atMost(Duration.ofSeconds(30)).until(() -> onB.load(id).isEmpty());
        }
        assertThat(ended).allSatisfy(id -> assertThat(onB.load(id)).isEmpty());
    }

    @Test
    void theDurabilityIsReadAsConfigured() {
        assertThat(HazelcastCheckpoints.Durability.parse("async")).isEqualTo(HazelcastCheckpoints.Durability.ASYNC);
        assertThat(HazelcastCheckpoints.Durability.parse("backup-ack")).isEqualTo(HazelcastCheckpoints.Durability.BACKUP_ACK);
        assertThatThrownBy(() -> HazelcastCheckpoints.Durability.parse("sync")).hasMessageContaining("backup-ack");
    }
}
