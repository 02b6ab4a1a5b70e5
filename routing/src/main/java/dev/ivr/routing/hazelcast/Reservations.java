package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentState;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingEvent;
import java.time.Duration;
import java.time.Instant;

/** The end of an offer: answered, failed (the call goes back to the head of its queue), and the call's end (wrap-up). */
final class Reservations extends RoutingPart {
    Reservations(RoutingContext ctx) {
        super(ctx);
    }

    /**
     * Whether the call is offered to the agent: from this node's view when it says so (always the case on the
     * owner after {@link Calls#awaitAgent}), otherwise from the cluster. An agent reserved for a call that is not
     * (yet) offered to it is in the middle of another node's reservation and must not be answered for.
     */
    private boolean isOffered(Reservation reservation) {
        CallEntry call = view.call(reservation.callId());
        if (call != null && call.record.isOfferedTo(reservation.agentId())) {
            return true;
        }
        CallRecord record = callMap.get(reservation.callId());
        if (record != null) {
            onCallRecord(record);
        }
        return record != null && record.isOfferedTo(reservation.agentId());
    }

    public boolean answered(Reservation reservation) {
        if (!isOffered(reservation)) {
            return lateAnswer(reservation);
        }
        long now = now();
        String callId = reservation.callId();
        String agentId = reservation.agentId();
        AgentResult a = agentCommand(agentId, AgentCommand.forCall(AgentCommand.Op.ANSWER, callId, now));
        if (!a.applied()) {
            // the reservation ended between the two reads (it ran out, or was released): a late answer
            return lateAnswer(reservation);
        }
        publishStateChange(a, callId);
        CallResult c = callCommand(callId, CallCommand.of(CallCommand.Op.REMOVE_IF_OFFERED, agentId, now));
        if (c.applied()) {
            countAnswer(c.before(), agentId, now);
            return true;
        }
        // The agent was still reserved for the call, but the call is no longer offered to it: the reservation ran
        // out in between (the call went back to its queue, maybe offered to another agent), or the call left. As for
        // a late answer: accepted while the call still waits (it leaves its queue, another agent is released),
        // refused when it is gone, and then the agent is not left on it.
        CallResult waiting = callCommand(callId, CallCommand.of(CallCommand.Op.REMOVE, null, now));
        if (waiting.applied()) {
            String other = waiting.before().agentId();
            if (other != null && !other.equals(agentId)) {
                freeAgent(other, callId, now);
            }
            countAnswer(waiting.before(), agentId, now);
            log.warn("agent {} answered call {} as its reservation ended: accepted, the call was still queued",
                    agentId, callId);
            return true;
        }
        AgentResult undo = agentCommand(agentId, AgentCommand.callEnded(callId, 0, now));
        if (undo.applied()) {
            publishStateChange(undo, callId);
            if (undo.record().state() == AgentState.READY) {
                offerAgent(agentId);
            }
        }
        log.warn("answer of call {} by agent {} refused: the call left its queue as the reservation ended", callId,
                agentId);
        return false;
    }

    /** The call left its queue answered by the agent: counted once (queue figures, {@link RoutingEvent.CallAnswered}). */
    private void countAnswer(CallRecord call, String agentId, long now) {
        long waited = now - call.enqueuedAt();
        QueueRules rules = view.queue(call.queueId());
        boolean inTarget = rules == null || waited <= rules.definition.serviceLevel().threshold().toMillis();
        recordStats(call.queueId(), now, new int[]{QueueStatsRecord.ANSWERED, QueueStatsRecord.ANSWERED_IN_TARGET},
                new long[]{1, inTarget ? 1 : 0});
        publish(new RoutingEvent.CallAnswered(call.callId(), call.queueId(), agentId, Duration.ofMillis(waited),
                Instant.ofEpochMilli(now)));
    }

