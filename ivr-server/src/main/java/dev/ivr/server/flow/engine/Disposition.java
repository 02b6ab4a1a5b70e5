package dev.ivr.server.flow.engine;

import dev.ivr.server.crm.Interaction;
import java.time.Duration;

/**
 * What came of the call so far, for its interaction record: the outcome, the queue, the agent, wait and talk
 * time; whether it waits in a queue now, and whether a route node handed it to the dialplan.
 */
final class Disposition {
    Interaction.Outcome outcome;
    String queue;
    String agentId;
    Duration waitTime;
    Duration talkTime;
    boolean inQueue;
    /** The route node handed the call to the dialplan (IVR_STATUS=ROUTE): the end of the flow must not change IVR_STATUS. */
    boolean handedToDialplan;

    void outcome(Interaction.Outcome o) {
        outcome = o;
    }

    /** The outcome, unless one was set already. */
    void outcomeUnlessSet(Interaction.Outcome o) {
        if (outcome == null) {
            outcome = o;
        }
    }

    /** A route node starts: the call waits in {@code q}. */
    void queued(String q) {
        queue = q;
        inQueue = true;
    }

    /** The router returned: the call no longer waits. */
    void leftQueue() {
        inQueue = false;
    }

    void waited(Duration wait) {
        waitTime = wait;
    }

    /** An agent took the call (and talked for {@code talk}, when the router bridged it itself). */
    void connected(String agent, Duration wait, Duration talk) {
        agentId = agent;
        waitTime = wait;
        talkTime = talk;
        outcome = Interaction.Outcome.ROUTED;
    }

    /** The dialplan dials the agent once the flow ends. */
    void handedToDialplan(String agent, Duration wait) {
        handedToDialplan = true;
        agentId = agent;
        waitTime = wait;
        outcome = Interaction.Outcome.ROUTED;
    }
}
