package dev.ivr.server.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A lone member's checkpoints on a real cluster on loopback ({@link ClusterMember}s of the server's own kind): while
 * the member is alone, a call's steps after its claim are held in its memory and nothing of them is written to the
 * checkpoint map; when a second member joins, every held step is in the map, readable from that member, and survives
 * the first member's death; steps after the join go to the map; after the other member left they are held again. A
 * call resumed from another member's checkpoint is written to the map even on a lone member.
 */
@Tag("integration")
class LoneMemberCheckpointsIT {
    static final Duration T = Duration.ofSeconds(60);
    static final Duration TTL = Duration.ofMinutes(5);
    static final int CALLS = 60;
    static final int STEPS = 5;

    @TempDir
    Path dir;
    ClusterConfig cluster;
    ClusterMember a;
    ClusterMember b;
    final List<HazelcastCheckpoints> stores = new ArrayList<>();

    @AfterEach
    void stop() {
        stores.forEach(HazelcastCheckpoints::close);
        for (ClusterMember m : new ClusterMember[]{b, a}) {
            if (m != null) {
                m.close();
            }
        }
    }

    ClusterMember startA() {
        cluster = TestConfigs.server(dir, Map.of("IVR_CLUSTER_NAME", "lone-" + UUID.randomUUID())).cluster();
        assertThat(cluster.backupCount()).as("the checkpoints have a backup").isGreaterThanOrEqualTo(1);
        a = ClusterMember.start(cluster, "a", dir.resolve("a"));
        return a;
    }

    ClusterMember startB() {
        b = ClusterMember.start(TestConfigs.joining(cluster, a), "b", dir.resolve("b")); // both on port 0
        await().atMost(T).until(() -> a.hazelcast().getCluster().getMembers().size() == 2);
        return b;
    }

    HazelcastCheckpoints store(ClusterMember m, HazelcastCheckpoints.Durability durability) {
        HazelcastCheckpoints s = new HazelcastCheckpoints(m.hazelcast(), TTL, durability, OffCallThreads.SHARED);
        stores.add(s);
        return s;
    }

    static String state(String id, int step) {
        return "{\"call\":\"" + id + "\",\"step\":" + step + "}";
    }

    static IMap<String, HazelcastCheckpoints.Checkpoint> map(ClusterMember m) {
        return m.hazelcast().getMap(HazelcastCheckpoints.MAP);
    }

    /** The checkpoint map's writes that ran on the member: puts (the claims), sets (the steps) and removes. */
    static long writes(ClusterMember m) {
        LocalMapStats s = map(m).getLocalMapStats();
        return s.getPutOperationCount() + s.getSetOperationCount() + s.getRemoveOperationCount();
    }

