package dev.ivr.server.outbound;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * One customer due in a campaign at a given time: a reminder ({@code POST /api/reminders}) or an
 * event ({@code POST /api/events}). The customer's contact in the campaign is added, or, when it
 * exists and is not being dialled, armed again (pending at the time asked; max-attempts counts
 * from here: {@code attempt_base}). A campaign that was never started is started (running) for
 * it; a paused or stopped one keeps its status, and the contact waits for it. The dialer then
 * calls it under every rule (window, do-not-call list, one call at a time).
 */
public final class Arming {
    private final DataSource dataSource;

    public Arming(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What arming did. */
    public enum Result { ARMED, REARMED, BUSY, NO_NUMBER, NO_CUSTOMER }

    /** The customer by id, or by a phone number in E.164 (null: not found). */
    public String customerByPhone(String e164) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select min(customer_id) from phone_numbers where e164 = ?")) {
            ps.setString(1, e164);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public boolean customerExists(String id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select 1 from customers where id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Arms in its own transaction. */
    public Result arm(String campaign, String customerId, String phone, Instant at, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Result r = arm(c, campaign, customerId, phone, at, now);
                c.commit();
                return r;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Arms inside the caller's transaction.
     *
     * @param phone the number to call (E.164), or null for the customer's first number
     */
    static Result arm(Connection c, String campaign, String customerId, String phone, Instant at, Instant now) throws SQLException {
        String number = phone != null ? phone : firstPhone(c, customerId).orElse(null);
        if (number == null) {
            return Result.NO_NUMBER;
        }
        try (PreparedStatement run = c.prepareStatement("select status from campaign_runs where campaign = ? for update")) {
            run.setString(1, campaign);
            try (ResultSet rs = run.executeQuery()) {
                if (!rs.next()) {
                    try (PreparedStatement ins = c.prepareStatement("insert into campaign_runs (campaign, status, started_at, updated_at)"
                            + " values (?, 'running', ?, ?)")) {
                        ins.setString(1, campaign);
                        ins.setObject(2, now.atOffset(ZoneOffset.UTC));
                        ins.setObject(3, now.atOffset(ZoneOffset.UTC));
                        ins.executeUpdate();
                    }
                }
            }
        }
        String state = null;
        try (PreparedStatement ps = c.prepareStatement("select state from campaign_contacts where campaign = ? and customer_id = ?")) {
            ps.setString(1, campaign);
            ps.setString(2, customerId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    state = rs.getString(1);
                }
            }
        }
        OffsetDateTime due = at.atOffset(ZoneOffset.UTC);
        if (state == null) {
            try (PreparedStatement ins = c.prepareStatement("insert into campaign_contacts (campaign, customer_id, phone, state,"
                    + " attempts, next_at) values (?, ?, ?, 'pending', 0, ?)")) {
                ins.setString(1, campaign);
                ins.setString(2, customerId);
                ins.setString(3, number);
                ins.setObject(4, due);
                ins.executeUpdate();
            }
            return Result.ARMED;
        }
        if ("dialing".equals(state)) {
            return Result.BUSY;
        }
        try (PreparedStatement up = c.prepareStatement("update campaign_contacts set state = 'pending', phone = ?, next_at = ?,"
                + " attempt_base = attempts where campaign = ? and customer_id = ? and state <> 'dialing'")) {
            up.setString(1, number);
            up.setObject(2, due);
            up.setString(3, campaign);
            up.setString(4, customerId);
            return up.executeUpdate() == 1 ? Result.REARMED : Result.BUSY;
        }
    }

    /** The attempts made before the contact was last armed. */
    static int base(Connection c, String campaign, String customerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select attempt_base from campaign_contacts where campaign = ? and customer_id = ?")) {
            ps.setString(1, campaign);
            ps.setString(2, customerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private static Optional<String> firstPhone(Connection c, String customerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select min(e164) from phone_numbers where customer_id = ?")) {
            ps.setString(1, customerId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
