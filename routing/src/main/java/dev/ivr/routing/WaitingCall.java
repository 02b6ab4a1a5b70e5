package dev.ivr.routing;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of a call in a queue.
 *
 * @param requiredSkills   the queue's and the call's requirements merged, before any relaxation
 * @param ownerNode        node that owns the call (its caller is connected there)
 * @param headOfQueue      true once an offer failed: the call is served before the others of its queue
 * @param offeredAgentId   agent the call is currently offered to, null while waiting
 * @param offers           how many times the call has been offered
 * @param pbx              the PBX the call is on, null when unknown
 */
public record WaitingCall(String callId, String queueId, Map<String, Integer> requiredSkills, String language,
                          int priority, String preferredAgentId, String ownerNode, Instant enqueuedAt,
                          boolean headOfQueue, String offeredAgentId, int offers, String pbx) {

    public boolean isOffered() {
        return offeredAgentId != null;
    }
}
