package dev.ivr.server.routing;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.fakepbx.FakePbx;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.WaitingCall;
import dev.ivr.server.cluster.HazelcastCheckpoints;
import dev.ivr.server.config.ClusterConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.testing.OffCallThreads;
import dev.ivr.server.testing.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A caller's place in the queue survives the server: two servers' call sides on two Hazelcast members (checkpoints
 * in the cluster), the fake PBX. The server a caller waits on dies; the dialplan brings the call back (same unique
 * id) to the other server, where the flow resumes at its route node and takes over the waiting record: the same
 * place ahead of a caller who came later, the original enqueue time for the reports.
 */
@Tag("integration")
class QueuePlaceIT {
    static final Duration T = Duration.ofSeconds(90);
    static final String ANNA = "+3612345678";

    @TempDir
    Path dir;
    final String routingName = "places-" + UUID.randomUUID();
    /** Each server's own interactions: what a dead server had not written is lost with it. */
    final ScriptedCrm crmA = new ScriptedCrm(List.of(), false);
    final ScriptedCrm crmB = new ScriptedCrm(List.of(), false);
    final CompletableFuture<Void> never = new CompletableFuture<>();
    ServerNode a;
    ServerNode b;

    @BeforeEach
    void start() throws Exception {
        ClusterConfig cluster = TestConfigs.server(dir, Map.of("IVR_CLUSTER_NAME", "qp-" + UUID.randomUUID())).cluster();
        a = new ServerNode("a", cluster, dir, null, null, routingName, crmA,
                hz -> new HazelcastCheckpoints(hz, Duration.ofMinutes(5), OffCallThreads.SHARED));
        b = new ServerNode("b", TestConfigs.joining(cluster, a.member), dir, null, null, routingName, crmB,
                hz -> new HazelcastCheckpoints(hz, Duration.ofMinutes(5), OffCallThreads.SHARED));
        await().atMost(T).until(() -> a.member.hazelcast().getCluster().getMembers().size() == 2);
    }

    @AfterEach
    void stop() {
        never.complete(null);
        b.close();
        a.close();
    }

    @Test
    void aCallerWhoseServerDiesWhileWaitingIsResumedElsewhereAtTheSamePlaceWithTheOriginalEnqueueTime() throws Exception {
        a.service().login(new AgentProfile("tina", "Tina", "PJSIP/3002", Map.of("technical", 3), Set.of("en")));
        FakeCall first = new FakePbx("127.0.0.1", b.listener.port()).call("queue-test").callerId(ANNA)
                .caller(Caller.script().hold(never)).start();
        String id = first.uniqueId();
        await().atMost(T).until(() -> waiting(id).isPresent());
        Instant enqueuedAt = waiting(id).orElseThrow().enqueuedAt();
        FakeCall later = new FakePbx("127.0.0.1", a.listener.port()).call("queue-test").callerId("+3611111111")
                .caller(Caller.script().hold(never)).start();
        await().atMost(T).until(() -> waiting(later.uniqueId()).isPresent());
        await().atMost(T).until(() -> a.member.hazelcast().getPartitionService().isClusterSafe());

        b.kill();
        first.hangUpNow(); // the PBX sees its AGI connection gone: the dialplan's fallback calls the other server
        first.await(Duration.ofSeconds(30));
        await().atMost(T).until(() -> a.member.hazelcast().getCluster().getMembers().size() == 1);
        assertThat(waiting(id)).as("the place is kept while nobody owns it").isPresent();

        Instant resumedAt = Instant.now();
        FakePbx pbx = new FakePbx("127.0.0.1", a.listener.port()).answerGosub("ivr-agent-answered", "agent-answered");
        FakeCall resumed = pbx.call("queue-test").callerId(ANNA).uniqueId(id)
                .caller(Caller.script().dial(Caller.DialOutcome.ANSWER, Duration.ofMillis(200))).start();
        await().atMost(T).until(() -> waiting(id).map(w -> w.ownerNode().equals(a.service().nodeId())).orElse(false));
        WaitingCall taken = waiting(id).orElseThrow();
        assertThat(taken.enqueuedAt()).isEqualTo(enqueuedAt);
        assertThat(a.service().position(id)).hasValueSatisfying(p -> assertThat(p.position()).isEqualTo(1));

        assertThat(a.service().position(later.uniqueId())).hasValueSatisfying(p -> assertThat(p.position()).isEqualTo(2));

        a.service().ready("tina"); // the first agent goes to the caller who came first
        CallResult r = resumed.await(T);
        assertThat(r.execs("Dial")).singleElement().extracting(c -> c.arg(1, "")).asString().startsWith("PJSIP/3002,");
        // (the later caller is offered next: the queue has no wrap-up time, so when it happens is a race)
        await().atMost(T).until(() -> crmA.recorded().stream().anyMatch(i -> i.callId().equals(id)));
        Interaction i = crmA.recorded().stream().filter(x -> x.callId().equals(id)).findFirst().orElseThrow();
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.waitTime()).as("the wait counts from the first enqueue")
                .isGreaterThanOrEqualTo(Duration.between(enqueuedAt, resumedAt));
        later.hangUpNow();
    }

    Optional<WaitingCall> waiting(String callId) {
        return a.service().waitingCalls("support").stream().filter(w -> w.callId().equals(callId)).findFirst();
    }
}
