package dev.ivr.server.callback;

import java.util.List;
import java.util.Optional;

/** Where callbacks are kept beyond the cluster's memory (the database). */
public interface CallbackStore {

    /** Inserts or replaces a callback. @throws RuntimeException when the database cannot be written */
    void save(StoredCallback callback);

    /** Callbacks not yet done, failed or cancelled. */
    List<StoredCallback> open();

    /** One callback. */
    Optional<StoredCallback> get(String id);

    /** Keeps nothing (tests, and servers without a database). */
    CallbackStore NONE = new CallbackStore() {
        @Override
        public void save(StoredCallback callback) {
        }

        @Override
        public List<StoredCallback> open() {
            return List.of();
        }

        @Override
        public Optional<StoredCallback> get(String id) {
            return Optional.empty();
        }
    };
}
