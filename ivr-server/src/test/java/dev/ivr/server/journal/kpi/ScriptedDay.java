package dev.ivr.server.journal.kpi;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small scripted hour (09:00-10:00 on 2026-03-02) of queue and agent events whose KPIs are worked out by hand in
 * {@link KpiCalculatorTest}: two queues, two agents, a short abandon, a long abandon, a ring-no-answer, wrap-up,
 * a callback, a transfer, a call still waiting at the end, two holds (one still on when the talk ends).
 */
public final class ScriptedDay {
    public static final Instant FROM = Instant.parse("2026-03-02T09:00:00Z");
    public static final Instant TO = Instant.parse("2026-03-02T10:00:00Z");

    private final List<JournalEvent> events = new ArrayList<>();

    public static List<JournalEvent> events() {
        ScriptedDay d = new ScriptedDay();
        d.agent("08:55:00", Type.AGENT_SIGNED_IN, "a1", "NOT_READY", "login", null);
        d.agent("09:00:00", Type.AGENT_STATE, "a1", "READY", null, null);
        d.agent("09:10:00", Type.AGENT_SIGNED_IN, "a2", "NOT_READY", "login", null);
        d.agent("09:20:00", Type.AGENT_STATE, "a2", "READY", null, null);
        // c1: answered by a1 in 15 s, 240 s talk, 60 s wrap-up
        d.call("09:01:00", Type.CALL_QUEUED, "c1", "billing", null, null, null);
        d.agent("09:01:10", Type.AGENT_STATE, "a1", "RESERVED", null, "c1");
        d.call("09:01:10", Type.CALL_OFFERED, "c1", "billing", "a1", null, null);
        d.call("09:01:15", Type.CALL_ANSWERED, "c1", "billing", "a1", 15_000L, null);
        d.agent("09:01:15", Type.AGENT_STATE, "a1", "ON_CALL", null, "c1");
        d.agent("09:05:15", Type.AGENT_WRAP_UP, "a1", "WRAP_UP", null, "c1");
        d.agent("09:06:15", Type.AGENT_STATE, "a1", "READY", null, null);
        // c2: a short abandon (3 s); c3: a long one (40 s)
        d.call("09:02:00", Type.CALL_QUEUED, "c2", "billing", null, null, null);
        d.call("09:02:03", Type.CALL_ABANDONED, "c2", "billing", null, 3_000L, "caller-hangup");
        d.call("09:03:00", Type.CALL_QUEUED, "c3", "billing", null, null, null);
        d.call("09:03:40", Type.CALL_ABANDONED, "c3", "billing", null, 40_000L, "caller-hangup");
        // c4 (sales): a2 does not answer, a1 answers after 35 s, 600 s talk, no wrap-up
        d.call("09:21:00", Type.CALL_QUEUED, "c4", "sales", null, null, null);
        d.agent("09:21:05", Type.AGENT_STATE, "a2", "RESERVED", null, "c4");
        d.call("09:21:05", Type.CALL_OFFERED, "c4", "sales", "a2", null, null);
        d.call("09:21:20", Type.CALL_RING_NO_ANSWER, "c4", "sales", "a2", null, "no-answer");
        d.agent("09:21:20", Type.AGENT_STATE, "a2", "NOT_READY", "no-answer", null);
        d.agent("09:21:30", Type.AGENT_STATE, "a2", "READY", null, null);
        d.agent("09:21:30", Type.AGENT_STATE, "a1", "RESERVED", null, "c4");
        d.call("09:21:30", Type.CALL_OFFERED, "c4", "sales", "a1", null, null);
        d.call("09:21:35", Type.CALL_ANSWERED, "c4", "sales", "a1", 35_000L, null);
        d.agent("09:21:35", Type.AGENT_STATE, "a1", "ON_CALL", null, "c4");
        // a1 holds c4 for 90 s: inside the 600 s talk
        d.call("09:24:00", Type.CALL_HOLD, "c4", "sales", "a1", null, null);
        d.call("09:25:30", Type.CALL_UNHOLD, "c4", "sales", "a1", 90_000L, null);
        d.agent("09:31:35", Type.AGENT_STATE, "a1", "READY", null, null);
        // c5: a2 answers in 12 s, 600 s talk, 120 s wrap-up
        d.call("09:40:00", Type.CALL_QUEUED, "c5", "billing", null, null, null);
        d.agent("09:40:10", Type.AGENT_STATE, "a2", "RESERVED", null, "c5");
        d.call("09:40:10", Type.CALL_OFFERED, "c5", "billing", "a2", null, null);
        d.call("09:40:12", Type.CALL_ANSWERED, "c5", "billing", "a2", 12_000L, null);
        d.agent("09:40:12", Type.AGENT_STATE, "a2", "ON_CALL", null, "c5");
        // a2 holds c5 from 09:47:00 and the talk ends on hold: closed with it (192 s)
        d.call("09:47:00", Type.CALL_HOLD, "c5", "billing", "a2", null, null);
        d.call("09:50:12", Type.CALL_UNHOLD, "c5", "billing", "a2", 192_000L, "call-ended");
        d.agent("09:50:12", Type.AGENT_WRAP_UP, "a2", "WRAP_UP", null, "c5");
        d.agent("09:52:12", Type.AGENT_STATE, "a2", "READY", null, null);
        // c6 asks for a callback while queued; c7 is transferred by its flow; c8 still waits at 10:00
        d.call("09:44:00", Type.CALL_QUEUED, "c6", "billing", null, null, null);
        d.call("09:44:30", Type.CALLBACK_REQUESTED, "c6", "billing", null, null, null);
        d.call("09:50:00", Type.CALL_TRANSFERRED, "c7", null, null, null, null);
        d.agent("09:55:00", Type.AGENT_SIGNED_OUT, "a1", "LOGGED_OUT", null, null);
        d.call("09:59:50", Type.CALL_QUEUED, "c8", "billing", null, null, null);
        // the next hour: not counted
        d.call("10:00:00", Type.CALL_QUEUED, "c9", "billing", null, null, null);
        return d.events;
    }

    private static Instant at(String hms) {
        return Instant.parse("2026-03-02T" + hms + "Z");
    }

    private void call(String at, Type type, String call, String queue, String agent, Long ms, String reason) {
        events.add(JournalEvent.of(at(at), type, call, "main", null, queue, agent, ms, null, reason, "n1"));
    }

    private void agent(String at, Type type, String agent, String state, String reason, String call) {
        events.add(JournalEvent.of(at(at), type, call, null, null, null, agent, null, state, reason, "n1"));
    }
}
