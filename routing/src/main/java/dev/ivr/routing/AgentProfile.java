package dev.ivr.routing;

import java.util.Map;
import java.util.Set;

/**
 * Who an agent is and what they can do, given at login.
 *
 * @param id        unique agent id
 * @param name      display name
 * @param endpoint  where to dial the agent, for example {@code PJSIP/1001}
 * @param skills    skill name to level (1 to 10)
 * @param languages languages spoken (case-insensitive tags such as {@code en}, {@code fr})
 */
public record AgentProfile(String id, String name, String endpoint, Map<String, Integer> skills, Set<String> languages) {
    public AgentProfile {
        Skills.require(id, "agent id");
        Skills.require(endpoint, "agent endpoint");
        name = name == null || name.isBlank() ? id : name;
        skills = Skills.levels(skills, false, "agent " + id);
        languages = Skills.languages(languages);
    }
}
