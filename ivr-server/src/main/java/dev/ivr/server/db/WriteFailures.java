package dev.ivr.server.db;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether writes to the database currently fail, and why: set by the writers after each
 * write, read by health. A success clears it.
 */
public final class WriteFailures {
    private record Failure(String reason, Instant since, long count) {
    }

    private volatile Failure current;
    private final AtomicLong total = new AtomicLong();

    /** A write could not be made (the database refused or lost it; not bad data). */
    public synchronized void failed(String reason) {
        total.incrementAndGet();
        Failure f = current;
        current = f == null ? new Failure(reason, Instant.now(), 1) : new Failure(reason, f.since(), f.count() + 1);
    }

    /** A write went through: the database writes again. */
    public synchronized void succeeded() {
        current = null;
    }

    /** Writes that failed since the server started. */
    public long total() {
        return total.get();
    }

    /** Why writes fail now, or null when the last write went through. */
    public String describe() {
        Failure f = current;
        return f == null ? null : f.count() + " write(s) failed since " + f.since() + ", the last: " + f.reason();
    }
}
