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
}
