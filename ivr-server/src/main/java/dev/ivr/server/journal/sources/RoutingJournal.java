package dev.ivr.server.journal.sources;

import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.server.journal.Journal;
import dev.ivr.server.journal.JournalEvent;

import java.util.function.Consumer;

/**
 * The routing library's events, as journal events. Subscribed with {@code RoutingService.subscribeLocal}: each
 * event is journaled once, by the server that made it, before it goes out to the cluster.
 */
public final class RoutingJournal implements Consumer<RoutingEvent> {
    private final Journal journal;
    private final String server;

    public RoutingJournal(Journal journal, String server) {
        this.journal = journal;
        this.server = server;
    }

    @Override
    public void accept(RoutingEvent event) {
        JournalEvent e = switch (event) {
            case RoutingEvent.CallQueued q -> JournalEvent.of(q.at(), JournalEvent.Type.CALL_QUEUED, q.callId(), null, null,
                    q.queueId(), null, null, "priority " + q.priority(), null, server);
            case RoutingEvent.CallOffered o -> JournalEvent.of(o.at(), JournalEvent.Type.CALL_OFFERED, o.callId(), null, null,
                    o.queueId(), o.agentId(), null, "offer " + o.offer(), null, server);
            case RoutingEvent.CallRequeued r -> JournalEvent.of(r.at(), JournalEvent.Type.CALL_RING_NO_ANSWER, r.callId(), null,
                    null, r.queueId(), r.agentId(), null, null, r.reason(), server);
            case RoutingEvent.CallAnswered a -> JournalEvent.of(a.at(), JournalEvent.Type.CALL_ANSWERED, a.callId(), null, null,
                    a.queueId(), a.agentId(), a.waited().toMillis(), null, null, server);
            case RoutingEvent.CallAbandoned a -> JournalEvent.of(a.at(), JournalEvent.Type.CALL_ABANDONED, a.callId(), null, null,
                    a.queueId(), null, a.waited().toMillis(), null, a.reason(), server);
            case RoutingEvent.MaxWaitReached m -> JournalEvent.of(m.at(), JournalEvent.Type.CALL_MAX_WAIT, m.callId(), null, null,
                    m.queueId(), null, m.waited().toMillis(), m.target(), null, server);
            case RoutingEvent.AgentStateChanged s -> JournalEvent.of(s.at(), agentType(s), s.callId(), null, null,
                    null, s.agentId(), null, s.to().name(), s.reasonCode(), server);
        };
        journal.emit(e);
    }

    private static JournalEvent.Type agentType(RoutingEvent.AgentStateChanged s) {
        if (s.from() == AgentState.LOGGED_OUT) {
            return JournalEvent.Type.AGENT_SIGNED_IN;
        }
        if (s.to() == AgentState.LOGGED_OUT) {
            return JournalEvent.Type.AGENT_SIGNED_OUT;
        }
        return s.to() == AgentState.WRAP_UP ? JournalEvent.Type.AGENT_WRAP_UP : JournalEvent.Type.AGENT_STATE;
    }
}
