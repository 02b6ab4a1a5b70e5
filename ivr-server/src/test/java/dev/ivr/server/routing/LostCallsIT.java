package dev.ivr.server.routing;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.AgentProfile;
import dev.ivr.server.cluster.HazelcastCheckpoints;
import dev.ivr.server.cluster.LostCallRecorder;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.TestConfigs;
import dev.ivr.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A record for every call, even one whose server died mid-call: two servers' call sides on two members, checkpoints
 * in the cluster. A surviving server writes the lost call's interaction from its checkpoint (FAILED, node lost),
 * unless the call came back through the dialplan and was resumed: then only its real outcome is recorded.
 */
@Tag("integration")
class LostCallsIT {
    static final Duration T = Duration.ofSeconds(90);
    static final String ANNA = "+3612345678";

    @TempDir
    Path dir;
    final String routingName = "lost-" + UUID.randomUUID();
    final String clusterName = "lost-" + UUID.randomUUID();
    /** The survivor's records; the dead server's own are lost with it. */
    final ScriptedCrm crmA = new ScriptedCrm(List.of(), false);
    final ScriptedCrm crmB = new ScriptedCrm(List.of(), false);
    final CompletableFuture<Void> never = new CompletableFuture<>();
    /** b's: it joins a, on a port of its own that it takes again when started again (the same address). */
    ClusterConfig clusterOfB;
    ServerNode a;
    ServerNode b;
    HazelcastCheckpoints checkpoints;

    @BeforeEach
    void start() throws Exception {
        ClusterConfig cluster = TestConfigs.server(dir, Map.of("IVR_CLUSTER_NAME", clusterName)).cluster(); // port 0
        a = new ServerNode("a", cluster, dir, null, null, routingName, crmA,
                hz -> new HazelcastCheckpoints(hz, Duration.ofMinutes(5), OffCallThreads.SHARED));
        // a picked port, not 0: one test starts b again on its address, as a server restarted on its configured
        // port; below the ephemeral range, so that a reconnecting to the dead b never takes that port itself
        // (docs/high-availability.md)
        clusterOfB = TestConfigs.joining(cluster, FreePorts.pickForCluster(), a.member);
        b = new ServerNode("b", clusterOfB, dir, null, null, routingName, crmB,
                hz -> new HazelcastCheckpoints(hz, Duration.ofMinutes(5), OffCallThreads.SHARED));
        await().atMost(T).until(() -> a.member.hazelcast().getCluster().getMembers().size() == 2);
        checkpoints = new HazelcastCheckpoints(a.member.hazelcast(), Duration.ofMinutes(5), OffCallThreads.SHARED);
        a.service().login(new AgentProfile("tina", "Tina", "PJSIP/3002", Map.of("technical", 3), Set.of("en")));
    }

    @AfterEach
    void stop() {
        never.complete(null);
        b.close();
        a.close();
    }

    /** A caller waits in the queue on b, which dies. */
    String waitingOnBWhenItDies() {
        FakeCall call = new FakePbx("127.0.0.1", b.listener.port()).call("queue-test").callerId(ANNA)
                .caller(Caller.script().hold(never)).start();
        String id = call.uniqueId();
        // the checkpoint after the node 'pick' (the one at the call's start may still be alone in the cluster)
        await().atMost(T).until(() -> checkpoints.load(id).filter(c -> c.contains("\"server\":\"b\"")
                && c.contains("\"pick\"")).isPresent() && a.service().position(id).isPresent());
        await().atMost(T).until(() -> a.member.hazelcast().getPartitionService().isClusterSafe());
        b.kill();
        call.hangUpNow();
        await().atMost(T).until(() -> a.member.hazelcast().getCluster().getMembers().size() == 1);
        return id;
    }

    @Test
    void aCallWhoseServerDiedAndThatNeverCameBackIsRecordedOnceAsFailed() throws Exception {
        try (LostCallRecorder recorder = LostCallRecorder.start(a.member.hazelcast(), crmA, Duration.ZERO,
                Duration.ofMinutes(5), Clock.systemUTC())) {
            UUID bMember = b.member.hazelcast().getCluster().getLocalMember().getUuid();
            String id = waitingOnBWhenItDies();
            await().atMost(T).until(() -> crmA.recorded().stream().anyMatch(i -> i.callId().equals(id)));
            assertThat(crmA.recorded()).filteredOn(i -> i.callId().equals(id)).singleElement().satisfies(i -> {
                assertThat(i.outcome()).isEqualTo(Interaction.Outcome.FAILED);
                assertThat(i.path()).containsExactly("pick", "node-lost");
                assertThat(i.ani()).isEqualTo(ANNA);
                assertThat(i.flow()).isEqualTo("queue-test");
                assertThat(i.node()).isEqualTo("b");
            });
            // claimed, then removed once the interaction is durable
            await().atMost(T).until(() -> checkpoints.load(id).isEmpty());
            assertThat(recorder.recordCallsOf("b", bMember)).as("recorded once").isZero();
        }
    }