    /**
     * The agent answered after the reservation ended (it ran out while the phone rang; the call went back to its
     * queue and may be offered to another agent by now): accepted when the call still waits in its queue and the
     * agent is READY (or reserved for this call again). The agent is reserved for the call and goes ON_CALL, the call leaves the queue (an agent it
     * is offered to meanwhile is released), and {@link RoutingEvent.CallAnswered} counts the real wait. Refused
     * (false, do not connect) when the call is gone (answered by another agent, abandoned) or the agent is not free.
     */
    private boolean lateAnswer(Reservation reservation) {
        String callId = reservation.callId();
        String agentId = reservation.agentId();
        CallRecord waiting = callMap.get(callId);
        AgentRecord agent = agentMap.get(agentId);
        // reserved for this call again (re-offered to the same agent, or the offer not yet marked on the call)
        boolean reservedForIt = agent != null && agent.state() == AgentState.RESERVED && agent.holds(callId);
        long now = now();
        if (waiting == null) {
            if (reservedForIt) {
                freeAgent(agentId, callId, now); // not left reserved for a call that is gone
            }
            log.warn("late answer of call {} by agent {} refused: the call is no longer queued", callId, agentId);
            return false;
        }
        if (agent == null || (agent.state() != AgentState.READY && !reservedForIt)) {
            log.warn("late answer of call {} by agent {} refused: the agent is not ready", callId, agentId);
            return false;
        }
        if (!reservedForIt) {
            AgentResult reserved = agentCommand(agentId, AgentCommand.reserve(agent.session(), callId,
                    waiting.queueId(), waiting.owner(), now + ttlMillis, now, nodeId));
            if (!reserved.applied()) {
                log.warn("late answer of call {} by agent {} refused: the agent is no longer ready", callId, agentId);
                return false;
            }
        }
        CallResult c = callCommand(callId, CallCommand.of(CallCommand.Op.REMOVE, null, now));
        if (!c.applied()) {
            freeAgent(agentId, callId, now); // the call left the queue in the meantime
            log.warn("late answer of call {} by agent {} refused: the call is no longer queued", callId, agentId);
            return false;
        }
        AgentResult a = agentCommand(agentId, AgentCommand.forCall(AgentCommand.Op.ANSWER, callId, now));
        if (a.applied()) {
            publishStateChange(a, callId);
        }
        CallRecord call = c.before();
        String other = call.agentId();
        if (other != null && !other.equals(agentId)) {
            freeAgent(other, callId, now); // the call was offered to another agent meanwhile
        }
        countAnswer(call, agentId, now);
        log.warn("agent {} answered call {} after its reservation ended: accepted, the call was still queued",
                agentId, callId);
        return true;
    }

    public boolean offerFailed(Reservation reservation, String reasonCode) {
        if (!isOffered(reservation)) {
            return false;
        }
        long now = now();
        String reason = reasonCode == null || reasonCode.isBlank() ? "no-answer" : reasonCode;
        String callId = reservation.callId();
        AgentResult a = agentCommand(reservation.agentId(), AgentCommand.offerFailed(callId, reason, now));
        if (!a.applied()) {
            return false;
        }
        publishStateChange(a, callId);
        requeue(callId, reservation.agentId(), reason, now);
        return true;
    }

    /** Puts a call offered to an agent back at the head of its queue and offers it to the next agent. */
    @Override
    void requeue(String callId, String agentId, String reason, long now) {
        CallResult c = callCommand(callId, CallCommand.of(CallCommand.Op.REQUEUE, agentId, now));
        if (c.applied()) {
            publish(new RoutingEvent.CallRequeued(callId, c.after().queueId(), agentId, reason,
                    Instant.ofEpochMilli(now)));
            offerCall(callId);
        }
    }

    public boolean callEnded(Reservation reservation) {
        long now = now();
        QueueRules rules = view.queue(reservation.queueId());
        long wrapUp = rules == null ? 0 : rules.definition.wrapUp().toMillis();
        AgentResult a = agentCommand(reservation.agentId(),
                AgentCommand.callEnded(reservation.callId(), wrapUp, now));
        if (!a.applied()) {
            return false;
        }
        publishStateChange(a, reservation.callId());
        recordStats(reservation.queueId(), now, new int[]{QueueStatsRecord.HANDLE_MILLIS, QueueStatsRecord.HANDLED},
                new long[]{Math.max(0, now - a.fromSince()), 1});
        if (a.record().state() == AgentState.READY) {
            offerAgent(reservation.agentId());
        }
        return true;
    }
}
