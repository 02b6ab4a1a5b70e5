package dev.ivr.server.crm;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where agents' wrap-ups are kept. Throws {@link CrmUnavailableException} while the database
 * cannot answer: the agent's desktop says so and keeps the form, nothing is lost silently.
 */
public interface WrapUps {

    /** Saves (or replaces) the wrap-up of one agent for one call. */
    void save(WrapUp wrapUp);

    /** One agent's wrap-up of a call. */
    Optional<WrapUp> find(String callId, String agentId);

    /** The wrap-ups of these calls by call id, each list oldest first. */
    Map<String, List<WrapUp>> forCalls(Collection<String> callIds);
}
