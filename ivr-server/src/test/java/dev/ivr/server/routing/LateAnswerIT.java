package dev.ivr.server.routing;

import dev.ivr.fakepbx.CallResult;
import dev.ivr.fakepbx.Caller;
import dev.ivr.fakepbx.DialedLeg;
import dev.ivr.fakepbx.FakeCall;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.QueueStatus;
import dev.ivr.server.cluster.ClusterMember;
import dev.ivr.server.config.RoutingConfig;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.tools.ScriptedCrm;
import dev.ivr.server.testing.MemberPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import static dev.ivr.server.routing.RoutingHarness.config;
import static dev.ivr.server.routing.RoutingHarness.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17 over real sockets (fake PBX, FastAGI listener, flows, routing on a Hazelcast member), dial mode exec: the
 * agent's phone rings longer than routing.reservation-ttl (made short here), the reservation runs out while the agent
 * is not ready, the call goes back to its queue and another agent is reserved for it; then the first agent answers.
 * Routing refuses that answer. With the sample's answer subroutine the agent's leg is not bridged and the caller is
 * connected to the next agent; without an answer subroutine (Dial only returns after the conversation) the call is
 * withdrawn from its queue. Either way no ghost is left re-offered to agents, and the call is counted once.
 */
@Tag("integration")
class LateAnswerIT {
    static final Duration T = Duration.ofSeconds(60);
    static final Duration TTL = Duration.ofSeconds(2);
    static final Map<String, Integer> TECH = Map.of("technical", 3);

    @TempDir
    static Path dir;
    static MemberPair members;
    static ClusterMember a;

    RoutingHarness h;

    @BeforeAll
    static void cluster() {
        members = MemberPair.start(dir);
        a = members.a;
    }

    @AfterAll
    static void stopCluster() {
        if (members != null) {
            members.close();
        }
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    /** Exec mode, the support queue (20 s ring time), a short reservation time to live. */
    static RoutingConfig shortReservations(String answerHandler) {
        RoutingConfig c = config("exec", queue("support", Map.of("technical", 1), Duration.ofSeconds(20),
                Duration.ZERO));
        return new RoutingConfig(c.enabled(), c.dialMode(), c.preDialHandler(), answerHandler, c.musicClass(), TTL,
                c.ownerLostHold(), c.contextTtl(), c.contextAttributes(), c.callbackExpiry(), c.callbackContext(),
                c.callbackAttempts(), c.callbackRetryDelay(), c.callbackLease(), c.ownerLeftGrace(), c.queues(),
                c.transferContext(), c.transferNumbers(), c.pbxAffinity(), c.pbxAffinityWait());
    }

    void start(String answerHandler) throws Exception {
        h = new RoutingHarness(a.hazelcast(), RoutingHarness.testFlows(), RoutingHarness.testPrompts(),
                dir.resolve("no-calendars.yaml"), shortReservations(answerHandler), new ScriptedCrm(List.of(), false),
                null, Clock.systemUTC());
    }

    @Test
    void aRefusedLateAnswerIsNotBridgedAndTheCallerIsConnectedToTheNextAgent() throws Exception {
        LateAnswer late = lateAnswer("ivr-agent-answered", c -> c.dial(Caller.DialOutcome.ANSWER, Duration.ofMillis(300)));
        String[] agents = late.agents();
        CallResult r = late.result();

        List<DialedLeg> dials = r.dials();
        assertThat(dials).extracting(DialedLeg::status).as("the late answer is hung up as busy, then the next agent")
                .containsExactly("BUSY", "ANSWER");
        assertThat(dials.get(0).inherited().get("IVR_AGENT_ID")).isEqualTo(agents[0]);
        assertThat(dials.get(0).answerGosub().variable("IVR_STATUS")).isEqualTo(DialplanReports.REFUSED);
        assertThat(dials.get(1).inherited().get("IVR_AGENT_ID")).isEqualTo(agents[1]);
        Interaction i = h.interaction(r.uniqueId());
        assertThat(i.outcome()).isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.agentId()).isEqualTo(agents[1]);
        await().atMost(T).until(() -> support().answered() == 1);
        noGhost(r.uniqueId());
        assertThat(support().abandoned()).isZero();
        assertThat(state(agents[0])).isEqualTo(AgentState.NOT_READY);
        assertThat(state(agents[1])).isEqualTo(AgentState.READY);
    }

