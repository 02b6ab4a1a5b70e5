package dev.ivr.server.wire;

import dev.ivr.server.cluster.ClusterValueSerializer;

/**
 * A value the server keeps in or sends through the cluster (a map value, a topic message, an entry processor).
 * Implementations are records (or classes) of plain data; {@link ClusterValueSerializer} writes them as JSON,
 * sealed with the cluster's key, so another process reads only ciphertext and cannot forge one. Java
 * serialization is never used for them.
 *
 * <p>A value that is looked up by a key should carry that key and be checked against it when read
 * ({@link #key()}), so that a sealed value copied under another key is refused.
 */
public interface ClusterValue {
    /** The map key this value belongs under, when it has one; checked by readers with {@link #belongsTo}. */
    default String key() {
        return null;
    }

    /** Whether this value was written for {@code key} (a value moved to another key is not). */
    default boolean belongsTo(String key) {
        return key != null && key.equals(key());
    }
}
