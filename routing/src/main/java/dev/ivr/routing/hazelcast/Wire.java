package dev.ivr.routing.hazelcast;

/**
 * Marker of the objects that travel between members (map values, entry processors, results, events).
 * They are all written by {@link WireSerializer}, registered through {@link WireSerializerHook} with no
 * Hazelcast configuration needed.
 */
public interface Wire {
}
