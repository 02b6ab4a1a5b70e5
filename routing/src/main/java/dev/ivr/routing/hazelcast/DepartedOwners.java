package dev.ivr.routing.hazelcast;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Nodes that left the cluster, with the time this node learnt it. Their waiting calls are not offered to agents
 * (nobody would connect them) and are kept for the grace period so that another node can adopt them.
 * Member ids are never reused, so the set only grows (by one id per member that ever left).
 */
final class DepartedOwners {
    private final ConcurrentHashMap<String, Long> leftAt = new ConcurrentHashMap<>();

    void left(String node, long now) {
        leftAt.putIfAbsent(node, now);
    }

    boolean departed(String node) {
        return node != null && leftAt.containsKey(node);
    }

    /** When the node was found gone (recorded now if this is the first time). */
    long leftAt(String node, long now) {
        return leftAt.computeIfAbsent(node, n -> now);
    }
}
