package dev.ivr.server.desk.sessions;

import dev.ivr.server.api.Principal;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A signed-in user, as kept in the cluster: who they are, their roles and, for agents, the
 * routing profile they may log in with (read from the users table at sign-in).
 *
 * @param agentId the agent id (the user id) for users with the agent role, else null
 */
public record Session(String userId, String name, Set<String> roles, String agentId, String endpoint,
                      Map<String, Integer> skills, Set<String> languages, Instant createdAt) {
    public Session {
        roles = Set.copyOf(roles);
        skills = skills == null ? Map.of() : Map.copyOf(skills);
        languages = languages == null ? Set.of() : Set.copyOf(languages);
    }

    public Principal principal() {
        return new Principal(userId, roles, agentId);
    }
}
