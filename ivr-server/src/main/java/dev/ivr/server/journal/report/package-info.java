/** Historical reports from the journal: tables per interval, queue, agent and flow, as CSV, JSON or text. */
package dev.ivr.server.journal.report;
