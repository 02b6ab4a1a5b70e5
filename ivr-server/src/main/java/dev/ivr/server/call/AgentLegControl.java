package dev.ivr.server.call;

/**
 * Ends a connected agent's leg of a call from outside the call: a transfer from the agent's
 * desktop ends the agent's side, and the server running the call (blocked in {@code Dial})
 * then carries on with the caller. Implemented over the PBX's manager interface.
 */
public interface AgentLegControl {
    /** Without a manager interface nothing can be ended. */
    AgentLegControl NONE = endpoint -> {
        throw new IllegalStateException("transfers need the PBX's manager interface (ami.enabled)");
    };

    /**
     * Hangs up the channels of an agent's endpoint (e.g. {@code PJSIP/1001}: its channels are
     * {@code PJSIP/1001-0000002a}); agents take one call at a time, so that is the agent's leg.
     *
     * @return how many channels were hung up (0: the agent's phone has no call)
     * @throws IllegalStateException when the PBX cannot be asked
     */
    int hangUpAgentLeg(String endpoint);
}
