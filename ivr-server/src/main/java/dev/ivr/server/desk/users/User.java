package dev.ivr.server.desk.users;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A person who signs in to the agent desktop or the supervisor dashboard. Never carries the
 * password or its hash.
 *
 * @param roles     admin, supervisor, agent, monitor
 * @param endpoint  where to dial the agent (e.g. {@code PJSIP/1001}); null without the agent role
 * @param skills    skill to level (1-10): what the agent may log in with
 * @param languages language tags the agent speaks
 */
public record User(String id, String name, Set<String> roles, String endpoint, Map<String, Integer> skills,
                   Set<String> languages, boolean enabled, Instant createdAt, Instant updatedAt) {
    public User {
        roles = Set.copyOf(roles);
        skills = Map.copyOf(skills);
        languages = Set.copyOf(languages);
    }

    public boolean isAgent() {
        return roles.contains("agent");
    }
}
