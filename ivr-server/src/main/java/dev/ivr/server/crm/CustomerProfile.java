package dev.ivr.server.crm;

import java.time.Instant;
import java.util.List;

/**
 * A customer with everything an agent sees: numbers (E.164) and accounts. Never a PIN or its hash.
 */
public record CustomerProfile(Customer customer, List<String> phones, List<Account> accounts) {
    public CustomerProfile {
        phones = List.copyOf(phones);
        accounts = List.copyOf(accounts);
    }

    /**
     * @param status      active, blocked or closed
     * @param hasPin      whether a PIN is set (the caller can authenticate)
     * @param lockedUntil when the account is locked after wrong PINs, until then; else null
     */
    public record Account(String number, String status, boolean hasPin, Instant lockedUntil) {
    }
}
