package dev.ivr.server.journal.sources;

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

/**
 * What the flow engine reports of one call, as journal events: entered the flow, each node,
 * identified, authenticated, transferred, callback requested, ended. One observer per call.
 */
public final class JournalObserver implements CallObserver {
    private final Journal journal;
    private final Clock clock;
    private final String server;
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
        emit(JournalEvent.Type.CALL_ENTERED, null, null, resumed ? "resumed" : null, null, null);
    }

    @Override
    public void node(String flowName, Node n) {
        flow = flowName;
        node = n.id();
        emit(JournalEvent.Type.CALL_NODE, null, null, null, null, null);
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
        if (i == null) {
            return;
        }
        if (callId == null) {
            callId = i.callId();
        }
        if (i.outcome() == Interaction.Outcome.CALLBACK_REQUESTED) {
            emit(JournalEvent.Type.CALLBACK_REQUESTED, i.queue(), null, null, null, null);
        }
        String csat = i.inputs().get(CSAT_INPUT);
        if (csat != null && csat.matches("[1-5]") && i.agentId() != null) {
            emit(JournalEvent.Type.CALL_SURVEYED, i.queue(), i.agentId(), csat, null, i.end());
        }
        Long length = i.start() == null || i.end() == null ? null : Duration.between(i.start(), i.end()).toMillis();
        journal.emit(event(JournalEvent.Type.CALL_ENDED, i.queue(), i.agentId(),
                i.outcome() == null ? null : i.outcome().name(), length, i.end()).withCustomer(i.customerId()));
    }

    private void emit(JournalEvent.Type type, String queue, String agent, String detail, Long duration, Instant at) {
        journal.emit(event(type, queue, agent, detail, duration, at));
    }

    private JournalEvent event(JournalEvent.Type type, String queue, String agent, String detail, Long duration, Instant at) {
        return JournalEvent.of(at == null ? clock.instant() : at, type, callId, flow, node, queue, agent, duration,
                detail, null, server);
    }
}
