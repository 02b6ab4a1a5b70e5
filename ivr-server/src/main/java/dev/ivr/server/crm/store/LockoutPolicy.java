package dev.ivr.server.crm.store;

import dev.ivr.server.config.LockoutConfig;
import dev.ivr.server.crm.Authentication;

import java.time.Duration;
import java.time.Instant;

/**
 * The lockout rule, apart from the database: {@code max-failures} wrong PINs within
 * {@code window} (from the first of them) lock the account for {@code duration}; a good PIN
 * clears the count; an expired lock starts a fresh count.
 */
final class LockoutPolicy {
    /** An account's row in {@code auth_lockouts}; {@link #NONE} when it has none. */
    record State(int failures, Instant windowStartedAt, Instant lockedUntil) {
        static final State NONE = new State(0, null, null);
    }

    /** The answer to one PIN check and the row to store. */
    record Decision(Authentication.Status status, State next, int attemptsLeft) {
    }

    private final int maxFailures;
    private final Duration window;
    private final Duration lockFor;

    LockoutPolicy(LockoutConfig config) {
        this.maxFailures = config.maxFailures();
        this.window = config.window();
        this.lockFor = config.duration();
    }

    boolean isLocked(State s, Instant now) {
        return s.lockedUntil() != null && s.lockedUntil().isAfter(now);
    }

    /** The outcome of a PIN check that matched or not, for an account in state {@code s}. */
    Decision decide(State s, boolean pinMatched, Instant now) {
        if (isLocked(s, now)) {
            return new Decision(Authentication.Status.LOCKED, s, 0);
        }
        if (pinMatched) {
            return new Decision(Authentication.Status.OK, State.NONE, maxFailures);
        }
        boolean windowOpen = s.windowStartedAt() != null && s.windowStartedAt().plus(window).isAfter(now)
                && s.lockedUntil() == null;
        int failures = windowOpen ? s.failures() + 1 : 1;
        Instant started = windowOpen ? s.windowStartedAt() : now;
        if (failures >= maxFailures) {
            return new Decision(Authentication.Status.LOCKED, new State(0, null, now.plus(lockFor)), 0);
        }
        return new Decision(Authentication.Status.FAILED, new State(failures, started, null), maxFailures - failures);
    }

    int maxFailures() {
        return maxFailures;
    }
}
