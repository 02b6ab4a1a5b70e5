package dev.ivr.server.journal.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.testing.CollectingJournal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingJournalTest {
    private final CollectingJournal journal = new CollectingJournal();
    private final List<JournalEvent> events = journal.events();
    private final Instant t = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void everyRoutingEventBecomesOneJournalEventWithItsFields() {
        RoutingJournal rj = new RoutingJournal(journal, "n1");
        rj.accept(new RoutingEvent.CallQueued("c1", "billing", 2, "n1", t));
        rj.accept(new RoutingEvent.CallOffered("c1", "billing", "a1", 1, t.plusSeconds(1)));
        rj.accept(new RoutingEvent.CallRequeued("c1", "billing", "a1", "no-answer", t.plusSeconds(16)));
        rj.accept(new RoutingEvent.CallAnswered("c1", "billing", "a2", Duration.ofSeconds(20), t.plusSeconds(20)));
        rj.accept(new RoutingEvent.CallAbandoned("c2", "billing", Duration.ofSeconds(7), "caller-hangup", t));
        rj.accept(new RoutingEvent.MaxWaitReached("c3", "billing", "voicemail", Duration.ofSeconds(300), t));
        rj.accept(new RoutingEvent.AgentStateChanged("a1", AgentState.LOGGED_OUT, AgentState.NOT_READY, "login", null, t));
        rj.accept(new RoutingEvent.AgentStateChanged("a1", AgentState.NOT_READY, AgentState.READY, null, null, t));
        rj.accept(new RoutingEvent.AgentStateChanged("a1", AgentState.ON_CALL, AgentState.WRAP_UP, null, "c1", t));
        rj.accept(new RoutingEvent.AgentStateChanged("a1", AgentState.READY, AgentState.LOGGED_OUT, null, null, t));

        assertThat(events).extracting(JournalEvent::type).containsExactly(Type.CALL_QUEUED, Type.CALL_OFFERED,
                Type.CALL_RING_NO_ANSWER, Type.CALL_ANSWERED, Type.CALL_ABANDONED, Type.CALL_MAX_WAIT,
                Type.AGENT_SIGNED_IN, Type.AGENT_STATE, Type.AGENT_WRAP_UP, Type.AGENT_SIGNED_OUT);
        assertThat(events.get(2).reason()).isEqualTo("no-answer");
        assertThat(events.get(3).durationMs()).isEqualTo(20_000L);
        assertThat(events.get(3).agent()).isEqualTo("a2");
        assertThat(events.get(4).durationMs()).isEqualTo(7_000L);
        assertThat(events.get(6).reason()).isEqualTo("login");
        assertThat(events.get(8).callId()).isEqualTo("c1");
        assertThat(events).extracting(JournalEvent::server).containsOnly("n1");
        assertThat(events).extracting(JournalEvent::id).doesNotHaveDuplicates();
    }

    @Test
    void typesHaveStableWireNames() {
        assertThat(Type.CALL_RING_NO_ANSWER.wire()).isEqualTo("call.ring-no-answer");
        assertThat(Type.AGENT_SIGNED_IN.wire()).isEqualTo("agent.signed-in");
        assertThat(Type.CALLBACK_DIALED.wire()).isEqualTo("callback.dialed");
        for (Type type : Type.values()) {
            assertThat(Type.fromWire(type.wire())).isEqualTo(type);
        }
        assertThat(Type.fromWire("call.nope")).isNull();
    }
}
