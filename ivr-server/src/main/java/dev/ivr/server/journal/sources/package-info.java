/** Turns what the flow engine, routing and callbacks report into journal events. */
package dev.ivr.server.journal.sources;
