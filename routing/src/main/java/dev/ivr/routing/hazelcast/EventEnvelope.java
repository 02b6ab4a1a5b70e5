package dev.ivr.routing.hazelcast;

import dev.ivr.routing.RoutingEvent;

/** A routing event as published on the events topic. */
public record EventEnvelope(RoutingEvent event) implements Wire {
}
