package dev.ivr.server.outbound;

import dev.ivr.server.config.CampaignConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Attempts left open by a dialing server that died. Every dialing server writes a heartbeat ({@code outbound_nodes});
 * an open attempt of a server not seen for the lease is reclaimed by whichever server gets to it first (one
 * conditional update): the attempt ends as {@value #NODE_LOST} (keeping a dial result it had), the customer's
 * one-call lock is freed, and the contact moves on: done when the call had been answered; due again now when the
 * customer was never dialled (a preview not accepted); otherwise tried again after {@code retry-after.failed} while
 * attempts are left. The attempt itself is never dialled again (the dead server may have placed its call). A server
 * that starts reclaims its own open attempts (from before its restart) the same way.
 */
final class OrphanAttempts {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanAttempts.class);
    static final String NODE_LOST = "node-lost";

    private final DataSource dataSource;

    OrphanAttempts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** This server is alive. */
    void heartbeat(String node, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement up = c.prepareStatement("update outbound_nodes set seen_at = ? where node = ?")) {
                up.setObject(1, now.atOffset(ZoneOffset.UTC));
                up.setString(2, node);
                if (up.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement ins = c.prepareStatement("insert into outbound_nodes (node, seen_at) values (?, ?)")) {
                ins.setString(1, node);
                ins.setObject(2, now.atOffset(ZoneOffset.UTC));
                ins.executeUpdate();
            } catch (SQLException e) {
                if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) { // another server's insert won: fine
                    throw e;
                }
            }
        }
    }

    private record Open(long id, String campaign, String customerId, int attemptNo, String node, String result,
                        String decision) {
    }

    /**
     * Reclaims the open attempts of servers not seen since {@code now - lease} (never this server's), or, with
     * {@code own}, this server's own (at its start).
     *
     * @return how many were reclaimed
     */
    int reclaim(String node, boolean own, Duration lease, Map<String, CampaignConfig> campaigns, Instant now)
            throws SQLException {
        List<Open> open = new ArrayList<>();
        String sql = own
                ? "select id, campaign, customer_id, attempt_no, node, result, preview_decision from campaign_attempts"
                + " where ended_at is null and node = ?"
                : "select a.id, a.campaign, a.customer_id, a.attempt_no, a.node, a.result, a.preview_decision"
                + " from campaign_attempts a where a.ended_at is null and a.node <> ? and not exists"
                + " (select 1 from outbound_nodes n where n.node = a.node and n.seen_at >= ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, node);
            if (!own) {
                ps.setObject(2, now.minus(lease).atOffset(ZoneOffset.UTC));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    open.add(new Open(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            rs.getString(6), rs.getString(7)));
                }
            }
        }
        int n = 0;
        for (Open o : open) {
            CampaignConfig c = campaigns.get(o.campaign());
            if (c != null && reclaim(o, c, now)) {
                n++;
            }
        }
        return n;
    }

    private boolean reclaim(Open o, CampaignConfig campaign, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement end = c.prepareStatement("update campaign_attempts set ended_at = ?,"
                        + " result = coalesce(result, ?) where id = ? and ended_at is null")) {
                    end.setObject(1, now.atOffset(ZoneOffset.UTC));
                    end.setString(2, NODE_LOST);
                    end.setLong(3, o.id());
                    if (end.executeUpdate() != 1) { // another server reclaimed it, or its own server ended it
                        c.rollback();
                        return false;
                    }
                }
                DialLocks.release(c, o.customerId(), o.id());
                boolean answered = "answered".equals(o.result());
                // a preview not accepted never reached the PBX; any other open attempt may have been placed
                boolean neverDialled = o.result() == null && PreviewDialing.handles(campaign) && !PreviewStore.accepts(o.decision());
                int made = o.attemptNo() - Arming.base(c, o.campaign(), o.customerId());
                String state;
                Instant next;
                if (answered) {
                    state = "done";
                    next = null;
                } else if (neverDialled) {
                    state = "pending";
                    next = now;
                } else if (made >= campaign.effectiveMaxAttempts()) {
                    state = "failed";
                    next = null;
                } else {
                    state = "pending";
                    next = now.plus(campaign.retryAfter("failed"));
                }
                try (PreparedStatement up = c.prepareStatement("update campaign_contacts set state = ?, last_result = ?,"
                        + " next_at = ? where campaign = ? and customer_id = ? and state = 'dialing' and attempts = ?")) {
                    up.setString(1, state);
                    up.setString(2, o.result() == null ? NODE_LOST : o.result());
                    up.setObject(3, next == null ? null : next.atOffset(ZoneOffset.UTC));
                    up.setString(4, o.campaign());
                    up.setString(5, o.customerId());
                    up.setInt(6, o.attemptNo());
                    up.executeUpdate();
                }
                c.commit();
                LOG.warn("campaign {}: attempt {} of customer {} left open by server {} (gone): reclaimed, contact {}{}",
                        o.campaign(), o.attemptNo(), o.customerId(), o.node(), state,
                        next == null ? "" : " (due " + next + ")");
                return true;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
