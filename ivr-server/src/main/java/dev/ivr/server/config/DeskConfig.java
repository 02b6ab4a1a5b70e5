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
        @Doc("Wrong passwords in a row for one user id before sign-in is refused for login-lockout (counted across the cluster).")
        int loginAttempts,
        @Doc("How long sign-in stays refused after login-attempts wrong passwords.")
        Duration loginLockout,
        @Doc("Supervisor dashboards get a new snapshot at most this often after something changed (and every 5 seconds anyway).")
        Duration dashboardInterval,
        @Doc("The supervisor dashboard counts where callers hung up in the IVR over about this much time (in 24 buckets).")
        Duration ivrExitsWindow,
        @Doc("Reason codes an agent may give for not ready, in the order the desktop lists them.")
        List<String> notReadyReasons) implements Validated {

    public DeskConfig {
        notReadyReasons = notReadyReasons == null ? List.of() : List.copyOf(notReadyReasons);
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
