package dev.ivr.server.crm;

import java.util.List;
import java.util.Optional;

/**
 * The CRM store as the agent desktop and admin tools read it: a customer's whole profile and
 * contact history. Unlike {@link CrmStore}, these say when the database cannot answer (by
 * throwing {@link CrmUnavailableException}) rather than answering as if there were no data.
 */
public interface CrmQueries {

    /** A customer with their phone numbers and accounts. */
    Optional<CustomerProfile> profile(String customerId);

    /** Customers with this phone number (any format the default country allows). */
    List<Customer> findByPhone(String number);

    /** A customer's interactions, newest first. */
    List<Interaction> history(String customerId, int limit, int offset);

    /** One call's interaction record. */
    Optional<Interaction> interaction(String callId);
}
