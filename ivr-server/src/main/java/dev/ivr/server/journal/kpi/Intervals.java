package dev.ivr.server.journal.kpi;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * How a report cuts its period: 15, 30 or 60 minutes, a day, a week (from Monday) or a month, in a time zone.
 *
 * @param name    as given: 15m, 30m, 60m (or 1h), day, week, month, or all (one interval for the whole period)
 * @param minutes the length of a minute interval, 0 for calendar ones
 */
public record Intervals(String name, int minutes, ZoneId zone) {

    /** Parses 15m, 30m, 60m, 1h, day, week, month or all. */
    public static Intervals parse(String text, ZoneId zone) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "15m" -> new Intervals("15m", 15, zone);
            case "30m" -> new Intervals("30m", 30, zone);
            case "60m", "1h" -> new Intervals("60m", 60, zone);
            case "day", "week", "month", "all" -> new Intervals(t, 0, zone);
            default -> throw new IllegalArgumentException("interval must be 15m, 30m, 60m, day, week, month or all,"
                    + " not '" + text + "'");
        };
    }

    /** The start of the interval {@code at} falls in ({@code from} for "all"). */
    public Instant start(Instant at, Instant from) {
        ZonedDateTime z = at.atZone(zone);
        return switch (name) {
            case "all" -> from;
            case "day" -> z.truncatedTo(ChronoUnit.DAYS).toInstant();
            case "week" -> z.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant();
            case "month" -> z.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1).toInstant();
            default -> {
                ZonedDateTime day = z.truncatedTo(ChronoUnit.DAYS);
                long m = Duration.between(day, z).toMinutes();
                yield day.plusMinutes(m - m % minutes).toInstant();
            }
        };
    }

    /** The start of the interval after the one starting at {@code start} ({@code to} for "all"). */
    public Instant next(Instant start, Instant to) {
        ZonedDateTime z = start.atZone(zone);
        return switch (name) {
            case "all" -> to;
            case "day" -> z.plusDays(1).toInstant();
            case "week" -> z.plusWeeks(1).toInstant();
            case "month" -> z.plusMonths(1).toInstant();
            default -> z.plusMinutes(minutes).toInstant();
        };
    }
}
