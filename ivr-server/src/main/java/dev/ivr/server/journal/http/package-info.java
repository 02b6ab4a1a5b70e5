/** The reports API over HTTP ({@link dev.ivr.server.journal.http.ReportRoutes}). */
package dev.ivr.server.journal.http;
