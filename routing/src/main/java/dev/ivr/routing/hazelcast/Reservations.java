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
        AgentResult a = agentCommand(reservation.agentId(), AgentCommand.forCall(AgentCommand.Op.ANSWER, callId, now));
        if (!a.applied()) {
            return false;
        }
        publishStateChange(a, callId);
        CallResult c = callCommand(callId, CallCommand.of(CallCommand.Op.REMOVE_IF_OFFERED, reservation.agentId(), now));
        if (c.applied()) {
            CallRecord call = c.before();
            long waited = now - call.enqueuedAt();
            QueueRules rules = view.queue(call.queueId());
            boolean inTarget = rules == null || waited <= rules.definition.serviceLevel().threshold().toMillis();
            recordStats(call.queueId(), now, new int[]{QueueStatsRecord.ANSWERED, QueueStatsRecord.ANSWERED_IN_TARGET},
                    new long[]{1, inTarget ? 1 : 0});
            publish(new RoutingEvent.CallAnswered(callId, call.queueId(), reservation.agentId(),
                    Duration.ofMillis(waited), Instant.ofEpochMilli(now)));
        } else {
            log.warn("call {} answered by {} was no longer offered to that agent", callId, reservation.agentId());
        }
        return true;
    }

    /**
     * The agent answered after the reservation ended (it ran out while the phone rang; the call went back to its
     * queue and may be offered to another agent by now): accepted when the call still waits in its queue and the
     * agent is READY. The agent is reserved for the call and goes ON_CALL, the call leaves the queue (an agent it
     * is offered to meanwhile is released), and {@link RoutingEvent.CallAnswered} counts the real wait. Refused
     * (false, do not connect) when the call is gone (answered by another agent, abandoned) or the agent is not free.
     */
    private boolean lateAnswer(Reservation reservation) {
        String callId = reservation.callId();
        String agentId = reservation.agentId();
        CallRecord waiting = callMap.get(callId);
        AgentRecord agent = agentMap.get(agentId);
        if (waiting == null || agent == null || agent.state() != AgentState.READY) {
            log.warn("late answer of call {} by agent {} refused: {}", callId, agentId,
                    waiting == null ? "the call is no longer queued" : "the agent is not ready");
            return false;
        }
        long now = now();
        AgentResult reserved = agentCommand(agentId, AgentCommand.reserve(agent.session(), callId, waiting.queueId(),
                waiting.owner(), now + ttlMillis, now, nodeId));
        if (!reserved.applied()) {
            log.warn("late answer of call {} by agent {} refused: the agent is no longer ready", callId, agentId);
            return false;
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
        long waited = now - call.enqueuedAt();
        QueueRules rules = view.queue(call.queueId());
        boolean inTarget = rules == null || waited <= rules.definition.serviceLevel().threshold().toMillis();
        recordStats(call.queueId(), now, new int[]{QueueStatsRecord.ANSWERED, QueueStatsRecord.ANSWERED_IN_TARGET},
                new long[]{1, inTarget ? 1 : 0});
        publish(new RoutingEvent.CallAnswered(callId, call.queueId(), agentId, Duration.ofMillis(waited),
                Instant.ofEpochMilli(now)));
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
