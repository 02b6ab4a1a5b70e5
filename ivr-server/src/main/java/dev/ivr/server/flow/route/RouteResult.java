package dev.ivr.server.flow.route;

import java.time.Duration;

/** How routing ended; each leads the {@code route} node to one of its edges. */
public sealed interface RouteResult {

    /** How it ended, for transcripts and logs: "connected to agent alice after waiting 40s (talked 4m)". */
    default String describe() {
        return switch (this) {
            case Connected c -> "connected to agent " + c.agentId() + " after waiting " + text(c.waitTime())
                    + " (talked " + text(c.talkTime()) + ")";
            case HandedToDialplan h -> "agent " + h.agentId() + " reserved after waiting " + text(h.waitTime())
                    + "; the dialplan dials them";
            case CallbackScheduled cb -> "callback booked to " + cb.number() + " after waiting " + text(cb.waitTime());
            case TimedOut t -> "no agent within the wait limit (waited " + text(t.waitTime()) + ")";
            case NoAgents n -> "no logged-in agent could take this call";
            case Failed f -> "routing failed: " + f.reason();
            case KeyPressed k -> "the caller pressed " + k.key() + " while waiting " + text(k.waitTime());
            case CallerHungUp h -> "the caller hung up after waiting " + text(h.waitTime());
        };
    }

    private static String text(Duration d) {
        return d == null ? "?" : dev.ivr.server.config.DurationText.format(d);
    }

    /**
     * An agent took the call; the conversation is over when this returns.
     *
     * @param survey the flow the caller goes on to now (the queue's post-call survey), null for the route node's
     *               {@code on-connected}
     */
    record Connected(String agentId, Duration waitTime, Duration talkTime, String survey) implements RouteResult {
        public Connected(String agentId, Duration waitTime, Duration talkTime) {
            this(agentId, waitTime, talkTime, null);
        }

        /** The same, then on to a post-call survey flow. */
        public Connected withSurvey(String flow) {
            return new Connected(agentId, waitTime, talkTime, flow);
        }
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
