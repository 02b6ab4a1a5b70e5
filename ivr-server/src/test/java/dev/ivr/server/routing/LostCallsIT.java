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
    /** The survivor's records; the dead server's own are lost with it. */
    final ScriptedCrm crmA = new ScriptedCrm(List.of(), false);
    final ScriptedCrm crmB = new ScriptedCrm(List.of(), false);
    final CompletableFuture<Void> never = new CompletableFuture<>();
    ServerNode a;
    ServerNode b;
    HazelcastCheckpoints checkpoints;

    @BeforeEach
    void start() throws Exception {
        ClusterConfig cluster = TestConfigs.server(dir, Map.of("IVR_CLUSTER_MEMBERS", "127.0.0.1",
                "IVR_CLUSTER_PORT", Integer.toString(FreePorts.pick()),
                "IVR_CLUSTER_NAME", "lost-" + UUID.randomUUID())).cluster();
        a = new ServerNode("a", cluster, dir, null, null, routingName, crmA,
                hz -> new HazelcastCheckpoints(hz, Duration.ofMinutes(5)));
        b = new ServerNode("b", cluster, dir, null, null, routingName, crmB,
                hz -> new HazelcastCheckpoints(hz, Duration.ofMinutes(5)));
        await().atMost(T).until(() -> a.member.hazelcast().getCluster().getMembers().size() == 2);
        checkpoints = new HazelcastCheckpoints(a.member.hazelcast(), Duration.ofMinutes(5));
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
        await().atMost(T).until(() -> checkpoints.load(id).filter(c -> c.contains("\"server\":\"b\"")).isPresent()
                && a.service().position(id).isPresent());
        await().atMost(T).until(() -> a.member.hazelcast().getPartitionService().isClusterSafe());
        b.kill();
        call.hangUpNow();
        await().atMost(T).until(() -> a.member.hazelcast().getCluster().getMembers().size() == 1);
        return id;
    }

    @Test
    void aCallWhoseServerDiedAndThatNeverCameBackIsRecordedOnceAsFailed() throws Exception {
        try (LostCallRecorder recorder = LostCallRecorder.start(a.member.hazelcast(), crmA, Duration.ZERO,
                Clock.systemUTC())) {
            String id = waitingOnBWhenItDies();
            await().atMost(T).until(() -> crmA.recorded().stream().anyMatch(i -> i.callId().equals(id)));
            assertThat(crmA.recorded()).filteredOn(i -> i.callId().equals(id)).singleElement().satisfies(i -> {
                assertThat(i.outcome()).isEqualTo(Interaction.Outcome.FAILED);
                assertThat(i.path()).containsExactly("pick", "node-lost");
                assertThat(i.ani()).isEqualTo(ANNA);
                assertThat(i.flow()).isEqualTo("queue-test");
                assertThat(i.node()).isEqualTo("b");
            });
            assertThat(checkpoints.load(id)).isEmpty();
            assertThat(recorder.recordCallsOf("b", System.currentTimeMillis())).as("recorded once").isZero();
        }
    }

    @Test
    void aCallResumedOnAnotherServerGetsItsRealOutcomeOnly() throws Exception {
        try (LostCallRecorder recorder = LostCallRecorder.start(a.member.hazelcast(), crmA, Duration.ofHours(1),
                Clock.systemUTC())) {
            String id = waitingOnBWhenItDies();
            FakePbx pbx = new FakePbx("127.0.0.1", a.listener.port()).answerGosub("ivr-agent-answered", "agent-answered");
            FakeCall resumed = pbx.call("queue-test").callerId(ANNA).uniqueId(id)
                    .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, Duration.ofMillis(200))).start();
            await().atMost(T).until(() -> checkpoints.load(id).filter(c -> c.contains("\"server\":\"a\"")).isPresent());
            // the grace is over while the resumed caller waits: nothing to record for b
            assertThat(recorder.recordCallsOf("b", System.currentTimeMillis())).isZero();

            a.service().ready("tina");
            CallResult r = resumed.await(T);
            assertThat(r.variable("IVR_OUTCOME")).isEqualTo("ROUTED");
            await().atMost(T).until(() -> crmA.recorded().stream().anyMatch(i -> i.callId().equals(id)));
            assertThat(crmA.recorded()).filteredOn(i -> i.callId().equals(id)).singleElement()
                    .satisfies(i -> assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED));
        }
    }
}
