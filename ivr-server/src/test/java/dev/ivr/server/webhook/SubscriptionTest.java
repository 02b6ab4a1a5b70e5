package dev.ivr.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
    final Instant t0 = Instant.parse("2026-03-02T09:00:00Z");

    JournalEvent event(Type type, String queue, int second) {
        return JournalEvent.of(t0.plusSeconds(second), type, "c1", "main", null, queue, null, null, null, null, "n1");
    }

    @Test
    void byTypeQueueAndCreationTime() {
        Subscription s = new Subscription("wh_1", "https://x", Subscription.parseTypes(List.of("call.queued", "call.ended")),
                "billing", null, t0, "admin");
        assertThat(s.matches(event(Type.CALL_QUEUED, "billing", 5))).isTrue();
        assertThat(s.matches(event(Type.CALL_QUEUED, "sales", 5))).isFalse();
        assertThat(s.matches(event(Type.CALL_ANSWERED, "billing", 5))).isFalse();
        assertThat(s.matches(event(Type.CALL_QUEUED, "billing", -60))).as("before it existed").isFalse();
        assertThat(s.typeNames()).containsExactly("call.queued", "call.ended");
    }

    @Test
    void starMeansEveryTypeAndUnknownNamesAreRefused() {
        Subscription all = new Subscription("wh_1", "https://x", Subscription.parseTypes(List.of("*")), null, null, t0, "a");
        assertThat(all.typeNames()).containsExactly("*");
        assertThat(all.matches(event(Type.AGENT_STATE, null, 1))).isTrue();
        assertThatThrownBy(() -> Subscription.parseTypes(List.of("call.exploded"))).hasMessageContaining("unknown event type")
                .hasMessageContaining("call.queued");
        assertThatThrownBy(() -> Subscription.parseTypes(List.of())).hasMessageContaining("at least one");
    }
}
