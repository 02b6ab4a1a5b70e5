package dev.ivr.server.journal.sources;

import dev.ivr.server.call.CallEnd;
import dev.ivr.server.call.CallInfo;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.engine.CallObserver;
import dev.ivr.server.flow.engine.CallSummary;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.journal.Journal;
import dev.ivr.server.journal.JournalEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * What the flow engine reports of one call, as journal events: entered the flow, each node,
 * identified, authenticated, transferred, callback requested, ended. One observer per call.
 *
 * <p>The node events ({@code CALL_NODE}, one per node the call enters, most of a call's events) are
 * stamped when the call enters the node and held here until the call's next other event (identified,
 * authenticated, transferred, ended), then kept with it, and get their ids when they are kept (the ids
 * follow the order events are written, so each journal batch appends to the event id's index instead of
 * writing a leaf of it per held event; {@code at} stays when the call entered the node; an id is still made
 * once, before the event reaches the outbox, so an outbox replay writes the same id and is ignored): one {@link Journal#emitAll} (one outbox write
 * and force) for the lot, in the order they happened, instead of one per node. A {@code route} node's
 * event is kept at once with those held: routing journals the call's queue events itself
 * ({@link RoutingJournal}), and they come after the node events, in the database's order and in the
 * webhooks' order per call, as they did when every node event was kept at once. At most
 * {@link #HELD} are held; more are kept at once. What this costs: the node events of a call in
 * progress reach the journal (and the reports, webhooks and the event stream) with its next event,
 * at the latest when it ends; and a server killed mid-call (no {@code ended}) loses the node events
 * held for its calls, those since each call's last kept event. Such a call's contact-history record,
 * written from its checkpoint by a survivor ({@code cluster.LostCallRecorder}), still has its path.
 */
public final class JournalObserver implements CallObserver {
    /** The most node events held for one call before they are kept anyway (a flow looping for long). */
    static final int HELD = 32;

    private final Journal journal;
    private final Clock clock;
    private final String server;
    /** The node events held, without their ids yet (made when they are kept: {@link #kept}). */
    private final List<Held> held = new ArrayList<>();
    /**
     * Held while events are handed to the journal, so that they go in the order they were made (a lock, not a
     * monitor: no virtual thread pinned while the journal forces its outbox).
     */
    private final ReentrantLock lock = new ReentrantLock();
    private String callId;
    private String flow;
    private String node;

    public JournalObserver(Journal journal, Clock clock, String server) {
        this.journal = journal;
        this.clock = clock;
        this.server = server;
    }

    @Override
    public void started(CallInfo call, String flowName, boolean resumed) {
        callId = call.uniqueId();
        flow = flowName;
        // the call's first event (nothing held yet): written, and forced with its next event or within moments, so
        // that the call does not wait for the device before it is answered (Journal#emitWritten)
        journal.emitWritten(event(JournalEvent.Type.CALL_ENTERED, null, null, resumed ? "resumed" : null, null, null));
    }

    @Override
    public void node(String flowName, Node n) {
        flow = flowName;
        node = n.id();
        lock.lock();
        try {
            held.add(new Held(clock.instant(), callId, flow, node));
            if (n instanceof Node.Route || held.size() >= HELD) {
                journal.emitAll(kept(0));
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void identified(String status, String customerId) {
        emit(JournalEvent.Type.CALL_IDENTIFIED, null, null, status, null, null);
    }

    @Override
    public void authenticated(String status) {
        emit(JournalEvent.Type.CALL_AUTHENTICATED, null, null, status, null, null);
    }

    @Override
    public void transferred(String destination, String dialStatus) {
        if ("ANSWER".equals(dialStatus)) {
            emit(JournalEvent.Type.CALL_TRANSFERRED, null, null, destination, null, null);
        }
    }

    /** The post-call survey's satisfaction score (1-5), the input of flows/post-call-survey.yaml. */
    public static final String CSAT_INPUT = "survey_csat";

    @Override
    public void ended(CallSummary summary) {
        Interaction i = summary.interaction();
        lock.lock();
        try {
            if (i == null) {
                if (!held.isEmpty()) {
                    keepLast(kept(0));
                }
                return;
            }
            if (callId == null) {
                callId = i.callId();
            }
            List<JournalEvent> all = kept(3);
            if (i.outcome() == Interaction.Outcome.CALLBACK_REQUESTED) {
                all.add(event(JournalEvent.Type.CALLBACK_REQUESTED, i.queue(), null, null, null, null));
            }
            String csat = i.inputs().get(CSAT_INPUT);
            if (csat != null && CSAT.matcher(csat).matches() && i.agentId() != null) {
                all.add(event(JournalEvent.Type.CALL_SURVEYED, i.queue(), i.agentId(), csat, null, i.end()));
            }
            Long length = i.start() == null || i.end() == null ? null : Duration.between(i.start(), i.end()).toMillis();
            all.add(event(JournalEvent.Type.CALL_ENDED, i.queue(), i.agentId(),
                    i.outcome() == null ? null : i.outcome().name(), length, i.end()).withCustomer(i.customerId()));
            keepLast(all);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The call's last events: written now, and on a call's thread forced (and heard by the listeners) after the call's
     * connection to the PBX is closed ({@link CallEnd}), so that neither the PBX nor the load of the calls around it
     * waits for the device's flush, and the calls ending within moments of each other share one force. Elsewhere kept
     * at once, as {@link Journal#emitAll} does.
     */
    private void keepLast(List<JournalEvent> events) {
        if (CallEnd.deferring()) {
            CallEnd.later(journal.emitAllThen(events));
        } else {
            journal.emitAll(events);
        }
    }

    private static final Pattern CSAT = Pattern.compile("[1-5]");

    /**
     * Keeps this event after the node events held, in one {@link Journal#emitAll} (which writes a single event as
     * {@link Journal#emit} does). Under {@link #lock}, so that the held events' ids and this one's are made in the
     * order they are written.
     */
    private void emit(JournalEvent.Type type, String queue, String agent, String detail, Long duration, Instant at) {
        lock.lock();
        try {
            if (held.isEmpty()) {
                journal.emitAll(List.of(event(type, queue, agent, detail, duration, at)));
            } else {
                List<JournalEvent> all = kept(1);
                all.add(event(type, queue, agent, detail, duration, at));
                journal.emitAll(all);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The node events held, as journal events with ids made now, in the order the call entered the nodes, in a list
     * with room for {@code more}; none held any more. Under {@link #lock}.
     */
    private List<JournalEvent> kept(int more) {
        List<JournalEvent> all = new ArrayList<>(held.size() + more);
        for (Held h : held) {
            all.add(JournalEvent.of(h.at(), JournalEvent.Type.CALL_NODE, h.callId(), h.flow(), h.node(), null, null,
                    null, null, null, server));
        }
        held.clear();
        return all;
    }

    /** A node event held: when the call entered the node, and which. */
    private record Held(Instant at, String callId, String flow, String node) {
    }

    private JournalEvent event(JournalEvent.Type type, String queue, String agent, String detail, Long duration, Instant at) {
        return JournalEvent.of(at == null ? clock.instant() : at, type, callId, flow, node, queue, agent, duration,
                detail, null, server);
    }
}
