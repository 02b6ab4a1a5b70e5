package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.RoutingOptions;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.routing.WaitingCall;
import dev.ivr.testsupport.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node dies while its callers wait: their calls keep their places (not offered to anyone) for the grace period,
 * and another node adopts them with their original enqueue time and order.
 */
@Tag("integration")
class AdoptIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private TestCluster cluster;
    private RoutingService survivor;
    private RoutingService doomed;
    private RoutingService third;

    @BeforeEach
    void start() {
        cluster = TestCluster.start(3);
        RoutingOptions options = RoutingOptions.defaults().withName("test-" + UUID.randomUUID())
                .withMaintenanceInterval(Duration.ofMillis(50)).withOwnerLeftGrace(Duration.ofMinutes(5));
        List<QueueDefinition> queues = List.of(QueueDefinition.builder("sales").requireSkill("sales", 1).build());
        survivor = HazelcastRouting.start(cluster.member(0), queues, options); // the oldest: runs the clean-up
        doomed = HazelcastRouting.start(cluster.member(1), queues, options);
        third = HazelcastRouting.start(cluster.member(2), queues, options);
    }

    @AfterEach
    void stop() {
        survivor.close();
        doomed.close();
        third.close();
        cluster.close();
    }

    @Test
    void theCallsOfADeadNodeKeepTheirPlacesUntilAnotherNodeAdoptsThem() throws Exception {
        survivor.enqueue(CallRequest.builder("first", "sales").build());
        Thread.sleep(20);
        doomed.enqueue(CallRequest.builder("second", "sales").build());
        Thread.sleep(20);
        survivor.enqueue(CallRequest.builder("third", "sales").build());
        await().atMost(WAIT).until(() -> survivor.waitingCalls("sales").size() == 3);
        Instant enqueuedAt = waiting("second").enqueuedAt();
        assertThat(survivor.adopt("second")).as("its node is alive: not adoptable").isEmpty();

        cluster.kill(1);
        await().atMost(WAIT).until(() -> cluster.member(0).getCluster().getMembers().size() == 2);

        // held: an agent who becomes ready gets the first call, then not the orphan but the third
        survivor.login(new AgentProfile("alice", "Alice", "PJSIP/alice", Map.of("sales", 5), Set.of("en")));
        survivor.ready("alice");
        assertThat(((WaitResult.Offered) survivor.awaitAgent("first", WAIT)).reservation().agentId()).isEqualTo("alice");
        survivor.login(new AgentProfile("bob", "Bob", "PJSIP/bob", Map.of("sales", 5), Set.of("en")));
        survivor.ready("bob");
        assertThat(((WaitResult.Offered) survivor.awaitAgent("third", WAIT)).reservation().agentId()).isEqualTo("bob");
        assertThat(waiting("second").offeredAgentId()).isNull();

        // adopted by the third node: same enqueue time, at the head of the queue, and its next agent is offered to it
        Optional<QueuePosition> p = third.adopt("second");
        assertThat(p).hasValueSatisfying(q -> assertThat(q.position()).isEqualTo(1));
        assertThat(survivor.adopt("second")).as("adopted once").isEmpty();
        assertThat(waiting("second").enqueuedAt()).isEqualTo(enqueuedAt);
        survivor.login(new AgentProfile("carl", "Carl", "PJSIP/carl", Map.of("sales", 5), Set.of("en")));
        survivor.ready("carl");
        WaitResult w = third.awaitAgent("second", WAIT);
        assertThat(w).isInstanceOf(WaitResult.Offered.class);
        assertThat(((WaitResult.Offered) w).reservation().agentId()).isEqualTo("carl");
    }

    private WaitingCall waiting(String callId) {
        return survivor.waitingCalls("sales").stream().filter(c -> c.callId().equals(callId)).findFirst().orElseThrow();
    }
}
