package dev.ivr.server.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test opened (cluster members, databases, servers, fake PBXs ...), closed in the reverse order on
 * {@link #close()}, each on a best-effort basis: one that fails to close does not keep the others open.
 */
public final class Closer implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** Closes this too, before whatever was added earlier; returns it. */
    public <T extends AutoCloseable> T add(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // best effort: the rest still close
            }
        }
        open.clear();
    }
}
