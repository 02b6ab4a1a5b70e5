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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node dies while an agent's phone rings or talks on one of its calls: the PBX may still bridge
 * that call and nobody will report its end, so the agent is not offered another call at once; it is
 * held in wrap-up ({@link RoutingEvent#OWNER_LEFT}) for {@link RoutingOptions#ownerLostHold()}.
 */
class OwnerLeftTest {
    private static final Duration HOLD = Duration.ofMinutes(2);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private TestCluster cluster;
    private MutableClock clock;
    private RoutingService survivor;
    private RoutingService doomed;

    @BeforeEach
    void start() {
        cluster = TestCluster.start(2);
        clock = new MutableClock();
        RoutingOptions options = RoutingOptions.defaults().withName("test-" + UUID.randomUUID()).withClock(clock)
                .withMaintenanceInterval(Duration.ofMillis(50)).withOwnerLostHold(HOLD);
        List<QueueDefinition> queues = List.of(QueueDefinition.builder("sales").requireSkill("sales", 1).build());
        survivor = HazelcastRouting.start(cluster.member(0), queues, options); // the oldest: runs the clean-up
        doomed = HazelcastRouting.start(cluster.member(1), queues, options);
    }

    @AfterEach
    void stop() {
        survivor.close();
        doomed.close();
        cluster.close();
    }

    @Test
    void anAgentTalkingOnACallOfADeadNodeIsHeldInWrapUpNotOfferedAnotherCall() throws Exception {
        Reservation r = offeredThroughTheDoomedNode();
        assertThat(doomed.answered(r)).isTrue();
        await().atMost(WAIT).until(() -> state(survivor, "alice") == AgentState.ON_CALL);

        cluster.kill(1);

        Agent held = awaitHeld("alice");
        assertThat(held.callId()).isEqualTo("c1");
        survivor.enqueue(CallRequest.builder("c2", "sales").build());
        assertThat(survivor.awaitAgent("c2", Duration.ofMillis(500)))
                .as("a second call is not offered to a phone that may still be in the first").isNotInstanceOf(WaitResult.Offered.class);

        clock.advance(HOLD.plusSeconds(1)); // the hold is over: the waiting call goes to her
        WaitResult second = survivor.awaitAgent("c2", WAIT);
        assertThat(second).isInstanceOf(WaitResult.Offered.class);
        assertThat(((WaitResult.Offered) second).reservation().agentId()).isEqualTo("alice");
    }

    @Test
    void anAgentWhosePhoneTheDeadNodeHadRungIsHeldToo() throws Exception {
        offeredThroughTheDoomedNode(); // ringing: not answered yet

        cluster.kill(1);

        awaitHeld("alice");
        assertThat(survivor.wrapUpDone("alice").state()).as("the agent may end the wrap-up").isEqualTo(AgentState.READY);
    }

    private Reservation offeredThroughTheDoomedNode() throws InterruptedException {
        survivor.login(new AgentProfile("alice", "Alice", "PJSIP/alice", Map.of("sales", 5), Set.of("en")));
        survivor.ready("alice");
        await().atMost(WAIT).until(() -> state(doomed, "alice") == AgentState.READY);
        doomed.enqueue(CallRequest.builder("c1", "sales").build());
        WaitResult result = doomed.awaitAgent("c1", WAIT);
        assertThat(result).isInstanceOf(WaitResult.Offered.class);
        return ((WaitResult.Offered) result).reservation();
    }

    private Agent awaitHeld(String agentId) {
        await("agent held after its call's node left").atMost(WAIT).until(() -> state(survivor, agentId) != AgentState.RESERVED
                && state(survivor, agentId) != AgentState.ON_CALL);
        Agent a = survivor.agent(agentId).orElseThrow();
        assertThat(a.state()).as("not ready for another call: %s", a).isEqualTo(AgentState.WRAP_UP);
        assertThat(a.reasonCode()).isEqualTo(RoutingEvent.OWNER_LEFT);
        return a;
    }

    private static AgentState state(RoutingService router, String agentId) {
        return router.agent(agentId).map(Agent::state).orElse(AgentState.LOGGED_OUT);
    }
}
