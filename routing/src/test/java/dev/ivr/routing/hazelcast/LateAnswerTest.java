package dev.ivr.routing.hazelcast;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.testsupport.MutableClock;
import dev.ivr.testsupport.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An agent answers after the reservation ran out (routing.reservation-ttl) while the call was put back in its queue
 * and offered to another agent: accepted while the call still waits, refused once another agent answered it.
 */
class LateAnswerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private TestCluster cluster;
    private MutableClock clock;
    private RoutingService router;
    private final List<RoutingEvent> events = new CopyOnWriteArrayList<>();
    private final String name = "test-" + UUID.randomUUID();

    @BeforeEach
    void start() {
        cluster = TestCluster.start(1);
        clock = new MutableClock();
        RoutingOptions options = RoutingOptions.defaults().withName(name).withClock(clock)
                .withMaintenanceInterval(Duration.ofMillis(50));
        router = HazelcastRouting.start(cluster.member(0),
                List.of(QueueDefinition.builder("sales").requireSkill("sales", 1).build()), options);
        router.subscribeLocal(events::add);
    }

    @AfterEach
    void stop() {
        router.close();
        cluster.close();
    }

    @Test
    void aLateAnswerIsAcceptedWhileTheCallIsOfferedToAnotherAgent() throws Exception {
        Reservation first = offerThenExpire();
        String other = first.agentId().equals("alice") ? "bob" : "alice";

        assertThat(router.answered(first)).as("the call still waits: the late answer is accepted").isTrue();

        assertThat(state(first.agentId())).isEqualTo(AgentState.ON_CALL);
        assertThat(state(other)).as("the other agent's reservation is released").isEqualTo(AgentState.READY);
        assertThat(router.position("c1")).as("no ghost left in the queue").isEmpty();
        assertThat(events.stream().filter(RoutingEvent.CallAnswered.class::isInstance)).hasSize(1);
        assertThat(router.callEnded(first)).isTrue();
        assertThat(router.position("c1")).isEmpty();
    }

    @Test
    void aLateAnswerIsRefusedWhenAnotherAgentAnsweredFirst() throws Exception {
        Reservation first = offerThenExpire();
        String other = first.agentId().equals("alice") ? "bob" : "alice";
        assertThat(router.answered(offeredTo(other))).isTrue();

        assertThat(router.answered(first)).as("already answered by %s", other).isFalse();

        assertThat(state(first.agentId())).as("not on two calls, not on this one").isEqualTo(AgentState.READY);
        assertThat(state(other)).isEqualTo(AgentState.ON_CALL);
        assertThat(router.position("c1")).isEmpty();
        assertThat(events.stream().filter(RoutingEvent.CallAnswered.class::isInstance)).hasSize(1);
    }

    /**
     * The race in {@code answered}: the agent is still reserved for the call, but the call is no longer offered to it
     * (its reservation ran out between the two steps and the call went back to its queue). Whether this node's view
     * still shows the offer (the agent's ANSWER applies, REMOVE_IF_OFFERED fails) or already does not (late answer),
     * the outcome is the same: the call still waits, so the answer is accepted and counted once.
     */
    @Test
    void anAnswerRacingTheRequeueOfItsCallIsAcceptedWhileTheCallWaits() throws Exception {
        Reservation offer = offerToAlice();
        calls().executeOnKey("c1", CallCommand.of(CallCommand.Op.REQUEUE, "alice", clock.millis()));

        assertThat(router.answered(offer)).as("the call still waits: accepted").isTrue();

        assertThat(state("alice")).isEqualTo(AgentState.ON_CALL);
        assertThat(calls().get("c1")).as("no ghost left in the queue").isNull();
        await().atMost(WAIT).until(() -> events.stream().anyMatch(RoutingEvent.CallAnswered.class::isInstance));
        assertThat(events.stream().filter(RoutingEvent.CallAnswered.class::isInstance)).hasSize(1);
    }

    /** The same race when the call left meanwhile (the caller hung up): refused, and the agent is not left holding it. */
    @Test
    void anAnswerRacingTheEndOfItsCallIsRefusedAndFreesTheAgent() throws Exception {
        Reservation offer = offerToAlice();
        calls().delete("c1");

        assertThat(router.answered(offer)).as("the call is gone: refused").isFalse();

        assertThat(state("alice")).as("neither on the call nor reserved for it").isEqualTo(AgentState.READY);
        assertThat(events.stream().filter(RoutingEvent.CallAnswered.class::isInstance)).isEmpty();
    }

    private Reservation offerToAlice() throws InterruptedException {
        router.login(new AgentProfile("alice", "alice", "PJSIP/alice", Map.of("sales", 5), Set.of("en")));
        router.ready("alice");
        router.enqueue(CallRequest.builder("c1", "sales").build());
        WaitResult result = router.awaitAgent("c1", WAIT);
        assertThat(result).isInstanceOf(WaitResult.Offered.class);
        assertThat(state("alice")).isEqualTo(AgentState.RESERVED);
        return ((WaitResult.Offered) result).reservation();
    }

    private com.hazelcast.map.IMap<String, CallRecord> calls() {
        return cluster.member(0).getMap(name + ".calls");
    }

    /** Alice and Bob ready, c1 offered to one of them, the reservation runs out and the call goes to the other. */
    private Reservation offerThenExpire() throws InterruptedException {
        for (String id : List.of("alice", "bob")) {
            router.login(new AgentProfile(id, id, "PJSIP/" + id, Map.of("sales", 5), Set.of("en")));
            router.ready(id);
        }
        router.enqueue(CallRequest.builder("c1", "sales").build());
        WaitResult result = router.awaitAgent("c1", WAIT);
        assertThat(result).isInstanceOf(WaitResult.Offered.class);
        Reservation first = ((WaitResult.Offered) result).reservation();
        String other = first.agentId().equals("alice") ? "bob" : "alice";
        // (a pause asked for while the phone rings, so that the expired call goes to the other agent; ready again
        // before the late answer)
        router.notReady(first.agentId(), "break");
        clock.advance(RoutingOptions.defaults().reservationTtl().plusSeconds(1));
        await("the reservation ran out").atMost(WAIT).until(() -> state(first.agentId()) == AgentState.NOT_READY);
        reservationOf(other); // the call goes back to its queue and is offered to the other agent
        router.ready(first.agentId());
        assertThat(state(first.agentId())).isEqualTo(AgentState.READY);
        return first;
    }

    private Reservation offeredTo(String agentId) {
        Agent a = router.agent(agentId).orElseThrow();
        assertThat(a.state()).isEqualTo(AgentState.RESERVED);
        return lastOffer;
    }

    private Reservation lastOffer;

    private Reservation reservationOf(String agentId) throws InterruptedException {
        WaitResult result = router.awaitAgent("c1", WAIT);
        assertThat(result).isInstanceOf(WaitResult.Offered.class);
        Reservation r = ((WaitResult.Offered) result).reservation();
        assertThat(r.agentId()).isEqualTo(agentId);
        lastOffer = r;
        return r;
    }

    private AgentState state(String agentId) {
        return router.agent(agentId).map(Agent::state).orElse(AgentState.LOGGED_OUT);
    }
}
