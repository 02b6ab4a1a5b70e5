package dev.ivr.routing.hazelcast;

import dev.ivr.routing.CallRequest;

import java.util.Map;

/**
 * A waiting call as stored in the calls map. Immutable. {@link #agentId()} is set while the call is offered.
 *
 * @param skills      the call's own requirements (the queue's are merged in when matching)
 * @param incarnation random per enqueue, so that replicas tell a re-queued call id from its previous life
 * @param head        served before the other calls of its queue (set when an offer failed)
 * @param token       token of the last applied {@link CallCommand} (see {@link AgentCommand})
 * @param pbx         the PBX the call is on, null when unknown ({@link dev.ivr.routing.PbxAffinity})
 */
public record CallRecord(String callId, String queueId, Map<String, Integer> skills, String language, int priority,
                         String preferredAgent, String owner, long enqueuedAt, long incarnation, boolean head,
                         String agentId, String agentName, String endpoint, long offeredAt, int offers,
                         long version, long token, String pbx) implements Wire {

    public CallRecord {
        skills = Map.copyOf(skills);
    }

    static CallRecord waiting(CallRequest r, String owner, long incarnation, long now) {
        return new CallRecord(r.callId(), r.queueId(), r.requiredSkills(), r.language(), r.priority(),
                r.preferredAgentId(), owner, now, incarnation, false, null, null, null, 0, 0, 1, 0, r.pbx());
    }

    boolean isOffered() {
        return agentId != null;
    }

    boolean isOfferedTo(String agent) {
        return agent.equals(agentId);
    }

    /** WAITING to offered to an agent. */
    CallRecord offer(String agent, String name, String agentEndpoint, long now) {
        if (isOffered()) {
            return null;
        }
        return new CallRecord(callId, queueId, skills, language, priority, preferredAgent, owner, enqueuedAt,
                incarnation, head, agent, name, agentEndpoint, now, offers + 1, version + 1, 0, pbx);
    }

    /** Offered to {@code agent} back to waiting, at the head of its queue. */
    CallRecord requeue(String agent) {
        if (!isOfferedTo(agent)) {
            return null;
        }
        return new CallRecord(callId, queueId, skills, language, priority, preferredAgent, owner, enqueuedAt,
                incarnation, true, null, null, null, 0, offers, version + 1, 0, pbx);
    }

    /** The same waiting call, owned by another node (it keeps its place, enqueue time and incarnation). */
    CallRecord ownedBy(String node) {
        return new CallRecord(callId, queueId, skills, language, priority, preferredAgent, node, enqueuedAt,
                incarnation, head, agentId, agentName, endpoint, offeredAt, offers, version + 1, 0, pbx);
    }

    CallRecord stamped(long commandToken) {
        return new CallRecord(callId, queueId, skills, language, priority, preferredAgent, owner, enqueuedAt,
                incarnation, head, agentId, agentName, endpoint, offeredAt, offers, version, commandToken, pbx);
    }
}