    @Test
    void withoutAnAnswerSubroutineARefusedAnswerIsWithdrawnFromTheQueueAndNotCountedAnswered() throws Exception {
        LateAnswer late = lateAnswer("", c -> c);
        String[] agents = late.agents();
        CallResult r = late.result();

        // Asterisk bridged them (nothing asked it not to): the server learns of the answer when Dial returns
        assertThat(r.dials()).extracting(DialedLeg::status).containsExactly("ANSWER");
        assertThat(r.dials().get(0).options()).doesNotContain("U(");
        Interaction i = h.interaction(r.uniqueId());
        assertThat(i.outcome()).as("what the caller really got").isEqualTo(Interaction.Outcome.ROUTED);
        assertThat(i.agentId()).isEqualTo(agents[0]);
        noGhost(r.uniqueId());
        assertThat(support().answered()).as("routing refused the answer").isZero();
        assertThat(support().abandoned()).as("withdrawn, not abandoned").isZero();
        assertThat(state(agents[0])).isEqualTo(AgentState.NOT_READY);
        assertThat(state(agents[1])).as("released from the ghost offer").isEqualTo(AgentState.READY);
    }

    /** The ended call, the agent who answered late (first) and the one reserved after (second). */
    record LateAnswer(CallResult result, String[] agents) {
    }

    /**
     * Ted and Tina ready; a call whose first Dial rings until the reservation ran out (see {@link #reservationRunsOut})
     * and then the agent answers; {@code then} adds what the caller's Dials do after that.
     */
    private LateAnswer lateAnswer(String answerHandler, UnaryOperator<Caller> then) throws Exception {
        start(answerHandler);
        h.ready("ted", "PJSIP/2001", TECH);
        h.ready("tina", "PJSIP/2002", TECH);
        CompletableFuture<Void> pickUp = new CompletableFuture<>();
        FakeCall call = h.pbx.call("queue-test").caller(then.apply(Caller.script()
                .dialRingingUntil(pickUp, Caller.DialOutcome.ANSWER, Duration.ofMillis(300)))).start();
        String[] agents = reservationRunsOut(call.uniqueId());
        pickUp.complete(null);
        return new LateAnswer(call.await(T), agents);
    }

    /**
     * The call is offered to one agent, who asks for a pause while the phone rings; the reservation runs out, the
     * agent is not ready, and the call is offered to the other agent (reserved, not dialled: the first Dial still
     * rings). Returns the first agent and the second.
     */
    private String[] reservationRunsOut(String callId) {
        await().atMost(T).until(() -> h.service().agents().stream().anyMatch(x -> x.state() == AgentState.RESERVED));
        String first = h.service().agents().stream().filter(x -> x.state() == AgentState.RESERVED).findFirst()
                .orElseThrow().id();
        String second = first.equals("ted") ? "tina" : "ted";
        h.service().notReady(first, "break");
        await().atMost(T).until(() -> state(first) == AgentState.NOT_READY);
        await().atMost(T).until(() -> state(second) == AgentState.RESERVED);
        assertThat(h.service().position(callId)).as("back in its queue").isPresent();
        return new String[]{first, second};
    }

    /** Nobody is reserved for the call and it is not queued, also after a few reservation lifetimes. */
    private void noGhost(String callId) throws InterruptedException {
        assertThat(h.service().position(callId)).isEmpty();
        Thread.sleep(TTL.multipliedBy(3).toMillis());
        assertThat(h.service().position(callId)).as("not queued again").isEmpty();
        assertThat(h.service().waitingCalls("support")).isEmpty();
        assertThat(h.service().agents()).noneMatch(x -> x.state() == AgentState.RESERVED);
    }

    private QueueStatus support() {
        return h.service().queues().stream().filter(q -> q.queueId().equals("support")).findFirst().orElseThrow();
    }

    private AgentState state(String id) {
        return h.service().agent(id).orElseThrow().state();
    }
}
