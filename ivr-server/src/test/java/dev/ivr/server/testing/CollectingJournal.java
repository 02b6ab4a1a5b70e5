package dev.ivr.server.testing;

import dev.ivr.server.journal.Journal;
import dev.ivr.server.journal.JournalEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A journal that keeps the events emitted to it, in order, for a test to read ({@link #events}); no subscribers. */
public final class CollectingJournal implements Journal {
    private final List<JournalEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void emit(JournalEvent event) {
        events.add(event);
    }

    @Override
    public AutoCloseable subscribe(Consumer<JournalEvent> listener) {
        return () -> {
        };
    }

    /** The events emitted so far (a live view). */
    public List<JournalEvent> events() {
        return events;
    }
}
