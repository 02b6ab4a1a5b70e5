package dev.ivr.server.routing;

import dev.ivr.server.callcontext.Transfer;
import dev.ivr.server.flow.route.RouteRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TransferLegsTest {
    static final RouteRequest FIRST = new RouteRequest("c1", "customer-service", "to-support", "+3612345678", "support",
            Map.of("technical", 2), 3, Map.of("reason", "no internet", "preferred-agent", "old"), Duration.ofMinutes(5),
            null, Set.of("9"), "C-1001", "en",
            new RouteRequest.Journey(List.of("menu", "to-support"), Map.of("menu", "2"), Instant.EPOCH, "support", "OK"),
            null);

    @Test
    void aQueueTransferTakesTheTargetQueuesSkillsAndKeepsTheJourney() {
        RouteRequest next = TransferLegs.next(FIRST, new Transfer("c1", Transfer.Kind.QUEUE, "sales", "wants <b>more</b>",
                "tess", "support", Instant.EPOCH));
        assertThat(next.queue()).isEqualTo("sales");
        assertThat(next.skills()).isEmpty();
        assertThat(next.journey()).isEqualTo(FIRST.journey());
        assertThat(next.customerId()).isEqualTo("C-1001");
        assertThat(next.context()).containsEntry("reason", "no internet").containsEntry(Transfer.FIELD_BY, "tess")
                .containsEntry(Transfer.FIELD_NOTE, "wants <b>more</b>").containsEntry(Transfer.FIELD_FROM_QUEUE, "support")
                .doesNotContainKey("preferred-agent");
        assertThat(next.callback()).isNull();
    }

    @Test
    void anAgentTransferStaysInTheQueueWithTheAgentPreferred() {
        RouteRequest next = TransferLegs.next(FIRST, new Transfer("c1", Transfer.Kind.AGENT, "sid", null, "tess", "support",
                Instant.EPOCH));
        assertThat(next.queue()).isEqualTo("support");
        assertThat(next.skills()).isEqualTo(FIRST.skills());
        assertThat(next.context()).containsEntry("preferred-agent", "sid").doesNotContainKey(Transfer.FIELD_NOTE);
        assertThat(Transfer.Kind.parse(" Number ")).isEqualTo(Transfer.Kind.NUMBER);
        assertThat(Transfer.Kind.parse("elsewhere")).isNull();
    }
}