    List<String> claimAll(HazelcastCheckpoints onA) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            String id = "call-" + UUID.randomUUID();
            assertThat(onA.loadOrClaim(id, state(id, 0))).as("a new call").isEmpty();
            ids.add(id);
        }
        return ids;
    }

    @ParameterizedTest(name = "checkpoint durability {0}")
    @EnumSource(HazelcastCheckpoints.Durability.class)
    void stepsHeldWhileAloneAreInTheMapOnceAMemberJoinsAndSurviveTheirMembersDeath(
            HazelcastCheckpoints.Durability durability) {
        startA();
        HazelcastCheckpoints onA = store(a, durability);
        await().atMost(T).until(onA::holding);
        List<String> ids = claimAll(onA);
        long before = writes(a);
        for (int step = 1; step <= STEPS; step++) {
            for (String id : ids) {
                onA.save(id, state(id, step));
            }
        }
        // nothing of the steps reached the map: each entry is still the call's claim (read after the saves, from the
        // same thread, on the same partitions: a write started by a save would be ahead of the read)
        for (String id : ids) {
            assertThat(map(a).get(id).state()).as(id).isEqualTo(state(id, 0));
        }
        assertThat(writes(a) - before).as("the map's writes while alone").isZero();
        assertThat(onA.heldOnly()).isEqualTo(CALLS);
        for (String id : ids) {
            assertThat(onA.load(id)).as("this member reads its newest step").contains(state(id, STEPS));
        }

        startB();
        await().atMost(T).until(() -> !onA.holding() && onA.heldOnly() == 0 && onA.writesOnTheirWay() == 0);
        HazelcastCheckpoints onB = store(b, durability);
        for (String id : ids) {
            await().atMost(T).until(() -> onB.load(id).equals(Optional.of(state(id, STEPS))));
        }

        // what the flush wrote has its backup like any write: the member that held it dies, nothing is lost
        await().atMost(T).until(() -> b.hazelcast().getPartitionService().isClusterSafe());
        a.hazelcast().getLifecycleService().terminate();
        a = null;
        await().atMost(T).until(() -> b.hazelcast().getCluster().getMembers().size() == 1);
        for (String id : ids) {
            assertThat(onB.load(id)).as(id).contains(state(id, STEPS));
        }
    }

    @Test
    void stepsAfterTheJoinGoToTheMapAndAreHeldAgainOnceTheOtherMemberLeft() {
        startA();
        HazelcastCheckpoints onA = store(a, HazelcastCheckpoints.Durability.ASYNC);
        startB();
        await().atMost(T).until(() -> !onA.holding());
        List<String> ids = claimAll(onA);
        for (String id : ids) {
            onA.save(id, state(id, 1));
        }
        assertThat(onA.heldOnly()).as("written through, not held").isZero();
        for (String id : ids) {
            await().atMost(T).until(() -> map(b).get(id).state().equals(state(id, 1)));
        }
        await().atMost(T).until(() -> onA.writesOnTheirWay() == 0);

        b.close(); // a graceful leave: its partitions come back to a
        b = null;
        await().atMost(T).until(onA::holding);
        await().atMost(T).until(() -> a.hazelcast().getPartitionService().isClusterSafe());
        long before = writes(a);
        for (String id : ids) {
            onA.save(id, state(id, 2));
        }
        for (String id : ids) {
            assertThat(map(a).get(id).state()).as("alone again: held").isEqualTo(state(id, 1));
            assertThat(onA.load(id)).contains(state(id, 2));
        }
        assertThat(writes(a) - before).isZero();

        // the calls' ends delete their entries from the map (the claim's, and the steps written while b was there)
        List<String> ended = ids.subList(0, CALLS / 2);
        ended.forEach(onA::delete);
        for (String id : ended) {
            await().atMost(T).until(() -> !map(a).containsKey(id));
            assertThat(onA.load(id)).isEmpty();
        }
        for (String id : ids.subList(CALLS / 2, CALLS)) {
            assertThat(onA.load(id)).contains(state(id, 2));
        }
    }

    /**
     * A call that the dialplan brings to a lone member from a member that died resumes from that member's
     * checkpoint; its steps here are written to the map: the map must show its new owner, or the survivor's
     * LostCallRecorder would record it as lost while it runs.
     */
    @Test
    void aCallResumedFromAnotherMembersCheckpointIsWrittenToTheMapOnALoneMember() {
        startA();
        HazelcastCheckpoints onA = store(a, HazelcastCheckpoints.Durability.ASYNC);
        startB();
        HazelcastCheckpoints onB = store(b, HazelcastCheckpoints.Durability.ASYNC);
        await().atMost(T).until(() -> !onB.holding());
        String id = "call-" + UUID.randomUUID();
        assertThat(onB.loadOrClaim(id, state(id, 0))).isEmpty();
        onB.save(id, state(id, 1));
        await().atMost(T).until(() -> map(a).get(id).state().equals(state(id, 1)));
        String bMember = b.hazelcast().getCluster().getLocalMember().getUuid().toString();
        assertThat(map(a).get(id).member()).isEqualTo(bMember);
        await().atMost(T).until(() -> a.hazelcast().getPartitionService().isClusterSafe());
        b.hazelcast().getLifecycleService().terminate();
        b = null;
        await().atMost(T).until(onA::holding);

        assertThat(onA.loadOrClaim(id, state(id, 0))).as("resumed from b's checkpoint").contains(state(id, 1));
        onA.save(id, state(id, 2));
        String aMember = a.hazelcast().getCluster().getLocalMember().getUuid().toString();
        await().atMost(T).until(() -> {
            HazelcastCheckpoints.Checkpoint c = map(a).get(id);
            return c.state().equals(state(id, 2)) && c.member().equals(aMember);
        });
        assertThat(onA.heldOnly()).isZero();
    }
}
