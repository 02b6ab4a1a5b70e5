package dev.ivr.server.crm;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The CRM store of a server with none configured: callers are never identified or
 * authenticated ({@code UNAVAILABLE}, which flows branch on like a database that is down),
 * and interaction records are only logged at debug level.
 */
public final class NoCrmStore implements CrmStore {
    private static final Logger LOG = LoggerFactory.getLogger(NoCrmStore.class);

    @Override
    public Identification identify(String ani) {
        return Identification.of(Identification.Status.UNAVAILABLE);
    }

    @Override
    public Authentication authenticate(String accountNumber, String pin, String callId) {
        return new Authentication(Authentication.Status.UNAVAILABLE, accountNumber, null, 0, null);
    }

    @Override
    public Optional<Customer> customer(String customerId) {
        return Optional.empty();
    }

    @Override
    public void record(Interaction interaction) {
        LOG.debug("no CRM store configured: interaction {} not stored ({}; path {})", interaction.callId(),
                interaction.outcome(), interaction.path());
    }
}
