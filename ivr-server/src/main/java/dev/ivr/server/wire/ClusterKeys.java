package dev.ivr.server.wire;

import com.hazelcast.core.HazelcastInstance;

/**
 * Keys derived from the secret the members of one cluster share, one per purpose, the same on every member
 * (the secret itself is {@code cluster.ClusterSecret}, which the composition root installs in the member).
 * Code below the cluster adapter derives its keys through this interface without depending on it.
 */
public interface ClusterKeys {
    /** Where the member keeps its keys (Hazelcast's user context). */
    String USER_CONTEXT_KEY = "dev.ivr.server.cluster.ClusterSecret";

    /** A 256-bit key for one purpose (e.g. {@code "ivr/context-tokens/v1"}); the same on every member. */
    byte[] derive(String purpose);

    /** The keys of the cluster this member belongs to. */
    static ClusterKeys of(HazelcastInstance hazelcast) {
        Object s = hazelcast.getUserContext().get(USER_CONTEXT_KEY);
        if (!(s instanceof ClusterKeys keys)) {
            throw new IllegalStateException("this Hazelcast member was not started with a cluster secret (ClusterMember.start)");
        }
        return keys;
    }
}
