package dev.ivr.server.journal.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.engine.CallSummary;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.journal.Journal;
import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A call's node events are held and kept with its next event: in order, each once, one write for the lot. */
class JournalObserverTest {
    /** Each emit or emitAll as one list, in the order they came. */
    static final class Writes implements Journal {
        final List<List<JournalEvent>> writes = new ArrayList<>();

        @Override
        public void emit(JournalEvent event) {
            writes.add(List.of(event));
        }

        @Override
        public void emitAll(List<JournalEvent> events) {
            writes.add(List.copyOf(events));
        }

        @Override
        public AutoCloseable subscribe(Consumer<JournalEvent> listener) {
            return () -> {
            };
        }

        List<String> shapes() {
            return writes.stream().map(w -> String.join(",", w.stream().map(Writes::shape).toList())).toList();
        }

        static String shape(JournalEvent e) {
            return e.type() == Type.CALL_NODE ? e.node() : e.type().name();
        }
    }

    /** A clock that moves a second each time it is read: each event's time tells when it was made. */
    static final class Ticking extends Clock {
        Instant now = Instant.parse("2026-12-03T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }
    }

    private final Writes journal = new Writes();
    private final Ticking clock = new Ticking();
    private final JournalObserver observer = new JournalObserver(journal, clock, "node-a");

    private static Node node(String id) {
        return new Node.Hangup(new Node.Info(id, "hangup", null, null, null), null);
    }

    private static CallInfo info() {
        return new CallInfo("call-1", "main", Map.of(), List.of(), "+3612345678", "", "1000", "Local/x-00000001;1", "en",
                "test", "1000", "127.0.0.1");
    }

    private static CallSummary ended(Interaction.Outcome outcome, String customer) {
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        return new CallSummary(List.of(), Map.of(), Map.of(), null, null, new Interaction("call-1", "+3612345678", "1000",
                "main", "1", start, start.plusSeconds(60), List.of(), Map.of(), customer, null, null, null, null, null,
                outcome, "node-a"));
    }

    @Test
    void nodeEventsWaitForTheCallsNextEventAndAreKeptWithItInOrder() {
        observer.started(info(), "main", false);
        observer.node("main", node("welcome"));
        observer.node("main", node("lookup"));
        assertThat(journal.shapes()).as("entered at once, the nodes held").containsExactly("CALL_ENTERED");

        observer.identified("IDENTIFIED", "c-1");
        observer.node("main", node("menu"));
        observer.node("main", node("bye"));
        observer.ended(ended(Interaction.Outcome.SELF_SERVED, "c-1"));

        assertThat(journal.shapes()).containsExactly("CALL_ENTERED", "welcome,lookup,CALL_IDENTIFIED",
                "menu,bye,CALL_ENDED");
        List<JournalEvent> all = journal.writes.stream().flatMap(List::stream).toList();
        assertThat(all).extracting(JournalEvent::id).doesNotHaveDuplicates();
        assertThat(all).allMatch(e -> "call-1".equals(e.callId()) && "main".equals(e.flow()) && "node-a".equals(e.server()));
        // each node event has the time the call entered the node, not the time it was kept
        List<Instant> nodeTimes = all.stream().filter(e -> e.type() == Type.CALL_NODE).map(JournalEvent::at).toList();
        assertThat(nodeTimes).isSorted().doesNotHaveDuplicates();
        JournalEvent identified = all.get(3);
        assertThat(identified.type()).isEqualTo(Type.CALL_IDENTIFIED);
        assertThat(identified.at()).isAfter(all.get(2).at());
        assertThat(all.get(2).at()).isAfter(all.get(1).at());
        // the node is still named on the events that follow it (the funnel's hang-up node)
        assertThat(all.get(all.size() - 1).node()).isEqualTo("bye");
        assertThat(all.get(all.size() - 1).customer()).isEqualTo("c-1");
    }

    @Test
    void aCallThatEndsWithCallbackAndNoOtherEventKeepsEverythingInOneWrite() {
        observer.started(info(), "main", false);
        for (String n : List.of("a", "b", "c")) {
            observer.node("main", node(n));
        }
        observer.ended(ended(Interaction.Outcome.CALLBACK_REQUESTED, null));
        assertThat(journal.shapes()).containsExactly("CALL_ENTERED", "a,b,c,CALLBACK_REQUESTED,CALL_ENDED");
    }

