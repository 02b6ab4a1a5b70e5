package dev.ivr.routing;

import java.time.Duration;
import java.time.Instant;

/**
 * Events published cluster-wide; every node's subscribers receive every event. Small immutable records,
 * meant to be forwarded (for example as JSON) to dashboards and agent desktops.
 */
public sealed interface RoutingEvent {

    /** Reason of {@link CallAbandoned} when the caller hung up. */
    String CALLER_HANGUP = "caller-hangup";
    /** Reason of {@link CallAbandoned} when the node owning the call left the cluster (the call died with it). */
    String OWNER_LEFT = "owner-node-left";

    Instant at();

    record AgentStateChanged(String agentId, AgentState from, AgentState to, String reasonCode, String callId,
                             Instant at) implements RoutingEvent {
    }

    record CallQueued(String callId, String queueId, int priority, String ownerNode, Instant at)
            implements RoutingEvent {
    }

    record CallOffered(String callId, String queueId, String agentId, int offer, Instant at) implements RoutingEvent {
    }

    /** An offer failed (not answered, busy, reservation expired): the call is back at the head of its queue. */
    record CallRequeued(String callId, String queueId, String agentId, String reason, Instant at)
            implements RoutingEvent {
    }

    record CallAnswered(String callId, String queueId, String agentId, Duration waited, Instant at)
            implements RoutingEvent {
    }

    record CallAbandoned(String callId, String queueId, Duration waited, String reason, Instant at)
            implements RoutingEvent {
    }

    record MaxWaitReached(String callId, String queueId, String target, Duration waited, Instant at)
            implements RoutingEvent {
    }
}
