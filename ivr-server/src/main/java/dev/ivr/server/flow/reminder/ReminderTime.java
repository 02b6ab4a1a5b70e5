package dev.ivr.server.flow.reminder;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** When a {@code remind} node's reminder is due: an offset from now and a local clock time, or a written time. */
public final class ReminderTime {
    /** How far ahead a reminder may be booked (as {@code POST /api/reminders}). */
    public static final Duration MAX_AHEAD = Duration.ofDays(366);

    private ReminderTime() {
    }

    /**
     * {@code now + in}; with {@code at}, that day (in {@code zone}) at that clock time. A clock time
     * that does not exist that day (a daylight-saving gap) moves forward by the gap's length.
     *
     * @param in null: zero
     * @param at null: the time of day of {@code now + in}
     */
    public static Instant resolve(Duration in, LocalTime at, ZoneId zone, Instant now) {
        Instant base = in == null ? now : now.plus(in);
        if (at == null) {
            return base;
        }
        return base.atZone(zone).toLocalDate().atTime(at).atZone(zone).toInstant();
    }

    /**
     * A written time: ISO-8601 with its offset ({@code 2027-03-02T10:00:00+01:00}, or {@code Z}), or
     * without one ({@code 2027-03-02T10:00}: read in {@code zone}).
     *
     * @throws IllegalArgumentException when it is neither
     */
    public static Instant parse(String text, ZoneId zone) {
        String t = text == null ? "" : text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException e) {
            try {
                return LocalDateTime.parse(t).atZone(zone).toInstant();
            } catch (DateTimeException e2) {
                throw new IllegalArgumentException("'" + (t.length() > 40 ? t.substring(0, 40) + "..." : t)
                        + "' is not a date and time (e.g. 2027-03-02T10:00:00+01:00)", e2);
            }
        }
    }

    /** Null when {@code at} may be booked at {@code now}, else why not. */
    public static String problem(Instant at, Instant now) {
        if (at.isBefore(now)) {
            return "the time " + at + " is in the past";
        }
        if (at.isAfter(now.plus(MAX_AHEAD))) {
            return "the time " + at + " is more than a year ahead";
        }
        return null;
    }
}
