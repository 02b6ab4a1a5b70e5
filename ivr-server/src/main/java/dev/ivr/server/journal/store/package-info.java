/** The journal kept on the database through an outbox on local disk ({@link dev.ivr.server.journal.store.JdbcJournal}). */
package dev.ivr.server.journal.store;
