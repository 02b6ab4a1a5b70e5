package dev.ivr.server.crm;

import java.time.Instant;

/**
 * The answer to account + PIN.
 *
 * @param customer     the account's owner when {@code OK}, else null
 * @param attemptsLeft failures still allowed before the lock (when {@code FAILED})
 * @param lockedUntil  when the lock ends (when {@code LOCKED})
 */
public record Authentication(Status status, String accountNumber, Customer customer, int attemptsLeft,
                             Instant lockedUntil) {
    public enum Status {
        OK,
        /** wrong PIN or unknown account: the caller cannot tell which */
        FAILED,
        /** too many failures: locked for a while, across calls and servers */
        LOCKED,
        /** the store cannot answer now */
        UNAVAILABLE
    }
}
