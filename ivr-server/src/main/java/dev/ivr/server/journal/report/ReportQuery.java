package dev.ivr.server.journal.report;

import dev.ivr.server.journal.kpi.Intervals;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * What a report is asked for, parsed from text (query parameters, command-line options): a period, an interval, a
 * time zone, an optional queue, agent or flow, and a format. Bad input is an {@link IllegalArgumentException} that
 * says what is wrong.
 *
 * @param from   the period's start (a date is its midnight in {@code zone})
 * @param to     its end, excluded (a date is the end of that day)
 * @param filter a queue, agent or flow name, or null
 * @param format json, csv or table
 */
public record ReportQuery(Instant from, Instant to, Intervals intervals, ZoneId zone, String filter, String format) {

    public static ReportQuery parse(String from, String to, String interval, String tz, String filter, String format) {
        ZoneId zone;
        try {
            zone = tz == null || tz.isBlank() ? ZoneId.of("UTC") : ZoneId.of(tz.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + tz + "'");
        }
        if (from == null || from.isBlank()) {
            throw new IllegalArgumentException("give from (a date such as 2026-03-02, or a time such as 2026-03-02T09:00)");
        }
        Instant f = time(from, zone, false, "from");
        Instant t = to == null || to.isBlank() ? time(from, zone, true, "from") : time(to, zone, true, "to");
        Reports.check(f, t);
        String fmt = format == null || format.isBlank() ? "json" : format.trim().toLowerCase(Locale.ROOT);
        if (!fmt.equals("json") && !fmt.equals("csv") && !fmt.equals("table")) {
            throw new IllegalArgumentException("format must be json, csv or table, not '" + format + "'");
        }
        String name = filter == null || filter.isBlank() ? null : filter.trim();
        if (name != null && !name.matches("[A-Za-z0-9._@:-]{1,200}")) {
            throw new IllegalArgumentException("a queue, agent or flow name is letters, digits and . _ @ : - only");
        }
        return new ReportQuery(f, t, Intervals.parse(interval == null || interval.isBlank() ? "60m" : interval, zone),
                zone, name, fmt);
    }

    /** An instant, a local date-time or a date; a date as an end means the end of that day. */
    private static Instant time(String text, ZoneId zone, boolean end, String what) {
        String s = text.trim();
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // not an instant
        }
        try {
            return LocalDateTime.parse(s).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // not a local date-time
        }
        try {
            LocalDate d = LocalDate.parse(s);
            return (end ? d.plusDays(1) : d).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + " must be a date (2026-03-02), a local time (2026-03-02T09:00)"
                    + " or an instant (2026-03-02T08:00:00Z), not '" + text + "'");
        }
    }

    /** The period of the same length just before this one. */
    public ReportQuery previous() {
        return new ReportQuery(from.minus(java.time.Duration.between(from, to)), from, intervals, zone, filter, format);
    }
}
