package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

/** When a campaign may call: its days and hours in its time zone (or the customer's), up to its end date. */
final class CallingWindow {
    private CallingWindow() {
    }

    /** Whether a call may start at {@code now}, in the campaign's time zone. */
    static boolean open(CampaignConfig c, Instant now) {
        return open(c, c.zone(), now);
    }

    /** Whether a call may start at {@code now} in this time zone. */
    static boolean open(CampaignConfig c, ZoneId zone, Instant now) {
        ZonedDateTime local = now.atZone(zone);
        if (c.effectiveEndDate() != null && now.atZone(c.zone()).toLocalDate().isAfter(c.effectiveEndDate())) {
            return false;
        }
        if (!c.effectiveDays().contains(local.getDayOfWeek())) {
            return false;
        }
        LocalTime t = local.toLocalTime();
        return !t.isBefore(c.effectiveFrom()) && t.isBefore(c.effectiveUntil());
    }

    /** Whether a call may start at {@code now} in every one of these zones (none: the campaign's). */
    static boolean open(CampaignConfig c, List<ZoneId> zones, Instant now) {
        if (zones.isEmpty()) {
            return open(c, now);
        }
        return zones.stream().allMatch(z -> open(c, z, now));
    }

    /**
     * The next moment after {@code now} the window opens in this zone (the start of a calling day
     * from {@code notBefore}'s local date on), or empty within the next two weeks (no day allowed).
     */
    static Optional<Instant> nextOpen(CampaignConfig c, ZoneId zone, Instant now, LocalDate fromDay) {
        for (int i = 0; i < 15; i++) {
            LocalDate day = fromDay.plusDays(i);
            if (!c.effectiveDays().contains(day.getDayOfWeek())) {
                continue;
            }
            Instant start = day.atTime(c.effectiveFrom()).atZone(zone).toInstant();
            Instant end = day.atTime(c.effectiveUntil()).atZone(zone).toInstant();
            if (end.isAfter(now)) {
                return Optional.of(start.isAfter(now) ? start : now);
            }
        }
        return Optional.empty();
    }

    /** The latest of the zones' next openings (none: the campaign's zone), from today in each. */
    static Optional<Instant> nextOpen(CampaignConfig c, List<ZoneId> zones, Instant now) {
        List<ZoneId> zs = zones.isEmpty() ? List.of(c.zone()) : zones;
        Instant latest = null;
        for (ZoneId z : zs) {
            Optional<Instant> n = nextOpen(c, z, now, now.atZone(z).toLocalDate());
            if (n.isEmpty()) {
                return Optional.empty();
            }
            latest = latest == null || n.get().isAfter(latest) ? n.get() : latest;
        }
        return Optional.ofNullable(latest);
    }

    /** Whether the campaign is past its end date. */
    static boolean ended(CampaignConfig c, Instant now) {
        return c.effectiveEndDate() != null && now.atZone(c.zone()).toLocalDate().isAfter(c.effectiveEndDate());
    }
}
