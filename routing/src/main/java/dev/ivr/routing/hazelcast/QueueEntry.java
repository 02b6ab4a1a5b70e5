package dev.ivr.routing.hazelcast;

import dev.ivr.routing.QueueDefinition;

/** A queue definition as stored in the queues map. */
public record QueueEntry(QueueDefinition definition) implements Wire {
}
