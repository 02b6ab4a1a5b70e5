package dev.ivr.server.flow.hours;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/**
 * Opening hours: weekly time ranges and holidays (whole days), in one time zone.
 *
 * @param weekly   per day, the ranges when open (start inclusive, end exclusive)
 * @param holidays closed all day, with a name
 */
public record Calendar(String name, ZoneId zone, Map<DayOfWeek, List<Range>> weekly, Map<LocalDate, String> holidays) {

    public enum Status { OPEN, CLOSED, HOLIDAY }

    public record Range(LocalTime start, LocalTime end) {
        boolean contains(LocalTime t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    public Calendar {
        weekly = Map.copyOf(weekly);
        holidays = Map.copyOf(holidays);
    }

    public Status status(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        if (holidays.containsKey(local.toLocalDate())) {
            return Status.HOLIDAY;
        }
        for (Range r : weekly.getOrDefault(local.getDayOfWeek(), List.of())) {
            if (r.contains(local.toLocalTime())) {
                return Status.OPEN;
            }
        }
        return Status.CLOSED;
    }
}
