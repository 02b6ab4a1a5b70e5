/**
 * The event journal: {@link dev.ivr.server.journal.JournalEvent} (what happened to a call, a queue
 * or an agent) and the {@link dev.ivr.server.journal.Journal} port. {@code journal.store} keeps the
 * events (outbox on disk, then the database); {@code journal.sources} turns what the flow engine and
 * routing report into events.
 */
package dev.ivr.server.journal;
