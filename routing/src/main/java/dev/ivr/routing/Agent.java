package dev.ivr.routing;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of an agent. Agents have a capacity of one voice call: while {@link #state()} is
 * {@link AgentState#RESERVED} or {@link AgentState#ON_CALL}, {@link #callId()} names that call.
 *
 * @param stateSince    when the current state began
 * @param reasonCode    reason code of {@link AgentState#NOT_READY}; in {@link AgentState#WRAP_UP}, {@link RoutingEvent#OWNER_LEFT} when the agent is held because the node of its call left; otherwise null
 * @param callId        call offered to or connected to the agent (RESERVED, ON_CALL, WRAP_UP), otherwise null
 * @param queueId       queue of that call, otherwise null
 * @param idleSince     when the agent became ready (used for "longest idle"), null unless READY
 * @param wrapUpUntil   when a timed wrap-up ends, null unless WRAP_UP
 * @param pendingReasonCode a not-ready reason asked for during a call, applied when its wrap-up ends; null if none
 */
public record Agent(String id, String name, String endpoint, Map<String, Integer> skills, Set<String> languages,
                    AgentState state, Instant stateSince, String reasonCode, String callId, String queueId,
                    Instant idleSince, Instant wrapUpUntil, String pendingReasonCode) {

    /** The agent's level in a skill, 0 when the agent lacks it. */
    public int level(String skill) {
        Integer level = skills.get(skill);
        return level == null ? 0 : level;
    }
}
