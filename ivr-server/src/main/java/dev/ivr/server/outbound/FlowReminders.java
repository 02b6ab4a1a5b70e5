package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.flow.reminder.Reminders;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * Reminders booked by flows' {@code remind} nodes, on the campaign store: the customer's contact
 * in the campaign is armed for the time, as {@code POST /api/reminders} does ({@link Arming}). A
 * local clock time is read in the customer's zone as the campaign's calling rules work it out
 * ({@link DialRules#zones}), else in the campaign's zone.
 */
public final class FlowReminders implements Reminders {
    private final OutboundConfig config;
    private final DataSource dataSource;
    private final Arming arming;
    private final DialRules rules;

    public FlowReminders(OutboundConfig config, DataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
        this.arming = new Arming(dataSource);
        this.rules = new DialRules(dataSource);
    }

    private CampaignConfig campaign(String name) throws Refused {
        return config.campaigns().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new Refused("no campaign '" + name + "' in outbound.campaigns"));
    }

    @Override
    public ZoneId zone(String campaign, String customerId) throws Refused {
        CampaignConfig c = campaign(campaign);
        try {
            List<ZoneId> zones = rules.zones(c, new CampaignStore.Due(customerId, firstPhone(customerId), 0));
            return zones.isEmpty() ? c.zone() : zones.getFirst();
        } catch (SQLException e) {
            throw new Refused("the database failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String book(String campaign, String customerId, Instant at, Instant now) throws Refused {
        CampaignConfig c = campaign(campaign);
        Arming.Result r;
        try {
            r = arming.arm(c.name(), customerId, null, at, now);
        } catch (SQLException e) {
            throw new Refused("the database failed: " + e.getMessage(), e);
        }
        return switch (r) {
            case NO_NUMBER -> throw new Refused("customer " + customerId + " has no phone number");
            case BUSY -> throw new Refused("customer " + customerId + " is being called by campaign " + c.name() + " now");
            case NO_CUSTOMER -> throw new Refused("no customer " + customerId);
            default -> r.name().toLowerCase(Locale.ROOT);
        };
    }

    private String firstPhone(String customerId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select min(e164) from phone_numbers where customer_id = ?")) {
            ps.setString(1, customerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
