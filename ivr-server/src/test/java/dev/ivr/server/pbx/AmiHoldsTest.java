package dev.ivr.server.pbx;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import dev.ivr.server.testing.CollectingJournal;
import dev.ivr.testsupport.MutableClock;
import org.asteriskjava.manager.event.AbstractHoldEvent;
import org.asteriskjava.manager.event.HoldEvent;
import org.asteriskjava.manager.event.UnholdEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** AMI Hold/Unhold on an agent's channel as journal events (the fields as Asterisk 20's manager sends them). */
class AmiHoldsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final RoutingService router = mock(RoutingService.class);
    private final CollectingJournal journal = new CollectingJournal();
    private final List<JournalEvent> journaled = journal.events();
    private Consumer<? super RoutingEvent> routed;
    private AmiHolds holds;

    @BeforeEach
    @SuppressWarnings("unchecked") // the captor of a generic listener
    void start() {
        AmiConnection ami = mock(AmiConnection.class);
        ArgumentCaptor<Consumer<? super RoutingEvent>> sub = ArgumentCaptor.forClass(Consumer.class);
        when(router.subscribe(sub.capture())).thenReturn(() -> {
        });
        when(router.agents()).thenReturn(List.of(agent("a1", "PJSIP/1001", AgentState.ON_CALL, "call-1"),
                agent("a2", "PJSIP/1002", AgentState.READY, null)));
        holds = new AmiHolds(ami, router, journal, "n1", clock, endpoint -> true, Runnable::run);
        routed = sub.getValue();
        verify(ami).addListener(any());
    }

    private static Agent agent(String id, String endpoint, AgentState state, String call) {
        return new Agent(id, id, endpoint, Map.of(), Set.of(), state, Instant.EPOCH, null, call,
                call == null ? null : "sales", null, null, null);
    }

    private static <E extends AbstractHoldEvent> E event(E e, String channel, String uniqueId) {
        e.setChannel(channel);
        e.setUniqueId(uniqueId);
        return e;
    }

    @Test
    void aHoldAndItsUnholdOnTheAgentsChannel() {
        holds.onEvent(event(new HoldEvent(this), "PJSIP/1001-0000002a", "1700000000.42"));
        clock.advance(Duration.ofSeconds(95));
        holds.onEvent(event(new HoldEvent(this), "PJSIP/1001-0000002a", "1700000000.42")); // re-invite while held
        holds.onEvent(event(new UnholdEvent(this), "PJSIP/1001-0000002a", "1700000000.42"));
        assertThat(journaled).extracting(JournalEvent::type).containsExactly(Type.CALL_HOLD, Type.CALL_UNHOLD);
        JournalEvent on = journaled.get(0);
        JournalEvent off = journaled.get(1);
        assertThat(on.agent()).isEqualTo("a1");
        assertThat(on.callId()).isEqualTo("call-1");
        assertThat(on.queue()).isEqualTo("sales");
        assertThat(on.at()).isEqualTo(Instant.parse("2026-03-02T09:00:00Z"));
        assertThat(off.durationMs()).isEqualTo(95_000);
        assertThat(off.reason()).isNull();
        // a second hold on the same channel: new ids; the same hold seen by another server: the same ids
        holds.onEvent(event(new HoldEvent(this), "PJSIP/1001-0000002a", "1700000000.42"));
        assertThat(journaled.get(2).id()).isNotEqualTo(on.id());
        assertThat(on.id()).isEqualTo(AmiHolds.id("1700000000.42", 0, "hold"));
        assertThat(off.id()).isEqualTo(AmiHolds.id("1700000000.42", 0, "unhold"));
    }

    @Test
    void aHoldStillOnWhenTheTalkEndsEndsWithIt() {
        holds.onEvent(event(new HoldEvent(this), "PJSIP/1001-0000002a", "1700000000.42"));
        clock.advance(Duration.ofSeconds(30));
        routed.accept(new RoutingEvent.AgentStateChanged("a1", AgentState.ON_CALL, AgentState.WRAP_UP, null, "call-1",
                clock.instant()));
        holds.onEvent(event(new UnholdEvent(this), "PJSIP/1001-0000002a", "1700000000.42")); // after: nothing more
        assertThat(journaled).extracting(JournalEvent::type).containsExactly(Type.CALL_HOLD, Type.CALL_UNHOLD);
        assertThat(journaled.get(1).durationMs()).isEqualTo(30_000);
        assertThat(journaled.get(1).reason()).isEqualTo(AmiHolds.CALL_ENDED);
    }

    @Test
    void holdsOfOtherChannelsAreNotJournaled() {
        holds.onEvent(event(new HoldEvent(this), "PJSIP/1002-0000002b", "1700000000.43")); // a2 is not on a call
        holds.onEvent(event(new HoldEvent(this), "PJSIP/trunk-0000002c", "1700000000.44")); // a caller's channel
        holds.onEvent(event(new HoldEvent(this), "Local/x@y", "1700000000.45"));
        holds.onEvent(event(new UnholdEvent(this), "PJSIP/1001-0000002a", "1700000000.42")); // no hold seen
        assertThat(journaled).isEmpty();
    }
}
