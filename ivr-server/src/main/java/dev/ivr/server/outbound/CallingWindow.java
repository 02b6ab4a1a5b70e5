package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZonedDateTime;

/** When a campaign may call: its days and hours in its time zone, up to its end date. */
final class CallingWindow {
    private CallingWindow() {
    }

    /** Whether a call may start at {@code now}. */
    static boolean open(CampaignConfig c, Instant now) {
        ZonedDateTime local = now.atZone(c.zone());
        if (c.effectiveEndDate() != null && local.toLocalDate().isAfter(c.effectiveEndDate())) {
            return false;
        }
        if (!c.effectiveDays().contains(local.getDayOfWeek())) {
            return false;
        }
        LocalTime t = local.toLocalTime();
        return !t.isBefore(c.effectiveFrom()) && t.isBefore(c.effectiveUntil());
    }

    /** Whether the campaign is past its end date. */
    static boolean ended(CampaignConfig c, Instant now) {
        return c.effectiveEndDate() != null && now.atZone(c.zone()).toLocalDate().isAfter(c.effectiveEndDate());
    }
}
