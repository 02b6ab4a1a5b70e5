package dev.ivr.server.flow.engine;

import java.util.Optional;

/**
 * Where a call's position and variables are saved after each node (but the replayable ones), by the call's unique id,
 * so that another server can resume the call if this one dies. Never receives secrets.
 */
public interface Checkpoints {
    /** No checkpoints (simulator, flow tests). */
    Checkpoints NONE = new Checkpoints() {
        @Override
        public void save(String callId, String state) {
        }

        @Override
        public Optional<String> load(String callId) {
            return Optional.empty();
        }

        @Override
        public void delete(String callId) {
        }
    };

    void save(String callId, String state);

    Optional<String> load(String callId);

    void delete(String callId);

    /**
     * The call's checkpoint, as {@link #load}; and when it has none, {@code first} saved as its first checkpoint in the
     * same operation, by a store that can do both at once ({@link #claims()}: the cluster's, one {@code putIfAbsent}
     * where it took a {@code get} and, after the call's opening, a {@code set}). The default only loads.
     *
     * @return the checkpoint found (the call resumes from it; {@code first} was not saved), or empty
     */
    default Optional<String> loadOrClaim(String callId, String first) {
        return load(callId);
    }

    /** Whether {@link #loadOrClaim} saves its {@code first} when it finds nothing. */
    default boolean claims() {
        return false;
    }
}
