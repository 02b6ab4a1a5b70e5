/** The contact-center KPIs as pure functions of journal events ({@link dev.ivr.server.journal.kpi.KpiCalculator}). */
package dev.ivr.server.journal.kpi;
