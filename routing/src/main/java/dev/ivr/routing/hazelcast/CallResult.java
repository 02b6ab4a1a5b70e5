package dev.ivr.routing.hazelcast;

/**
 * What a {@link CallCommand} did.
 *
 * @param before the record before (null if there was no such call)
 * @param after  the record after (null if removed or absent)
 */
public record CallResult(boolean applied, CallRecord before, CallRecord after) implements Wire {
}
