package dev.ivr.routing.hazelcast;

import com.hazelcast.cluster.Member;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Timed rules and departed nodes, on the routing thread: wrap-ups and reservations that ran out, offers left by a
 * node that died, calls and agents of nodes that left the cluster (done by the oldest member only), and the
 * periodic pass over this node's waiting calls.
 */
final class Maintenance extends RoutingPart {
    /** Every this many maintenance runs, all waiting calls are tried again, changed or not. */
    private static final int FULL_PASS_EVERY = 10;
    private int maintenanceRuns;

    Maintenance(RoutingContext ctx) {
        super(ctx);
    }

    @Override

    void maintain() {
        guarded(() -> {
            view.purgeTombstones();
            flushStats();
            if (isOldestMember()) {
                long now = now();
                expireWrapUps(now);
                expireReservations(now);
                repairStaleOffers(now);
                cleanUpDepartedOwners();
            }
            dispatchOwnedCalls(++maintenanceRuns % FULL_PASS_EVERY == 0);
        });
    }

    private void expireWrapUps(long now) {
        for (AgentEntry agent : view.agents()) {
            if (agent.record.state() == AgentState.WRAP_UP && agent.record.wrapUpUntil() <= now) {
                AgentResult r = agentCommand(agent.id(), AgentCommand.simple(AgentCommand.Op.WRAP_UP_EXPIRED, now));
                if (r.applied()) {
                    publishStateChange(r, agent.record.callId());
                    if (r.record().state() == AgentState.READY) {
                        offerAgent(agent.id());
                    }
                }
            }
        }
    }

    private void expireReservations(long now) {
        for (AgentEntry agent : view.agents()) {
            AgentRecord record = agent.record;
            if (record.state() == AgentState.RESERVED && record.reservedUntil() <= now) {
                String callId = record.callId();
                AgentResult r = agentCommand(agent.id(), AgentCommand.forCall(AgentCommand.Op.EXPIRE, callId, now));
                if (r.applied()) {
                    log.warn("reservation of agent {} for call {} expired", agent.id(), callId);
                    publishStateChange(r, callId);
                    requeue(callId, agent.id(), RESERVATION_EXPIRED, now);
                    if (r.record().state() == AgentState.READY) {
                        offerAgent(agent.id());
                    }
                }
            }
        }
    }

    /**
     * Calls still marked offered well after their reservation should have ended: a node died between two
     * steps. If the agent is on the call, the call was answered; otherwise it goes back to its queue.
     */
    private void repairStaleOffers(long now) {
        for (CallEntry call : view.calls()) {
            CallRecord record = call.record;
            if (!record.isOffered() || record.offeredAt() + 2 * ttlMillis > now) {
                continue;
            }
            AgentRecord agent = agentMap.get(record.agentId());
            if (agent != null && agent.holds(record.callId())) {
                if (agent.state() != AgentState.RESERVED) {
                    callCommand(record.callId(), CallCommand.of(CallCommand.Op.REMOVE_IF_OFFERED, record.agentId(), now));
                }
            } else {
                requeue(record.callId(), record.agentId(), RESERVATION_EXPIRED, now);
            }
        }
    }

    /** Removes the calls owned by nodes that are no longer members, and frees the agents that held them. */
    @Override
    void cleanUpDepartedOwners() {
        if (!isOldestMember()) {
            return;
        }
        Set<String> members = new HashSet<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            members.add(member.getUuid().toString());
        }
        long now = now();
        for (CallEntry call : view.calls()) {
            String owner = call.record.owner();
            if (members.contains(owner) || !call.record.isOffered()
                    && now - view.departed.leftAt(owner, now) < options.ownerLeftGrace().toMillis()) {
                continue; // a waiting call of a departed node keeps its place for the grace period: adopt()
            }
            CallResult r = callCommand(call.id(), CallCommand.of(CallCommand.Op.REMOVE_IF_OWNER, owner, now));
            if (r.applied()) {
                CallRecord removed = r.before();
                log.warn("call {} in queue {} removed: its node {} left the cluster", removed.callId(),
                        removed.queueId(), owner);
                publish(new RoutingEvent.CallAbandoned(removed.callId(), removed.queueId(),
                        Duration.ofMillis(Math.max(0, now - removed.enqueuedAt())), RoutingEvent.OWNER_LEFT,
                        Instant.ofEpochMilli(now)));
                if (removed.agentId() != null) {
                    // offered: the PBX may ring or bridge the agent's phone still, and nobody will report its end
                    ownerLost(removed.agentId(), owner, removed.queueId(), removed.isOfferedTo(removed.agentId()), now);
                }
            }
        }
        for (AgentEntry agent : view.agents()) {
            AgentRecord record = agent.record;
            if (record.state() == AgentState.RESERVED && record.reservedBy() != null
                    && !members.contains(record.reservedBy()) && members.contains(record.callOwner())) {
                // reserved by a node that died before offering the call: nobody will finish that pairing
                CallRecord call = callMap.get(record.callId());
                if (call == null || !call.isOfferedTo(agent.id())) {
                    freeAgent(agent.id(), record.callId(), now);
                }
                continue;
            }
            if (record.state().isBusy() && record.callOwner() != null && !members.contains(record.callOwner())) {
                // on the call, or reserved for a call whose record is gone: the phone may be in use
                ownerLost(agent.id(), record.callOwner(), record.queueId(), true, now);
            }
        }
    }

    /**
     * The agent's call belonged to a node that left. An agent whose phone may be in that call (connected, or
     * offered: the PBX rings or bridges it still, and no node will hear of its end) is kept in wrap-up for the
     * queue's wrap-up time, at least {@link RoutingOptions#ownerLostHold()}; an agent only reserved is released.
     */
    private void ownerLost(String agentId, String owner, String queueId, boolean phoneMayBeInUse, long now) {
        QueueRules rules = queueId == null ? null : view.queue(queueId);
        long wrapUp = rules == null ? 0 : rules.definition.wrapUp().toMillis();
        long hold = phoneMayBeInUse ? Math.max(wrapUp, options.ownerLostHold().toMillis()) : 0;
        AgentResult r = agentCommand(agentId, AgentCommand.ownerLost(owner, hold, now));
        if (r.applied()) {
            if (r.record().state() == AgentState.WRAP_UP) {
                log.warn("agent {} kept in wrap-up until {}: the node {} of its call {} left while its phone rang or"
                        + " talked", agentId, Instant.ofEpochMilli(r.record().wrapUpUntil()), owner, r.record().callId());
            }
            publishStateChange(r, r.record().callId());
            if (r.record().state() == AgentState.READY) {
                offerAgent(agentId);
            }
        }
    }
}
