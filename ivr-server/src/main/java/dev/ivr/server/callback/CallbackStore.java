package dev.ivr.server.callback;

import java.util.List;
import java.util.Optional;

/** Where callbacks are kept beyond the cluster's memory (the database). */
public interface CallbackStore {

    /**
     * Inserts a callback or replaces its row, unless the row holds a higher {@link StoredCallback#version()}: a save
     * that comes late never puts an older state back.
     *
     * @return whether the row holds this version now (false: a newer one was there)
     * @throws RuntimeException when the database cannot be written
     */
    boolean save(StoredCallback callback);

    /** Callbacks not yet done, failed or cancelled. */
    List<StoredCallback> open();

    /** One callback. */
    Optional<StoredCallback> get(String id);

    /** Keeps nothing (tests, and servers without a database). */
    CallbackStore NONE = new CallbackStore() {
        @Override
        public boolean save(StoredCallback callback) {
            return true;
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
