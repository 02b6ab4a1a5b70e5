package dev.ivr.server.prompt.render;

import java.util.Optional;

/**
 * Rendered audio shared by the servers of a cluster, by file name ({@code <key>.<ext>}): one
 * server synthesises, the others copy. Implementations must tolerate loss (it is a cache).
 */
public interface SharedAudio {
    SharedAudio NONE = new SharedAudio() {
        @Override
        public Optional<byte[]> get(String name) {
            return Optional.empty();
        }

        @Override
        public void put(String name, byte[] bytes) {
        }
    };

    Optional<byte[]> get(String name);

    void put(String name, byte[] bytes);
}
