package dev.ivr.server.outbound;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.QueueStatus;
import dev.ivr.routing.RoutingService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class RoutingAgentSupplyTest {

    private static Agent agent(String id, AgentState state, Map<String, Integer> skills, String callId) {
        return new Agent(id, id, "PJSIP/" + id, skills, Set.of("en"), state, Instant.EPOCH, null, callId, null, null,
                null, null);
    }

    private static QueueStatus queue(QueueDefinition d) {
        return new QueueStatus(d, 0, Duration.ZERO, OptionalDouble.empty(), 0, 0, 0, 0, Duration.ofMinutes(3), Map.of());
    }

    @Test
    void countsTheAgentsWithTheQueuesAndTheCampaignsSkillsByState() {
        RoutingService routing = mock(RoutingService.class);
        when(routing.queues()).thenReturn(List.of(queue(QueueDefinition.builder("sales").requireSkill("sales", 2).build()),
                queue(QueueDefinition.builder("billing").build())));
        when(routing.agents()).thenReturn(List.of(
                agent("a1", AgentState.READY, Map.of("sales", 3, "renewals", 2), null),
                agent("a2", AgentState.READY, Map.of("sales", 3, "renewals", 1), null),     // renewals too low
                agent("a3", AgentState.READY, Map.of("renewals", 5), null),                 // not a sales agent
                agent("a4", AgentState.ON_CALL, Map.of("sales", 2, "renewals", 3), "call-4"),
                agent("a5", AgentState.RESERVED, Map.of("sales", 2, "renewals", 3), "call-5"),
                agent("a6", AgentState.WRAP_UP, Map.of("sales", 2, "renewals", 3), "call-6"),
                agent("a7", AgentState.NOT_READY, Map.of("sales", 2, "renewals", 3), null),
                agent("a8", AgentState.LOGGED_OUT, Map.of("sales", 2, "renewals", 3), null)));
        RoutingAgentSupply supply = new RoutingAgentSupply(() -> routing);
        AgentSupply.Agents agents = supply.agents("sales", Map.of("renewals", 2));
        assertThat(agents.ready()).isEqualTo(1);
        assertThat(agents.busy()).isEqualTo(3);
        assertThat(agents.callIds()).containsExactlyInAnyOrder("call-4", "call-5", "call-6");
        // the queue's own requirement alone
        assertThat(supply.agents("sales", Map.of()).ready()).isEqualTo(2);
        // a campaign skill above the queue's level of the same skill wins
        assertThat(supply.agents("sales", Map.of("sales", 3)).ready()).isEqualTo(2);
        assertThat(supply.agents("billing", Map.of()).ready()).isEqualTo(3);
        assertThatThrownBy(() -> supply.agents("nope", Map.of())).hasMessageContaining("no queue 'nope'");
        assertThatThrownBy(() -> new RoutingAgentSupply(() -> null).agents("sales", Map.of()))
                .hasMessageContaining("routing is not running");
    }
}
