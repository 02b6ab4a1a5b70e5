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

    /**
     * Moves a channel (its exact name) to a dialplan location, out of the call it is in (a consult transfer moves
     * the agent's channel to the consult context's hold).
     *
     * @throws IllegalStateException when the PBX cannot be asked or refuses (no such channel)
     */
    default void redirectLeg(String channel, String context, String exten) {
        throw new IllegalStateException("consult transfers need the PBX's manager interface (ami.enabled)");
    }

    /**
     * Sets a variable on a channel (its exact name).
     *
     * @throws IllegalStateException when the PBX cannot be asked or refuses (no such channel)
     */
    default void setChannelVariable(String channel, String name, String value) {
        throw new IllegalStateException("consult transfers need the PBX's manager interface (ami.enabled)");
    }
}
