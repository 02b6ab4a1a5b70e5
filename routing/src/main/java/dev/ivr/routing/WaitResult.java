package dev.ivr.routing;

import java.time.Duration;

/** What {@link RoutingService#awaitAgent} returns. */
public sealed interface WaitResult {

    /** An agent is reserved for the call: dial it. */
    record Offered(Reservation reservation) implements WaitResult {
    }

    /** No agent yet; the call keeps its place. Play an announcement and wait again. */
    record Waiting(QueuePosition position) implements WaitResult {
    }

    /** The queue's maximum wait passed: the call has left the queue and goes to {@code target}. */
    record MaxWaitReached(String target, Duration waited) implements WaitResult {
    }

    /** The call is no longer in the queue (cancelled, or removed by the router). */
    record Removed(String reason) implements WaitResult {
    }
}