    @Test
    void aCallResumedOnAnotherServerGetsItsRealOutcomeOnly() throws Exception {
        try (LostCallRecorder recorder = LostCallRecorder.start(a.member.hazelcast(), crmA, Duration.ofHours(1),
                Duration.ofMinutes(5), Clock.systemUTC())) {
            UUID bMember = b.member.hazelcast().getCluster().getLocalMember().getUuid();
            String id = waitingOnBWhenItDies();
            FakePbx pbx = new FakePbx("127.0.0.1", a.listener.port()).answerGosub("ivr-agent-answered", "agent-answered");
            FakeCall resumed = pbx.call("queue-test").callerId(ANNA).uniqueId(id)
                    .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, Duration.ofMillis(200))).start();
            await().atMost(T).until(() -> checkpoints.load(id).filter(c -> c.contains("\"server\":\"a\"")).isPresent());
            // the grace is over while the resumed caller waits: nothing to record for b
            assertThat(recorder.recordCallsOf("b", bMember)).isZero();

            a.service().ready("tina");
            CallResult r = resumed.await(T);
            assertThat(r.variable("IVR_OUTCOME")).isEqualTo("ROUTED");
            await().atMost(T).until(() -> crmA.recorded().stream().anyMatch(i -> i.callId().equals(id)));
            assertThat(crmA.recorded()).filteredOn(i -> i.callId().equals(id)).singleElement()
                    .satisfies(i -> assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED));
        }
    }

    /**
     * The operator starts the killed server again at once: it rejoins (same name, same address, a new member) within
     * the grace and takes partitions back, some holding the dead incarnation's checkpoints. The survivors still
     * record each of those calls exactly once, wherever its checkpoint is by then, and the new incarnation's own
     * calls are left alone.
     */
    @Test
    void theCallsOfAKilledServerThatRejoinsWithinTheGraceAreRecordedExactlyOnce() throws Exception {
        UUID oldB = b.member.hazelcast().getCluster().getLocalMember().getUuid();
        int oldPort = b.member.hazelcast().getCluster().getLocalMember().getAddress().getPort();
        List<FakeCall> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(new FakePbx("127.0.0.1", b.listener.port()).call("queue-test").callerId(ANNA)
                    .caller(Caller.script().hold(never)).start());
        }
        List<String> ids = calls.stream().map(FakeCall::uniqueId).toList();
        await().atMost(T).until(() -> ids.stream().allMatch(id ->
                checkpoints.load(id).filter(c -> c.contains("\"server\":\"b\"")).isPresent()));
        await().atMost(T).until(() -> a.member.hazelcast().getPartitionService().isClusterSafe());
        b.kill();
        calls.forEach(FakeCall::hangUpNow);
        await().atMost(T).until(() -> a.member.hazelcast().getCluster().getMembers().size() == 1);

        ScriptedCrm crmB2 = new ScriptedCrm(List.of(), false);
        b = new ServerNode("b", clusterOfB, dir, null, null, routingName, crmB2,
                hz -> new HazelcastCheckpoints(hz, Duration.ofMinutes(5), OffCallThreads.SHARED));
        await().atMost(T).until(() -> a.member.hazelcast().getCluster().getMembers().size() == 2
                && a.member.hazelcast().getPartitionService().isClusterSafe());
        UUID newB = b.member.hazelcast().getCluster().getLocalMember().getUuid();
        assertThat(newB).isNotEqualTo(oldB);
        assertThat(b.member.hazelcast().getCluster().getLocalMember().getAddress().getPort()).as("the same address")
                .isEqualTo(oldPort);
        // a call the new incarnation takes on: its own, not lost
        FakeCall own = new FakePbx("127.0.0.1", b.listener.port()).call("queue-test").callerId(ANNA)
                .caller(Caller.script().hold(never)).start();
        await().atMost(T).until(() -> checkpoints.load(own.uniqueId()).filter(c -> c.contains("\"server\":\"b\""))
                .isPresent());
        assertThat(ids).as("some lost checkpoints are on the rejoined member now")
                .anyMatch(id -> b.member.hazelcast().getPartitionService().getPartition(id).getOwner().localMember());

        // both survivors look at once, as their recorders do when the grace is over
        try (LostCallRecorder onA = LostCallRecorder.start(a.member.hazelcast(), crmA, Duration.ofHours(1),
                Duration.ofMinutes(5), Clock.systemUTC());
             LostCallRecorder onB = LostCallRecorder.start(b.member.hazelcast(), crmB2, Duration.ofHours(1),
                     Duration.ofMinutes(5), Clock.systemUTC())) {
            CompletableFuture<Integer> fromA = CompletableFuture.supplyAsync(() -> onA.recordCallsOf("b", oldB));
            CompletableFuture<Integer> fromB = CompletableFuture.supplyAsync(() -> onB.recordCallsOf("b", oldB));
            assertThat(fromA.get() + fromB.get()).isEqualTo(ids.size());
            // each claimer removes what it claimed once the interaction is durable
            await().atMost(T).until(() -> ids.stream().allMatch(id -> checkpoints.load(id).isEmpty()));
            assertThat(onA.recordCallsOf("b", oldB) + onB.recordCallsOf("b", oldB)).as("nothing left").isZero();
        }
        List<Interaction> recorded = new java.util.ArrayList<>(crmA.recorded());
        recorded.addAll(crmB2.recorded());
        assertThat(recorded).extracting(Interaction::callId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(recorded).allSatisfy(i -> {
            assertThat(i.outcome()).isEqualTo(Interaction.Outcome.FAILED);
            assertThat(i.path()).endsWith("node-lost");
            assertThat(i.node()).isEqualTo("b");
        });
        assertThat(checkpoints.load(own.uniqueId())).as("the new incarnation's call is its own").isPresent();
        own.hangUpNow();
    }
}
