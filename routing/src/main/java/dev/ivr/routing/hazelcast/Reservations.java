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
            return false;
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
