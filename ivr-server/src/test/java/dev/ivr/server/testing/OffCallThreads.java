package dev.ivr.server.testing;

import dev.ivr.server.wire.OffCallThread;

/**
 * The {@link OffCallThread} of the tests that make checkpoints or routing without a server of their own (a server,
 * {@code IvrServer}, makes and closes its own). Its threads are daemons that end when idle.
 */
public final class OffCallThreads {
    public static final OffCallThread SHARED = new OffCallThread();

    private OffCallThreads() {
    }
}
