package dev.ivr.server.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The agent desktop and supervisor dashboard: user sessions, live updates, IVR exit statistics. */
public record DeskConfig(
        @Doc("A signed-in user's session ends after this long without any request or open desktop connection (sliding: every use restarts it). Sessions live in the cluster, so a desktop may reconnect to any server.")
        Duration sessionIdleTimeout,
        @Doc("A session ends this long after sign-in, used or not: the user signs in again.")
        Duration sessionMaxAge,
        @Doc("Lifetime of the one-time ticket a page trades for its WebSocket connection (the session token never goes into a URL).")
        Duration wsTicketTtl,
        @Doc("Wrong passwords for one user id from one client address before sign-in of that id from that address is refused for login-lockout (counted across the cluster). Only the guessing address is stopped: the user signs in from elsewhere, so nobody can lock a named account out.")
        int loginAttempts,
        @Doc("Wrong passwords from one client address, whatever the user ids, before sign-in from that address is refused for login-lockout.")
        int loginAddressAttempts,
        @Doc("How long sign-in stays refused after too many wrong passwords, counted from the last attempt.")
        Duration loginLockout,
        @Doc("Password checks (Argon2id, 19 MiB each) running at once on this server; more sign-ins at the same moment are answered 503 with Retry-After. 0: the number of processors.")
        int maxConcurrentSignIns,
        @Doc("Supervisor dashboards get a new snapshot at most this often after something changed (and every 5 seconds anyway).")
        Duration dashboardInterval,
        @Doc("The supervisor dashboard counts where callers hung up in the IVR over about this much time (in 24 buckets).")
        Duration ivrExitsWindow,
        @Doc("Reason codes an agent may give for not ready, in the order the desktop lists them.")
        List<String> notReadyReasons) implements Validated {

    public DeskConfig {
        notReadyReasons = notReadyReasons == null ? List.of() : List.copyOf(notReadyReasons);
    }

    /** Password checks allowed at once: the configured number, or the number of processors for 0. */
    public int signInChecks() {
        return maxConcurrentSignIns > 0 ? maxConcurrentSignIns : Runtime.getRuntime().availableProcessors();
    }

    @Override
    public void validate(Problems p) {
        p.positive("session-idle-timeout", sessionIdleTimeout);
        p.positive("session-max-age", sessionMaxAge);
        if (sessionIdleTimeout != null && sessionMaxAge != null && sessionMaxAge.compareTo(sessionIdleTimeout) < 0) {
            p.add("session-max-age", "must not be shorter than session-idle-timeout");
        }
        p.positive("ws-ticket-ttl", wsTicketTtl);
        if (loginAttempts < 1) {
            p.add("login-attempts", "must be at least 1 (got " + loginAttempts + ")");
        }
        if (loginAddressAttempts < 1) {
            p.add("login-address-attempts", "must be at least 1 (got " + loginAddressAttempts + ")");
        }
        if (maxConcurrentSignIns < 0 || maxConcurrentSignIns > 1000) {
            p.add("max-concurrent-sign-ins", "must be between 0 (the number of processors) and 1000 (got "
                    + maxConcurrentSignIns + ")");
        }
        p.positive("login-lockout", loginLockout);
        p.positive("dashboard-interval", dashboardInterval);
        if (dashboardInterval != null && dashboardInterval.compareTo(Duration.ofMillis(100)) < 0) {
            p.add("dashboard-interval", "must be at least 100ms (got " + DurationText.format(dashboardInterval) + ")");
        }
        p.positive("ivr-exits-window", ivrExitsWindow);
        if (ivrExitsWindow != null && ivrExitsWindow.compareTo(Duration.ofMinutes(24)) < 0) {
            p.add("ivr-exits-window", "must be at least 24m (got " + DurationText.format(ivrExitsWindow) + ")");
        }
        if (notReadyReasons.isEmpty()) {
            p.add("not-ready-reasons", "must list at least one reason code, e.g. [break, lunch]");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < notReadyReasons.size(); i++) {
            String r = notReadyReasons.get(i);
            if (r == null || !r.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
                p.add("not-ready-reasons[" + i + "]", "must be a short code of lower-case letters, digits, - and _ (got " + r + ")");
            } else if (!seen.add(r)) {
                p.add("not-ready-reasons[" + i + "]", "'" + r + "' is listed twice");
            }
        }
    }
}
