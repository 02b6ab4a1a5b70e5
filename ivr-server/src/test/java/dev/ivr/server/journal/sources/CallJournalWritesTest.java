package dev.ivr.server.journal.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ivr.server.call.CallEnd;
import dev.ivr.server.call.CallInfo;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.engine.CallSummary;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.journal.Journal;
import dev.ivr.server.journal.JournalEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What a call of the load benchmark's simple flow asks of the journal on its own thread: its first event written
 * without waiting for the device, and one forced write for the rest, at its end (issue 16, eleventh round); on an AGI
 * call's thread that force waited for after the call's connection is closed (twenty-second round).
 */
class CallJournalWritesTest {
    /** Each write the observer asks for: "forced" (emit, emitAll) or "written" (emitWritten), with its events. */
    private static final class Writes implements Journal {
        final List<String> writes = new ArrayList<>();

        @Override
        public void emit(JournalEvent event) {
            writes.add("forced " + event.type());
        }

        @Override
        public void emitWritten(JournalEvent event) {
            writes.add("written " + event.type());
        }

        @Override
        public void emitAll(List<JournalEvent> events) {
            writes.add("forced " + events.stream().map(e -> e.type().name()).toList());
        }

        @Override
        public Runnable emitAllThen(List<JournalEvent> events) {
            writes.add("written " + events.stream().map(e -> e.type().name()).toList());
            return () -> writes.add("forced (the written events above)");
        }

        @Override
        public AutoCloseable subscribe(Consumer<JournalEvent> listener) {
            return () -> {
            };
        }
    }

    @Test
    void theSimpleFlowsCallWaitsForOneForce() {
        Writes journal = new Writes();
        simpleCall(journal);
        assertThat(journal.writes).containsExactly("written CALL_ENTERED",
                "forced [CALL_NODE, CALL_NODE, CALL_NODE, CALL_NODE, CALL_NODE, CALL_NODE, CALL_ENDED]");
    }

    /**
     * On a call's thread (the AGI listener runs each call in {@link CallEnd#run}) the call's last events are written at
     * its end, and the wait for their force comes after the call's connection is closed: the PBX's last command
     * (Asterisk-Java's {@code SET VARIABLE AJ_AGISTATUS}) and the close do not wait for the device (twenty-second round).
     */
    @Test
    void onACallsThreadTheLastForceIsWaitedForAfterTheConnectionsClose() {
        Writes journal = new Writes();
        CallEnd.run(() -> {
            simpleCall(journal);
            journal.writes.add("AJ_AGISTATUS sent, connection closed");
        });
        journal.writes.add("the call's thread ends");
        assertThat(journal.writes).containsExactly("written CALL_ENTERED",
                "written [CALL_NODE, CALL_NODE, CALL_NODE, CALL_NODE, CALL_NODE, CALL_NODE, CALL_ENDED]",
                "AJ_AGISTATUS sent, connection closed",
                "forced (the written events above)",
                "the call's thread ends");
    }

    private static void simpleCall(Journal journal) {
        JournalObserver observer = new JournalObserver(journal, Clock.systemUTC(), "node-a");
        observer.started(new CallInfo("call-1", "simple", Map.of(), List.of(), "+3612345678", "", "1000",
                "Local/x-00000001;1", "en", "test", "1000", "127.0.0.1"), "simple", false);
        for (String node : List.of("welcome", "main-menu", "enter-code", "confirm", "remember", "goodbye")) {
            observer.node("simple", new Node.Hangup(new Node.Info(node, "hangup", null, null, null), null));
        }
        Instant start = Instant.parse("2026-12-05T01:00:00Z");
        observer.ended(new CallSummary(List.of(), Map.of(), Map.of(), null, null, new Interaction("call-1",
                "+3612345678", "1000", "simple", "1", start, start.plusSeconds(15), List.of(), Map.of(), null, null,
                null, null, null, null, Interaction.Outcome.SELF_SERVED, "node-a")));
    }
}
