package dev.ivr.server.callcontext;

/**
 * Delivers what an agent's desktop must show, on whichever server of the cluster the desktop
 * is connected to. Implemented by the agent-desktop side (WebSocket hub over a cluster topic);
 * called by the routing side of a call.
 */
public interface ScreenPops {

    /** An agent is offered the call: show the context (the phone is about to ring). */
    void offered(String agentId, CallContext context);

    /** The agent answered: the conversation started. */
    void connected(String agentId, String callId);

    /** The call is over for the agent (hung up, not answered, abandoned). */
    void ended(String agentId, String callId, String reason);
}
