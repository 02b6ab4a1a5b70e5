package dev.ivr.server.flow.route;

import java.time.Duration;

/** How routing ended; each leads the {@code route} node to one of its edges. */
public sealed interface RouteResult {

    /** An agent took the call; the conversation is over when this returns. */
    record Connected(String agentId, Duration waitTime, Duration talkTime) implements RouteResult {
    }

    /**
     * An agent is reserved and the dialplan dials them after the AGI script ends (routing's
     * dial mode {@code dialplan}): the flow ends here without hanging up.
     */
    record HandedToDialplan(String agentId, Duration waitTime) implements RouteResult {
    }

    /** The caller chose to be called back and keeps the place in the queue; the call can end. */
    record CallbackScheduled(String number, Duration waitTime) implements RouteResult {
    }

    /** No agent within the node's max-wait. */
    record TimedOut(Duration waitTime) implements RouteResult {
    }

    /** Nobody with the skills is logged in: waiting makes no sense. */
    record NoAgents() implements RouteResult {
    }

    /** Routing could not be done (misconfiguration, the cluster unreachable). */
    record Failed(String reason) implements RouteResult {
    }

    /** The caller pressed one of the wait options. */
    record KeyPressed(char key, Duration waitTime) implements RouteResult {
    }

    /** The caller hung up while waiting (abandoned in queue). */
    record CallerHungUp(Duration waitTime) implements RouteResult {
    }
}
