package dev.ivr.server.crm.store;

import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.db.WriteFailures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static dev.ivr.server.crm.store.JdbcValues.setInstant;

/**
 * Authentication against the database: the account and its PIN hash, the lockout ({@link Lockouts}), the same
 * cost for unknown accounts as for wrong PINs, a PIN hash upgraded when it matched; a read-only store decides
 * as a server would and rolls its counting back.
 */
final class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcCrmStore.class);
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Pattern ACCOUNT_SEPARATORS = Pattern.compile("[\\s./-]");

    private final DatabaseGuard db;
    private final PinHasher pins;
    private final Lockouts lockouts;
    private final Clock clock;
    private final WriteFailures writes;
    private final InteractionRecorder recorder;
    private final BooleanSupplier readOnly;

    Authenticator(DatabaseGuard db, PinHasher pins, Lockouts lockouts, Clock clock, WriteFailures writes,
                  InteractionRecorder recorder, BooleanSupplier readOnly) {
        this.db = db;
        this.pins = pins;
        this.lockouts = lockouts;
        this.clock = clock;
        this.writes = writes;
        this.recorder = recorder;
        this.readOnly = readOnly;
    }

    private record AccountRow(String customerId, String pinHash, String status) {
    }

    private record Check(AccountRow account, LockoutPolicy.State lock) {
    }

    Authentication authenticate(String rawAccount, String pin, String callId) {
        String account = normaliseAccount(rawAccount);
        if (account == null) {
            pins.verify(pin, null); // the same time as any wrong PIN
            LOG.info("authentication: FAILED (not an account number)");
            return new Authentication(Authentication.Status.FAILED, rawAccount, null, lockouts.policy().maxFailures(), null);
        }
        String shown = maskAccount(account);
        Check check;
        try {
            check = db.call(c -> new Check(accountRow(c, account), lockouts.lockState(c, account)));
        } catch (DatabaseGuard.Unavailable e) {
            LOG.warn("authentication for account {}: UNAVAILABLE ({})", shown, e.getMessage());
            return unavailable(account);
        }
        Instant now = clock.instant();
        if (lockouts.policy().isLocked(check.lock(), now)) {
            try {
                db.call(c -> {
                    if (!readOnly.getAsBoolean()) {
                        lockouts.logAttempt(c, account, callId, now, Authentication.Status.LOCKED);
                    }
                    return null;
                });
            } catch (DatabaseGuard.Unavailable e) {
                LOG.debug("attempt not logged: {}", e.getMessage());
            }
            LOG.info("authentication for account {}: LOCKED until {}", shown, check.lock().lockedUntil());
            return new Authentication(Authentication.Status.LOCKED, account, null, 0, check.lock().lockedUntil());
        }
        AccountRow row = check.account();
        if (row != null && !pins.canVerify(row.pinHash())) {
            pins.verify(pin, null); // the time of any check
            LOG.error("authentication for account {}: UNAVAILABLE: its PIN hash was made with pepper {}, which this server"
                    + " does not have (its pepper: {}); every server sharing the database needs the same crm.pin-pepper-file,"
                    + " and earlier ones in crm.pin-old-pepper-files", shown, PinHasher.pepperId(row.pinHash()), pins.pepperId());
            return unavailable(account);
        }
        // an unknown account is checked against a dummy hash: it costs what a wrong PIN costs
        boolean matched = pins.verify(pin, row == null ? null : row.pinHash()) && row != null && "active".equals(row.status());
        String rehash = matched && pins.needsRehash(row.pinHash()) ? pins.hash(pin) : null;
        try {
            Authentication r;
            try {
                r = db.call(c -> settle(c, account, row, matched, rehash, callId));
            } catch (DatabaseGuard.Unavailable e) {
                recorder.failedWrite(e);
                throw e;
            }
            writes.succeeded();
            switch (r.status()) {
                case OK -> LOG.info("authentication for account {}: OK (customer {})", shown, r.customer().id());
                case FAILED -> LOG.info("authentication for account {}: FAILED ({} attempt(s) left)", shown, r.attemptsLeft());
                case LOCKED -> LOG.warn("authentication for account {}: LOCKED until {} after too many wrong PINs", shown,
                        r.lockedUntil());
                default -> LOG.info("authentication for account {}: {}", shown, r.status());
            }
            return r;
        } catch (DatabaseGuard.Unavailable e) {
            LOG.warn("authentication for account {}: UNAVAILABLE ({})", shown, e.getMessage());
            return unavailable(account);
        }
    }

    /** Counts the result under the account's row lock, so concurrent calls on any server count exactly. */
    private Authentication settle(Connection c, String account, AccountRow row, boolean matched, String rehash,
                                  String callId) throws SQLException {
        c.setAutoCommit(false);
        try {
            Instant now = clock.instant();
            LockoutPolicy.Decision d = lockouts.count(c, account, matched, now);
            lockouts.logAttempt(c, account, callId, now, d.status());
            Customer customer = null;
            if (d.status() == Authentication.Status.OK) {
                customer = CustomerRows.customerById(c, row.customerId()).orElse(null);
                if (rehash != null) {
                    try (PreparedStatement ps = c.prepareStatement(
                            "update accounts set pin_hash = ?, updated_at = ? where account_number = ?")) {
                        ps.setString(1, rehash);
                        setInstant(ps, 2, now);
                        ps.setString(3, account);
                        ps.executeUpdate();
                    }
                }
            }
            if (readOnly.getAsBoolean()) {
                c.rollback();
            } else {
                c.commit();
            }
            return new Authentication(d.status(), account, customer, d.attemptsLeft(),
                    d.status() == Authentication.Status.LOCKED ? d.next().lockedUntil() : null);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private AccountRow accountRow(Connection c, String account) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select customer_id, pin_hash, status from accounts where account_number = ?")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new AccountRow(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
            }
        }
    }

    private Authentication unavailable(String account) {
        return new Authentication(Authentication.Status.UNAVAILABLE, account, null, 0, null);
    }

    /** Account numbers as callers type or CSV files write them: separators dropped; null if not one. */
    public static String normaliseAccount(String raw) {
        if (raw == null) {
            return null;
        }
        String s = ACCOUNT_SEPARATORS.matcher(raw).replaceAll("");
        return ACCOUNT.matcher(s).matches() ? s : null;
    }

    /** For logs: only the last four characters. */
    static String maskAccount(String account) {
        int keep = Math.min(4, account.length() / 2);
        return "*".repeat(account.length() - keep) + account.substring(account.length() - keep);
    }
}