    @Test
    void aLongCallKeepsItsNodesEveryHeldNodesAndNoneTwice() {
        observer.started(info(), "main", false);
        int nodes = JournalObserver.HELD * 2 + 5;
        for (int i = 0; i < nodes; i++) {
            observer.node("main", node("n" + i));
        }
        assertThat(journal.writes).hasSize(3); // entered, then two full holds
        assertThat(journal.writes.get(1)).hasSize(JournalObserver.HELD);
        observer.ended(ended(Interaction.Outcome.ABANDONED_IN_IVR, null));
        List<String> kept = journal.writes.stream().flatMap(List::stream).filter(e -> e.type() == Type.CALL_NODE)
                .map(JournalEvent::node).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            expected.add("n" + i);
        }
        assertThat(kept).containsExactlyElementsOf(expected);
        assertThat(journal.writes.get(journal.writes.size() - 1)).hasSize(6);
    }

    @Test
    void nodesHeldAreKeptEvenWhenTheCallEndsWithoutARecord() {
        observer.started(info(), "main", false);
        observer.node("main", node("only"));
        observer.ended(new CallSummary(List.of(), Map.of(), Map.of(), null, null, null));
        assertThat(journal.shapes()).containsExactly("CALL_ENTERED", "only");
    }

    @Test
    void aRouteNodeKeepsItselfAndTheNodesHeldAtOnceBeforeRoutingJournalsTheQueue() {
        observer.started(info(), "main", false);
        observer.node("main", node("welcome"));
        observer.node("main", new Node.Route(new Node.Info("agents", "route", null, null, null), "billing", Map.of(), 0,
                Map.of(), null, null, Map.of(), Map.of(), null, null, null));
        assertThat(journal.shapes()).containsExactly("CALL_ENTERED", "welcome,agents");
        observer.node("main", node("bye"));
        observer.ended(ended(Interaction.Outcome.ROUTED, null));
        assertThat(journal.shapes()).containsExactly("CALL_ENTERED", "welcome,agents", "bye,CALL_ENDED");
    }

    @Test
    void aTransferThatWasNotAnsweredKeepsTheNodesHeld() {
        observer.started(info(), "main", false);
        observer.node("main", node("transfer"));
        observer.transferred("SIP/100", "BUSY");
        assertThat(journal.shapes()).containsExactly("CALL_ENTERED");
        observer.transferred("SIP/200", "ANSWER");
        assertThat(journal.shapes()).containsExactly("CALL_ENTERED", "transfer,CALL_TRANSFERRED");
        observer.ended(ended(Interaction.Outcome.TRANSFERRED, null));
        assertThat(journal.shapes()).containsExactly("CALL_ENTERED", "transfer,CALL_TRANSFERRED", "CALL_ENDED");
        assertThat(journal.writes.get(2).get(0).durationMs()).isEqualTo(Duration.ofSeconds(60).toMillis());
    }

    @Test
    void heldNodeEventsGetTheirIdsWhenKeptSoThatIdsFollowTheOrderEventsAreWrittenAcrossCalls() {
        JournalObserver other = new JournalObserver(journal, clock, "node-a");
        observer.started(info(), "main", false);
        observer.node("main", node("welcome"));
        observer.node("main", node("menu"));
        Instant enteredMenu = clock.now;
        // a second call starts and ends while the first one's node events are held
        other.started(new CallInfo("call-2", "main", Map.of(), List.of(), "+3612345679", "", "1000",
                "Local/x-00000002;1", "en", "test", "1000", "127.0.0.1"), "main", false);
        other.node("main", node("welcome"));
        other.ended(new CallSummary(List.of(), Map.of(), Map.of(), null, null, null));
        observer.ended(ended(Interaction.Outcome.SELF_SERVED, null));

        List<JournalEvent> written = journal.writes.stream().flatMap(List::stream).toList();
        assertThat(written).extracting(e -> e.callId() + "/" + Writes.shape(e)).containsExactly("call-1/CALL_ENTERED",
                "call-2/CALL_ENTERED", "call-2/welcome", "call-1/welcome", "call-1/menu", "call-1/CALL_ENDED");
        // the event id's index is appended to: the ids sort as the events were written, although call-1's node
        // events happened before call-2's
        assertThat(written).extracting(JournalEvent::id).isSorted().doesNotHaveDuplicates();
        assertThat(written.get(4).at()).as("a node event keeps the time the call entered the node").isEqualTo(enteredMenu);
        assertThat(written.get(3).at()).isBefore(written.get(1).at());
    }
}
