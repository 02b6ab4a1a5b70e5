package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * The rules a contact is held to just before it is claimed: the calling window in the customer's
 * local time ({@link CalleeZones}) and the most attempts in one local day. A contact that may not
 * be called now is postponed to when it may (its {@code next_at}), so it neither blocks the
 * others nor is asked about again at every poll. (The do-not-call list and one call per customer
 * are checked in the claim's transaction itself: {@link CampaignStore#claim}.)
 */
final class DialRules {
    /** A postponed contact is asked about again no sooner than this. */
    private static final Duration MIN_DELAY = Duration.ofMinutes(1);
    private final DataSource dataSource;

    DialRules(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Why a contact waits, and until when. */
    record Wait(String why, Instant until) {
    }

    /** Empty when the contact may be called now. */
    Optional<Wait> check(CampaignConfig c, CampaignStore.Due due, Instant now) throws SQLException {
        List<ZoneId> zones = zones(c, due);
        if (!CallingWindow.open(c, zones, now)) {
            Instant at = CallingWindow.nextOpen(c, zones, now).orElse(now.plus(Duration.ofDays(1)));
            return Optional.of(new Wait("outside the calling window in " + (zones.isEmpty() ? c.zone() : zones), later(at, now)));
        }
        Integer cap = c.maxAttemptsPerDay();
        if (cap != null) {
            ZoneId z = zones.isEmpty() ? c.zone() : zones.getFirst();
            var today = now.atZone(z).toLocalDate();
            if (attemptsSince(c.name(), due.customerId(), today.atStartOfDay(z).toInstant()) >= cap) {
                Instant at = CallingWindow.nextOpen(c, z, now, today.plusDays(1)).orElse(now.plus(Duration.ofDays(1)));
                return Optional.of(new Wait(cap + " attempt(s) today", later(at, now)));
            }
        }
        return Optional.empty();
    }

    /** The zones of the customer: none when calling windows are the campaign's. */
    List<ZoneId> zones(CampaignConfig c, CampaignStore.Due due) throws SQLException {
        if (!c.effectiveCalleeLocalTime()) {
            return List.of();
        }
        String attribute = c.timeZoneAttribute() == null ? null : attribute(due.customerId(), c.timeZoneAttribute());
        return CalleeZones.of(due.phone(), attribute);
    }

    /** Moves a pending contact's next attempt to {@code at} (nothing when another server moved it on). */
    void postpone(String campaign, CampaignStore.Due due, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update campaign_contacts set next_at = ? where campaign = ?"
                     + " and customer_id = ? and state = 'pending' and attempts = ?")) {
            ps.setObject(1, at.atOffset(ZoneOffset.UTC));
            ps.setString(2, campaign);
            ps.setString(3, due.customerId());
            ps.setInt(4, due.attempts());
            ps.executeUpdate();
        }
    }

    private int attemptsSince(String campaign, String customerId, Instant since) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from campaign_attempts where campaign = ?"
                     + " and customer_id = ? and started_at >= ?")) {
            ps.setString(1, campaign);
            ps.setString(2, customerId);
            ps.setObject(3, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private String attribute(String customerId, String name) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select attr_value from customer_attributes where customer_id = ?"
                     + " and attr_name = ?")) {
            ps.setString(1, customerId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static Instant later(Instant at, Instant now) {
        Instant min = now.plus(MIN_DELAY);
        return at.isBefore(min) ? min : at;
    }
}
