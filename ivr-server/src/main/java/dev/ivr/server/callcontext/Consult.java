package dev.ivr.server.callcontext;

import dev.ivr.server.wire.ClusterValue;

import java.time.Instant;

/**
 * An agent's consult (attended) transfer of their connected call, kept in the cluster while it lasts: the agent
 * talks to the target first while the caller holds, then completes it (the caller is connected to the target, the
 * agent leaves) or cancels it (back to the caller). The desktop's server writes the agent's decisions; the server
 * running the call carries them out and writes how far the consult got.
 *
 * @param transfer      where to, why, who (as a blind transfer)
 * @param agentChannel  the consulting agent's channel (exact name), held in the consult context meanwhile
 * @param phase         how far it got
 * @param targetAgent   the agent who took the consult (queue and agent targets), or null
 * @param targetChannel the target's channel (exact name) once it answered, or null
 * @param detail        why it failed, or null
 */
public record Consult(Transfer transfer, String agentChannel, Phase phase, String targetAgent, String targetChannel,
                      String detail, Instant changedAt) implements ClusterValue {

    /** How far a consult got. */
    public enum Phase {
        /** the caller holds, the target is being found (a queue) or rung */
        CALLING,
        /** the target answered: the agent and the target talk */
        TALKING,
        /** the agent completed it: the caller is being connected to the target */
        COMPLETE,
        /** the agent cancelled it: the caller is being connected back to the agent */
        CANCEL,
        /** the target could not be reached (no agent, no answer, a failure): back to the caller */
        FAILED;

        public boolean decided() {
            return this == COMPLETE || this == CANCEL || this == FAILED;
        }
    }

    public String callId() {
        return transfer.callId();
    }

    public Consult with(Phase p, String agent, String channel, String why, Instant at) {
        return new Consult(transfer, agentChannel, p, agent, channel, why, at);
    }

    @Override
    public String key() {
        return transfer.callId();
    }
}
