package dev.ivr.server.routing;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.QueueStatus;
import dev.ivr.routing.RoutingService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** {@link QueueGauges}: the routing service's queues and agents as gauges with bounded labels, kept alive by the registry. */
class QueueGaugesTest {

    @Test
    void waitingCallsLongestWaitAndAgentsByStateAreGauged() {
        RoutingService routing = mock(RoutingService.class);
        QueueStatus billing = new QueueStatus(QueueDefinition.builder("billing").build(), 3, Duration.ofSeconds(42), OptionalDouble.empty(),
                0, 0, 0, 0, Duration.ZERO, Map.of(AgentState.READY, 2, AgentState.ON_CALL, 1));
        when(routing.queues()).thenReturn(List.of(billing));
        Agent ready = mock(Agent.class);
        when(ready.state()).thenReturn(AgentState.READY);
        Agent wrap = mock(Agent.class);
        when(wrap.state()).thenReturn(AgentState.WRAP_UP);
        when(routing.agents()).thenReturn(List.of(ready, ready, wrap));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        QueueGauges.register(routing, meters, List.of("billing", "sales"));
        System.gc(); // the gauges' source is held by the registry, not by the caller

        assertThat(meters.get("ivr.queue.waiting").tag("queue", "billing").gauge().value()).isEqualTo(3);
        assertThat(meters.get("ivr.queue.longest.wait.seconds").tag("queue", "billing").gauge().value()).isEqualTo(42);
        assertThat(meters.get("ivr.queue.agents").tags("queue", "billing", "state", "ready").gauge().value()).isEqualTo(2);
        assertThat(meters.get("ivr.queue.agents").tags("queue", "billing", "state", "on_call").gauge().value()).isEqualTo(1);
        assertThat(meters.get("ivr.queue.waiting").tag("queue", "sales").gauge().value()).as("no figures yet").isZero();
        assertThat(meters.get("ivr.agents").tag("state", "ready").gauge().value()).isEqualTo(2);
        assertThat(meters.get("ivr.agents").tag("state", "wrap_up").gauge().value()).isEqualTo(1);
        assertThat(meters.get("ivr.agents").tag("state", "on_call").gauge().value()).isZero();
    }
}
