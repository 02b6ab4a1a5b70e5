package dev.ivr.server.crm;

import java.util.Optional;

/**
 * The CRM store as calls use it: who is calling (by number), is it really them (account +
 * PIN), and the contact history. The public surface of the {@code crm} package; the flow
 * engine's {@code identify} and {@code authenticate} nodes and the agent desktop use it.
 *
 * <p>No method throws because the database is down: they answer {@code UNAVAILABLE} (so the
 * flow goes on as for an unidentified caller) and {@link #record} keeps the interaction until
 * the database is back.
 */
public interface CrmStore {

    /** Customers with this phone number; {@code ani} as the PBX sent it, normalised here to E.164. */
    Identification identify(String ani);

    /**
     * Checks an account number and PIN. Failures are counted per account across calls and
     * servers; after too many the account is locked for a while. An unknown account and a wrong
     * PIN look the same to the caller, and take the same time.
     *
     * @param callId the call's unique id, for the attempt log (the PIN is never stored or logged)
     */
    Authentication authenticate(String accountNumber, String pin, String callId);

    /** A customer by id. */
    Optional<Customer> customer(String customerId);

    /** Stores the contact record of a call; never loses it (queued while the database is down). */
    void record(Interaction interaction);

    /**
     * Adds the time an agent's phone rang to the wait of a call already recorded: in routing's
     * dialplan mode the flow ends (and is recorded) when the dialplan starts dialling, and the
     * agent answers later. The wait is then from entering the queue until an agent answered.
     */
    default void recordRing(String callId, java.time.Duration ring) {
    }

    /**
     * Stores a call's contact record as {@link #record} does and runs {@code whenDurable} once it is durable: in the
     * database or on local disk (the outbox), so that a crash from then on loses nothing. Never run while the
     * record is in memory only. The flow engine deletes the call's checkpoint there: until then a survivor can
     * still record the call if this server dies. A store that writes at once runs it at once.
     */
    default void record(Interaction interaction, Runnable whenDurable) {
        record(interaction);
        whenDurable.run();
    }
}
