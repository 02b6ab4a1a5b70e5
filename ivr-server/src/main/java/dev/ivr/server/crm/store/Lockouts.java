package dev.ivr.server.crm.store;

import static dev.ivr.server.crm.store.JdbcValues.cut;
import static dev.ivr.server.crm.store.JdbcValues.instant;
import static dev.ivr.server.crm.store.JdbcValues.setInstant;

import dev.ivr.server.crm.Authentication;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Lockouts in the database: an account's failure count and lock ({@code auth_lockouts}, decided by the
 * {@link LockoutPolicy}) and the log of every attempt ({@code auth_attempts}).
 */
final class Lockouts {
    private final LockoutPolicy lockout;
    private final String node;

    Lockouts(LockoutPolicy lockout, String node) {
        this.lockout = lockout;
        this.node = node;
    }

    LockoutPolicy policy() {
        return lockout;
    }

    LockoutPolicy.State lockState(Connection c, String account) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select failures, window_started_at, locked_until from auth_lockouts where account_number = ?")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new LockoutPolicy.State(rs.getInt(1), instant(rs, 2), instant(rs, 3))
                        : LockoutPolicy.State.NONE;
            }
        }
    }

    /**
     * Counts an attempt under the account's row lock in {@code auth_lockouts} (created at the first attempt), so
     * concurrent calls on any server count exactly; returns the policy's decision, its new state written.
     */
    LockoutPolicy.Decision count(Connection c, String account, boolean matched, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into auth_lockouts (account_number, failures) values (?, 0) on conflict do nothing")) {
            ps.setString(1, account);
            ps.executeUpdate();
        }
        LockoutPolicy.State state;
        try (PreparedStatement ps = c.prepareStatement("select failures, window_started_at, locked_until"
                + " from auth_lockouts where account_number = ? for update")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                state = new LockoutPolicy.State(rs.getInt(1), instant(rs, 2), instant(rs, 3));
            }
        }
        LockoutPolicy.Decision d = lockout.decide(state, matched, now);
        if (!d.next().equals(state)) {
            try (PreparedStatement ps = c.prepareStatement("update auth_lockouts set failures = ?,"
                    + " window_started_at = ?, locked_until = ? where account_number = ?")) {
                ps.setInt(1, d.next().failures());
                setInstant(ps, 2, d.next().windowStartedAt());
                setInstant(ps, 3, d.next().lockedUntil());
                ps.setString(4, account);
                ps.executeUpdate();
            }
        }
        return d;
    }

    void logAttempt(Connection c, String account, String callId, Instant at, Authentication.Status outcome)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into auth_attempts (account_number, call_id, node,"
                + " attempted_at, outcome) values (?, ?, ?, ?, ?)")) {
            ps.setString(1, account);
            ps.setString(2, cut(callId, 128));
            ps.setString(3, cut(node, 100));
            setInstant(ps, 4, at);
            ps.setString(5, outcome.name());
            ps.executeUpdate();
        }
    }
}
