package dev.ivr.server.pbx;

import dev.ivr.server.routing.Originator;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The end of an originated call, whichever of its OriginateResponse and its Hangup this server sees first. */
class AmiOriginatorTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private final AmiConnection ami = mock(AmiConnection.class);
    private final AmiOriginator originator = new AmiOriginator(ami, Clock.fixed(NOW, ZoneOffset.UTC));
    private final Consumer<ManagerEvent> events = listener();

    @SuppressWarnings("unchecked")
    private Consumer<ManagerEvent> listener() {
        ArgumentCaptor<Consumer<ManagerEvent>> c = ArgumentCaptor.forClass(Consumer.class);
        verify(ami).addListener(c.capture());
        return c.getValue();
    }

    @Test
    void aHangupSeenBeforeTheResponseEndsTheCall() throws Exception {
        // the event thread delivers the channel's Hangup while the sending thread still waits for its response
        when(ami.send(any(), any())).thenAnswer(i -> {
            events.accept(hangup("1700000000.42"));
            return answered("1700000000.42");
        });
        Originator.Result r = originator.originate(request());
        assertThat(r.answered()).isTrue();
        assertThat(r.hangup()).isCompletedWithValue(NOW);
    }

    @Test
    void aHangupAfterTheResponseEndsTheCallAndAnotherChannelsDoesNot() throws Exception {
        when(ami.send(any(), any())).thenAnswer(i -> answered("1700000000.43"));
        Originator.Result r = originator.originate(request());
        events.accept(hangup("1700000000.99"));
        assertThat(r.hangup()).isNotDone();
        events.accept(hangup("1700000000.43"));
        assertThat(r.hangup()).isCompletedWithValue(NOW);
    }

    private static Originator.Request request() {
        return new Originator.Request("Local/+3612345678@outbound", "ivr-outbound", "s", "+3619990000",
                Duration.ofSeconds(30), Map.of(), null);
    }

    private static HangupEvent hangup(String uniqueId) {
        HangupEvent h = new HangupEvent(new Object());
        h.setUniqueId(uniqueId);
        return h;
    }

    private static ResponseEvents answered(String uniqueId) {
        OriginateResponseEvent o = new OriginateResponseEvent(new Object());
        o.setResponse("Success");
        o.setUniqueId(uniqueId);
        o.setChannel("Local/+3612345678@outbound-00000001;1");
        ManagerResponse ok = new ManagerResponse();
        ok.setResponse("Success");
        ResponseEvents events = mock(ResponseEvents.class);
        when(events.getResponse()).thenReturn(ok);
        when(events.getEvents()).thenReturn(List.of(o));
        return events;
    }
}
