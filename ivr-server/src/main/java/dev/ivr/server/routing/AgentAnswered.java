package dev.ivr.server.routing;

/**
 * Told when an agent answers a call, as soon as the answer subroutine reports it (the agent's leg is
 * about to be bridged to the caller): call recording starts there. Runs on the reporting script's
 * thread; must not block long.
 */
@FunctionalInterface
public interface AgentAnswered {
    AgentAnswered NONE = (callId, queue, agentId) -> { };

    void answered(String callId, String queue, String agentId);
}
