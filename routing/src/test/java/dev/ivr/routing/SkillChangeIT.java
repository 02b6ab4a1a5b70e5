package dev.ivr.routing;

import dev.ivr.routing.hazelcast.HazelcastRouting;
import dev.ivr.testsupport.TestCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A supervisor changes an agent's skills on one member; a call queued on another member is offered to that agent
 * on the next offer, with no restart and no new login. Also a wrap-up extended on one member holds on the other.
 */
@Tag("integration")
class SkillChangeIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aSkillChangeOnOneMemberDecidesTheNextOfferOnAnother() throws Exception {
        List<QueueDefinition> queues = List.of(QueueDefinition.builder("billing").requireSkill("billing", 5).build(),
                QueueDefinition.builder("sales").requireSkill("sales", 1).wrapUp(Duration.ofMillis(300)).build());
        try (TestCluster cluster = TestCluster.start(2);
             RoutingService a = HazelcastRouting.start(cluster.member(0), queues);
             RoutingService b = HazelcastRouting.start(cluster.member(1), queues)) {
            a.login(new AgentProfile("ann", "Ann", "PJSIP/1001", Map.of("sales", 3), Set.of()));
            a.ready("ann");
            b.enqueue(CallRequest.builder("call-1", "billing").build());
            assertThat(b.awaitAgent("call-1", Duration.ofMillis(300))).as("ann lacks billing")
                    .isInstanceOf(WaitResult.Waiting.class);

            Agent changed = a.changeSkills("ann", Map.of("billing", 6));
            assertThat(changed.skills()).isEqualTo(Map.of("billing", 6));
            WaitResult offered = b.awaitAgent("call-1", WAIT);
            assertThat(offered).isInstanceOfSatisfying(WaitResult.Offered.class,
                    o -> assertThat(o.reservation().agentId()).isEqualTo("ann"));
            await().atMost(WAIT).until(() -> b.agent("ann").orElseThrow().skills().equals(Map.of("billing", 6)));

            assertThatThrownBy(() -> a.changeSkills("nobody", Map.of("billing", 1)))
                    .isInstanceOfSatisfying(RoutingException.class,
                            e -> assertThat(e.reason()).isEqualTo(RoutingException.Reason.UNKNOWN_AGENT));
            assertThatThrownBy(() -> a.changeSkills("ann", Map.of("billing", 11)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anExtendedWrapUpHoldsTheAgentPastTheQueuesTime() throws Exception {
        List<QueueDefinition> queues = List.of(QueueDefinition.builder("sales").wrapUp(Duration.ofMillis(200)).build());
        try (TestCluster cluster = TestCluster.start(2);
             RoutingService a = HazelcastRouting.start(cluster.member(0), queues,
                     RoutingOptions.defaults().withMaintenanceInterval(Duration.ofMillis(50)));
             RoutingService b = HazelcastRouting.start(cluster.member(1), queues,
                     RoutingOptions.defaults().withMaintenanceInterval(Duration.ofMillis(50)))) {
            a.login(new AgentProfile("ann", "Ann", "PJSIP/1001", Map.of(), Set.of()));
            a.ready("ann");
            b.enqueue(CallRequest.builder("call-1", "sales").build());
            Reservation r = ((WaitResult.Offered) b.awaitAgent("call-1", WAIT)).reservation();
            assertThat(b.answered(r)).isTrue();
            assertThatThrownBy(() -> a.extendWrapUp("ann", Duration.ofMinutes(1)))
                    .as("on a call: nothing to extend").isInstanceOf(RoutingException.class);
            assertThat(b.callEnded(r)).isTrue();
            Agent extended = a.extendWrapUp("ann", Duration.ofMinutes(1));
            assertThat(extended.state()).isEqualTo(AgentState.WRAP_UP);
            assertThat(extended.wrapUpUntil()).isAfter(java.time.Instant.now().plusSeconds(50));
            // well past the queue's 200 ms the agent is still in wrap-up, seen from both members
            b.enqueue(CallRequest.builder("call-2", "sales").build());
            assertThat(b.awaitAgent("call-2", Duration.ofSeconds(1))).isInstanceOf(WaitResult.Waiting.class);
            assertThat(b.agent("ann").orElseThrow().state()).isEqualTo(AgentState.WRAP_UP);
            assertThat(a.wrapUpDone("ann").state()).isIn(AgentState.READY, AgentState.RESERVED);
            assertThat(b.awaitAgent("call-2", WAIT)).isInstanceOf(WaitResult.Offered.class);
        }
    }
}
