package dev.ivr.routing;

import java.time.Duration;
import java.time.Instant;

/**
 * An agent reserved for a call: dial {@link #endpoint()} for at most {@link #ringTime()}, then report
 * {@link RoutingService#answered}, {@link RoutingService#offerFailed} and later {@link RoutingService#callEnded}.
 *
 * @param offer sequence number of this offer for the call (1 for the first)
 */
public record Reservation(String callId, String queueId, String agentId, String agentName, String endpoint,
                          int offer, Instant offeredAt, Duration ringTime) {
}
