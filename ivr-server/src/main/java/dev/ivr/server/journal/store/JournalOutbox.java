package dev.ivr.server.journal.store;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.outbox.Outbox;

import java.nio.file.Path;

/** Journal events on local disk until the database has them (segment files {@code events-*.jsonl}; see {@link Outbox}). */
final class JournalOutbox extends Outbox<JournalEvent> {
    JournalOutbox(Path dir) {
        super(dir, "events-", JournalEvent.class, JournalEvent::callId, "journal event(s)");
    }
}
