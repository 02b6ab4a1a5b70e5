package dev.ivr.server.webhook.store;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.store.JournalCursor;
import dev.ivr.server.journal.store.JournalReader;
import dev.ivr.server.os.BackgroundThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The journal of the whole cluster, live: reads {@code journal_events} (every server writes there) every
 * {@code every} while someone listens, and hands each new event to the listeners once: rows are read by sequence
 * with an overlap ({@link JournalCursor}), so rows that commit out of sequence order (two servers writing at once)
 * are not missed and none is handed over twice.
 * Events that happened more than {@link #RECENT} ago are not streamed (a live view, not a replay). Listeners run on
 * the tail's thread: keep them short (the event stream hands over to a bounded queue).
 */
public final class JournalTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalTail.class);
    static final Duration RECENT = Duration.ofSeconds(60);

    private final BooleanSupplier ready;
    private final Duration every;
    private final Clock clock;
    private final List<Consumer<JournalEvent>> listeners = new CopyOnWriteArrayList<>();
    private final JournalCursor rows;
    private final Thread thread;
    private volatile boolean closed;
    /** Rows were read since someone listens (the first read's events from before the first listener are not streamed). */
    private boolean reading;
    private volatile java.time.Instant since = java.time.Instant.MAX;

    public JournalTail(JournalReader reader, BooleanSupplier ready, Duration every, Clock clock) {
        this.rows = new JournalCursor(reader);
        this.ready = ready;
        this.every = every;
        this.clock = clock;
        this.thread = BackgroundThreads.start("journal-tail", this::loop);
    }

    /** Hears every event of the cluster from now on. Close the result to stop. */
    public AutoCloseable subscribe(Consumer<JournalEvent> listener) {
        if (listeners.isEmpty()) {
            since = clock.instant(); // what happened before the first listener came is not streamed
        }
        listeners.add(listener);
        LockSupport.unpark(thread);
        return () -> listeners.remove(listener);
    }

    private void loop() {
        while (!closed) {
            if (listeners.isEmpty()) {
                reading = false; // nobody listens: read nothing, start afresh with the next listener
                rows.reset();
            } else if (ready.getAsBoolean()) {
                try {
                    poll();
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("journal tail: {}", e.toString());
                }
            }
            LockSupport.parkNanos(this, every.toNanos());
        }
    }

    void poll() throws SQLException {
        boolean first = !reading;
        for (JournalReader.Row r : rows.next(clock.instant().minus(RECENT))) {
            if (first && r.event().at().isBefore(since)) {
                continue; // from before the first listener came
            }
            for (Consumer<JournalEvent> l : listeners) {
                try {
                    l.accept(r.event());
                } catch (RuntimeException e) {
                    LOG.warn("journal tail listener failed: {}", e.toString());
                }
            }
        }
        reading = true;
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
