package dev.ivr.server.outbound;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * One call at a time per customer, across campaigns and servers: inside the claim transaction
 * the customer's row of {@code customer_dial_locks} is inserted (its primary key lets one
 * transaction have it; another waits for it and then fails), and the end of the attempt deletes
 * it. A row whose server died is taken over after {@link #LEASE}.
 */
final class DialLocks {
    /** Longest a lock is trusted: longer than any ring plus call (outbound.max-call-time's default is 2 h). */
    static final Duration LEASE = Duration.ofHours(3);

    private DialLocks() {
    }

    /** Takes the customer's lock for this attempt; false when another attempt holds it. */
    static boolean acquire(Connection c, String campaign, String customerId, long attemptId, String node, Instant now)
            throws SQLException {
        try (PreparedStatement stale = c.prepareStatement("delete from customer_dial_locks where customer_id = ? and held_until < ?")) {
            stale.setString(1, customerId);
            stale.setObject(2, now.atOffset(ZoneOffset.UTC));
            stale.executeUpdate();
        }
        try (PreparedStatement held = c.prepareStatement("select 1 from customer_dial_locks where customer_id = ?")) {
            held.setString(1, customerId);
            try (var rs = held.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        // a concurrent insert of the same customer fails on the primary key: the claim's catch gives up
        try (PreparedStatement ins = c.prepareStatement("insert into customer_dial_locks (customer_id, campaign, attempt_id, node,"
                + " held_until) values (?, ?, ?, ?, ?)")) {
            ins.setString(1, customerId);
            ins.setString(2, campaign);
            ins.setLong(3, attemptId);
            ins.setString(4, node);
            ins.setObject(5, now.plus(LEASE).atOffset(ZoneOffset.UTC));
            ins.executeUpdate();
        }
        return true;
    }

    /** Lets the customer be called again (the attempt is over). */
    static void release(Connection c, String customerId, long attemptId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from customer_dial_locks where customer_id = ? and attempt_id = ?")) {
            ps.setString(1, customerId);
            ps.setLong(2, attemptId);
            ps.executeUpdate();
        }
    }

    /** The contact is on the do-not-call list: recorded as such, and never dialled. */
    static void markDnc(Connection c, String campaign, CampaignStore.Due due) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update campaign_contacts set state = 'dnc', last_result = 'dnc', next_at = null"
                + " where campaign = ? and customer_id = ? and state = 'pending' and attempts = ?")) {
            ps.setString(1, campaign);
            ps.setString(2, due.customerId());
            ps.setInt(3, due.attempts());
            ps.executeUpdate();
        }
    }
}
