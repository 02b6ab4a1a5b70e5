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

    /**
     * Claims the rendering of a name ahead of calls for a while, so that servers starting together
     * do not all synthesise the same texts: true when this server should render it (nobody else
     * claimed it, or the cluster cannot tell). A claim lapses by itself; a call never waits on one.
     */
    default boolean claim(String name) {
        return true;
    }
}
